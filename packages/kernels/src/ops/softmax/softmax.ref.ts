// Softmax over the last axis, y = exp(x − max x) / Σ exp(x − max x); subtracting the row max keeps exp
// from overflowing without changing the result.
import type { FloatArray } from '../../util/types.js';

export interface SoftmaxParams {
  /** Number of rows: every leading dim flattened. */
  rows: number;
  /** Length of the softmax (last) axis. */
  dim: number;
}

/** out [rows, dim] = softmax(x [rows, dim]) per row, computed in JS numbers (float64) for any array type. */
export function softmaxForwardRef(out: FloatArray, x: FloatArray, p: SoftmaxParams): void {
  const { rows, dim } = p;
  const e = new Float64Array(dim); // one row of exponentials, so float32 outputs are rounded once
  for (let r = 0; r < rows; r++) {
    const o = r * dim;
    let max = -Infinity;
    for (let i = 0; i < dim; i++) max = Math.max(max, x[o + i]);
    let sum = 0;
    for (let i = 0; i < dim; i++) {
      e[i] = Math.exp(x[o + i] - max);
      sum += e[i];
    }
    const inv = 1 / sum;
    for (let i = 0; i < dim; i++) out[o + i] = e[i] * inv;
  }
}

/** Overwrites dx [rows, dim] = y ⊙ (dy − Σ_j dy_j y_j) per row, from the forward output y and dy [rows, dim]. */
export function softmaxBackwardRef(dx: FloatArray, y: FloatArray, dy: FloatArray, p: SoftmaxParams): void {
  const { rows, dim } = p;
  for (let r = 0; r < rows; r++) {
    const o = r * dim;
    let dot = 0;
    for (let i = 0; i < dim; i++) dot += dy[o + i] * y[o + i];
    for (let i = 0; i < dim; i++) dx[o + i] = y[o + i] * (dy[o + i] - dot);
  }
}
