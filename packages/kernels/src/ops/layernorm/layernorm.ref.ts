// Layer normalisation over the last axis (Ba, Kiros & Hinton 2016) with PyTorch semantics: biased variance,
// eps inside the square root. The forward pass saves mean and rstd = 1/√(var + eps) for the backward pass.
import type { FloatArray } from '../../util/types.js';

export interface LayerNormParams {
  /** Number of rows: every leading dim flattened. */
  rows: number;
  /** Length of the normalised (last) axis. */
  dim: number;
  /** Added to the variance inside the square root (PyTorch default 1e-5). */
  eps: number;
}

/**
 * out [rows, dim] = (x − mean) · rstd · weight + bias, with x [rows, dim], weight [dim], bias [dim];
 * also writes mean [rows] and rstd [rows] for layerNormBackwardRef. Row statistics are accumulated in
 * JS numbers (float64) whatever the array type.
 */
export function layerNormForwardRef(
  out: FloatArray,
  mean: FloatArray,
  rstd: FloatArray,
  x: FloatArray,
  weight: FloatArray,
  bias: FloatArray,
  p: LayerNormParams,
): void {
  const { rows, dim, eps } = p;
  for (let r = 0; r < rows; r++) {
    const o = r * dim;
    let sum = 0;
    for (let i = 0; i < dim; i++) sum += x[o + i];
    const m = sum / dim;
    // squared deviations from the mean, not E[x²] − mean²: no cancellation when |mean| ≫ std
    let sq = 0;
    for (let i = 0; i < dim; i++) {
      const d = x[o + i] - m;
      sq += d * d;
    }
    const rs = 1 / Math.sqrt(sq / dim + eps);
    for (let i = 0; i < dim; i++) out[o + i] = (x[o + i] - m) * rs * weight[i] + bias[i];
    mean[r] = m;
    rstd[r] = rs;
  }
}

/**
 * Overwrites dx [rows, dim], dweight [dim] and dbias [dim] from dy [rows, dim] and the forward's inputs and
 * saved mean [rows], rstd [rows]. With x̂ = (x − mean) · rstd and g = dy · weight:
 * dx = rstd · (g − mean(g) − x̂ · mean(g · x̂)), dweight = Σ_rows dy · x̂, dbias = Σ_rows dy.
 */
export function layerNormBackwardRef(
  dx: FloatArray,
  dweight: FloatArray,
  dbias: FloatArray,
  dy: FloatArray,
  x: FloatArray,
  weight: FloatArray,
  mean: FloatArray,
  rstd: FloatArray,
  p: LayerNormParams,
): void {
  const { rows, dim } = p;
  // column sums in float64 for float32 arrays too, rounded once at the end
  const dw = new Float64Array(dim);
  const db = new Float64Array(dim);
  for (let r = 0; r < rows; r++) {
    const o = r * dim;
    const m = mean[r];
    const rs = rstd[r];
    let sumG = 0;
    let sumGX = 0;
    for (let i = 0; i < dim; i++) {
      const xh = (x[o + i] - m) * rs;
      const g = dy[o + i] * weight[i];
      sumG += g;
      sumGX += g * xh;
      dw[i] += dy[o + i] * xh;
      db[i] += dy[o + i];
    }
    const meanG = sumG / dim;
    const meanGX = sumGX / dim;
    for (let i = 0; i < dim; i++) {
      const xh = (x[o + i] - m) * rs;
      dx[o + i] = rs * (dy[o + i] * weight[i] - meanG - xh * meanGX);
    }
  }
  dweight.set(dw);
  dbias.set(db);
}
