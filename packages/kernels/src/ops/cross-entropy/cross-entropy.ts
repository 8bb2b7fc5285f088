// WebGPU fused softmax cross-entropy, one workgroup per row (see cross-entropy.ref.ts).
import type { GpuContext } from '../../runtime/gpu-context.js';
import { uniformStruct } from '../../runtime/uniform.js';
import backwardSource from './cross-entropy-backward.wgsl';
import forwardSource from './cross-entropy-forward.wgsl';
import type { CrossEntropyParams } from './cross-entropy.ref.js';
import rowMaxSumexp from './row-max-sumexp.wgsl';

const Params = uniformStruct('Params', { rows: 'u32', vocab: 'u32' });
const WG = 256;

/** losses [rows] f32 = logsumexp(logits [rows, vocab] f32) − logits[r, targets[r]], targets [rows] i32, < 0 ignored (see crossEntropyForwardRef). */
export function crossEntropyForward(ctx: GpuContext, losses: GPUBuffer, logits: GPUBuffer, targets: GPUBuffer, p: CrossEntropyParams): void {
  const kernel = ctx.kernel({
    key: { op: 'crossEntropyForward', wg: WG },
    source: forwardSource,
    libraries: [rowMaxSumexp],
    uniform: Params,
    bindings: ['read', 'read', 'rw'],
    constants: { WG },
  });
  kernel.dispatch([logits, targets, losses], { rows: p.rows, vocab: p.vocab }, ctx.grid(p.rows));
}

/** dlogits [rows, vocab] f32 = (softmax(logits) − onehot(targets)) · dlosses [rows] f32, ignored rows 0 (see crossEntropyBackwardRef). */
export function crossEntropyBackward(
  ctx: GpuContext,
  dlogits: GPUBuffer,
  logits: GPUBuffer,
  targets: GPUBuffer,
  dlosses: GPUBuffer,
  p: CrossEntropyParams,
): void {
  const kernel = ctx.kernel({
    key: { op: 'crossEntropyBackward', wg: WG },
    source: backwardSource,
    libraries: [rowMaxSumexp],
    uniform: Params,
    bindings: ['read', 'read', 'read', 'rw'],
    constants: { WG },
  });
  kernel.dispatch([logits, targets, dlosses, dlogits], { rows: p.rows, vocab: p.vocab }, ctx.grid(p.rows));
}
