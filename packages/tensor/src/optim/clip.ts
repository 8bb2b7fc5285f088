// Global-norm gradient clipping: one readback of ‖g‖ per call (the norm is reported anyway).
import { noGrad, tidy } from '../autograd/scope.js';
import type { Tensor } from '../tensor.js';

/** ‖(all gradients)‖₂ over the given parameters (those without a gradient count as zero). */
export async function gradNorm(params: readonly Tensor[]): Promise<number> {
  const withGrad = params.filter((p) => p.grad);
  if (withGrad.length === 0) return 0;
  const total = noGrad(() =>
    tidy(() => withGrad.map((p) => p.grad!.square().sum()).reduce((a, b) => a.add(b))),
  );
  const sq = await total.item();
  total.dispose();
  return Math.sqrt(sq);
}

/**
 * The factor that clips the global gradient norm to `maxNorm` (PyTorch's clip_grad_norm_: maxNorm/(norm+1e-6)
 * when the norm exceeds it, else 1), with the norm. Pass the factor to `AdamW.step(gradScale)`.
 */
export async function clipGradNorm(params: readonly Tensor[], maxNorm: number): Promise<{ norm: number; scale: number }> {
  const norm = await gradNorm(params);
  const scale = norm > maxNorm ? maxNorm / (norm + 1e-6) : 1;
  return { norm, scale };
}
