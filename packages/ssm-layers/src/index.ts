// @hippo/ssm-layers — the state-space layers of H3: the S4D diagonal SSM, the shift SSM, the H3 layer and
// the paper's baseline mixers, each with a parallel forward, a prefill that returns the state, and a step.
export type { MixerState, SequenceMixer } from './mixer.js';
export { SSKernel } from './ss-kernel.js';
export { S4DKernel, type S4DInit, type S4DKernelOptions, type DiscreteS4D } from './s4d-kernel.js';
export { ShiftKernel, type ShiftKernelOptions } from './shift-kernel.js';
export { H3, type H3Options } from './h3.js';
export { H3State, type StepSsm } from './h3-state.js';
export { S4DMixer, S4DMixerState, type S4DMixerOptions } from './s4d-mixer.js';
export { ShiftGatedMixer, ShiftGatedState, type ShiftGatedMixerOptions } from './shift-gated-mixer.js';
export { ssmParamGroups, type HasSsmParameters } from './optim-groups.js';
export { repeatRows, ownCopy } from './repeat-rows.js';
