// Reference AdamW step (Loshchilov & Hutter 2019, PyTorch semantics): decoupled weight decay, then Adam's
// bias-corrected update. In place on param, m, v.
import type { FloatArray } from '../../util/types.js';

export interface AdamWParams {
  /** Number of parameters. */
  n: number;
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
  weightDecay: number;
  /** Step number, counting from 1. */
  step: number;
  /** Multiplies grad before use (e.g. 1/accumulation steps or a clipping factor). */
  gradScale: number;
}

/**
 * One AdamW step over param, grad, m, v [n]: g = gradScale·grad; param ← param·(1 − lr·wd);
 * m ← β1·m + (1−β1)·g; v ← β2·v + (1−β2)·g²; param ← param − lr·(m/(1−β1^step)) / (√(v/(1−β2^step)) + eps).
 */
export function adamwRef(param: FloatArray, grad: FloatArray, m: FloatArray, v: FloatArray, p: AdamWParams): void {
  const { n, lr, beta1, beta2, eps, gradScale } = p;
  const bc1 = 1 - beta1 ** p.step;
  const bc2 = 1 - beta2 ** p.step;
  const decay = 1 - lr * p.weightDecay;
  for (let i = 0; i < n; i++) {
    const g = gradScale * grad[i];
    const mi = beta1 * m[i] + (1 - beta1) * g;
    const vi = beta2 * v[i] + (1 - beta2) * g * g;
    m[i] = mi;
    v[i] = vi;
    param[i] = param[i] * decay - (lr * (mi / bc1)) / (Math.sqrt(vi / bc2) + eps);
  }
}
