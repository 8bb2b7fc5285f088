// WebGPU twins of shift-step.ref.ts: the prefill (shift-state.wgsl) and the fused one-token step in either layout
// (shift-step.wgsl, shift-step-row.wgsl; step-layout.ts).
import type { GpuContext } from '../../runtime/gpu-context.js';
import { uniformStruct } from '../../runtime/uniform.js';
import { checkSizes } from './diag-step.ref.js';
import stepIo from './shift-step-io.wgsl';
import { stepKernel, stepLayout, type SsmStepOptions } from './step-layout.js';
import type { ShiftSsmParams, ShiftSsmStateParams } from './shift-step.ref.js';
import stateSource from './shift-state.wgsl';
import stepRowSource from './shift-step-row.wgsl';
import stepSource from './shift-step.wgsl';

const Params = uniformStruct('Params', { rows: 'u32', channels: 'u32', stateSize: 'u32', length: 'u32' });
const SOURCES = { io: stepIo, row: stepRowSource, segmented: stepSource };
const STATE_WG = 256;

/**
 * state [B,d,N] = the last N inputs of k [B,d,L], newest first, zeros before the prompt (f32, exact; see shiftSsmStateRef).
 * @example shiftSsmState(ctx, state, k, { batch: 1, channels: 768, stateSize: 64, length: 1024 })
 */
export function shiftSsmState(ctx: GpuContext, state: GPUBuffer, k: GPUBuffer, p: ShiftSsmStateParams): void {
  checkSizes('shiftSsmState', p);
  const kernel = ctx.kernel({
    key: { op: 'shiftSsmState', wg: STATE_WG },
    source: stateSource,
    uniform: Params,
    bindings: ['read', 'rw'],
    constants: { WG: STATE_WG },
  });
  const rows = p.batch * p.channels;
  kernel.dispatch([k, state], { rows, channels: p.channels, stateSize: p.stateSize, length: p.length }, ctx.grid(Math.ceil((rows * p.stateSize) / STATE_WG)));
}

/**
 * One token in one dispatch (f32; see shiftSsmStepRef): state [B,d,N] shifts right by one with k [B,d] in
 * slot 0 (in place), and y [B,d] = Σ_j kernel[j]·state[j] + D·k for kernel [d,N], D [d]. Layout per `opts`
 * (step-layout.ts).
 * @example shiftSsmStep(ctx, y, state, k, kernel, D, { batch: 1, channels: 768, stateSize: 64 })
 */
export function shiftSsmStep(
  ctx: GpuContext,
  y: GPUBuffer,
  state: GPUBuffer,
  k: GPUBuffer,
  kernel: GPUBuffer,
  D: GPUBuffer,
  p: ShiftSsmParams,
  opts: SsmStepOptions = {},
): void {
  checkSizes('shiftSsmStep', p);
  const rows = p.batch * p.channels;
  const plan = stepLayout(ctx, 'shiftSsmStep', 'stateSize', rows, p.stateSize, opts);
  const step = stepKernel(ctx, 'shiftSsmStep', SOURCES, Params, ['read', 'read', 'read', 'rw', 'rw'], plan);
  step.dispatch([k, kernel, D, state, y], { rows, channels: p.channels, stateSize: p.stateSize, length: 0 }, ctx.grid(plan.workgroups));
}
