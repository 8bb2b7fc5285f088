// WebGPU AdamW step, in place on param, m and v (see adamw.ref.ts).
import type { GpuContext } from '../../runtime/gpu-context.js';
import { uniformStruct } from '../../runtime/uniform.js';
import type { AdamWParams } from './adamw.ref.js';
import source from './adamw.wgsl';

const Params = uniformStruct('Params', {
  n: 'u32',
  lr: 'f32',
  beta1: 'f32',
  oneMinusBeta1: 'f32',
  beta2: 'f32',
  oneMinusBeta2: 'f32',
  eps: 'f32',
  decay: 'f32',
  gradScale: 'f32',
  bc1: 'f32',
  bc2: 'f32',
});
const WG = 256;

/** One AdamW step on param, grad, m, v [n] f32 (grad read-only, the rest updated in place; see adamwRef). */
export function adamw(ctx: GpuContext, param: GPUBuffer, grad: GPUBuffer, m: GPUBuffer, v: GPUBuffer, p: AdamWParams): void {
  const kernel = ctx.kernel({
    key: { op: 'adamw', wg: WG },
    source,
    uniform: Params,
    bindings: ['rw', 'read', 'rw', 'rw'],
    constants: { WG },
  });
  // float64 here: 1 − β2^step is tiny at step 1 (1e-3 for β2 = 0.999) and would lose digits in f32
  const values = {
    n: p.n,
    lr: p.lr,
    beta1: p.beta1,
    oneMinusBeta1: 1 - p.beta1,
    beta2: p.beta2,
    oneMinusBeta2: 1 - p.beta2,
    eps: p.eps,
    decay: 1 - p.lr * p.weightDecay,
    gradScale: p.gradScale,
    bc1: 1 - p.beta1 ** p.step,
    bc2: 1 - p.beta2 ** p.step,
  };
  kernel.dispatch([param, grad, m, v], values, ctx.grid(Math.ceil(p.n / WG)));
}
