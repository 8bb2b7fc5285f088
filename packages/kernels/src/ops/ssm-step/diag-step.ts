// WebGPU twins of diag-step.ref.ts: the prefill (diag-state.wgsl) and the fused one-token step in either layout
// (diag-step.wgsl, diag-step-row.wgsl; step-layout.ts).
import type { GpuContext } from '../../runtime/gpu-context.js';
import { uniformStruct } from '../../runtime/uniform.js';
import { checkSizes, type DiagSsmParams, type DiagSsmStateParams } from './diag-step.ref.js';
import stateSource from './diag-state.wgsl';
import stepRowSource from './diag-step-row.wgsl';
import stepSource from './diag-step.wgsl';
import stepIo from './diag-step-io.wgsl';
import { stepKernel, stepLayout, type SsmStepOptions } from './step-layout.js';

const Params = uniformStruct('Params', { rows: 'u32', channels: 'u32', modes: 'u32', length: 'u32' });
const SOURCES = { io: stepIo, row: stepRowSource, segmented: stepSource };
const STATE_WG = 64;

/**
 * state [B,H,N2,2] = Σ_{j<L} Ā^(L−1−j)·z[…, j] for z [B,H,L] and Ā [H,N2,2] (f32; see diagSsmStateRef):
 * one invocation per (b, h, n) looping over the prompt. Error ≤ 5u·L·max(|s|, |z|) (u = 2⁻²⁴), see the WGSL.
 * @example diagSsmState(ctx, state, z, A, { batch: 1, channels: 768, modes: 32, length: 1024 })
 */
export function diagSsmState(ctx: GpuContext, state: GPUBuffer, z: GPUBuffer, A: GPUBuffer, p: DiagSsmStateParams): void {
  checkSizes('diagSsmState', p);
  const kernel = ctx.kernel({
    key: { op: 'diagSsmState', wg: STATE_WG },
    source: stateSource,
    uniform: Params,
    bindings: ['read', 'read', 'rw'],
    constants: { WG: STATE_WG },
  });
  const rows = p.batch * p.channels;
  kernel.dispatch([z, A, state], { rows, channels: p.channels, modes: p.modes, length: p.length }, ctx.grid(Math.ceil((rows * p.modes) / STATE_WG)));
}

/**
 * One token in one dispatch (f32; see diagSsmStepRef): state [B,H,N2,2] ← Ā ⊙ state + z (in place) and
 * y [B,H] = 2·Re Σ_n W_n·state_n + D·z, for z [B,H], Ā and W [H,N2,2], D [H]. Layout per `opts` (step-layout.ts).
 * @example diagSsmStep(ctx, y, state, z, A, W, D, { batch: 1, channels: 768, modes: 32 })
 */
export function diagSsmStep(
  ctx: GpuContext,
  y: GPUBuffer,
  state: GPUBuffer,
  z: GPUBuffer,
  A: GPUBuffer,
  W: GPUBuffer,
  D: GPUBuffer,
  p: DiagSsmParams,
  opts: SsmStepOptions = {},
): void {
  checkSizes('diagSsmStep', p);
  const rows = p.batch * p.channels;
  const plan = stepLayout(ctx, 'diagSsmStep', 'modes', rows, p.modes, opts);
  const step = stepKernel(ctx, 'diagSsmStep', SOURCES, Params, ['read', 'read', 'read', 'read', 'rw', 'rw'], plan);
  step.dispatch([z, A, W, D, state, y], { rows, channels: p.channels, modes: p.modes, length: 0 }, ctx.grid(plan.workgroups));
}
