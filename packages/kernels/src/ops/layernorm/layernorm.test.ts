import { describe, expect, it } from 'vitest';
import { numericGrad, relL2 } from '../../testing/index.js';
import { Rng } from '../../util/rng.js';
import { layerNormBackwardRef, layerNormForwardRef, type LayerNormParams } from './layernorm.ref.js';

function forward(x: Float64Array, weight: Float64Array, bias: Float64Array, p: LayerNormParams) {
  const out = new Float64Array(p.rows * p.dim);
  const mean = new Float64Array(p.rows);
  const rstd = new Float64Array(p.rows);
  layerNormForwardRef(out, mean, rstd, x, weight, bias, p);
  return { out, mean, rstd };
}

describe('layerNormForwardRef', () => {
  it('matches the direct formula (x − E[x]) / √(E[x²] − E[x]² + eps) · weight + bias', () => {
    const rng = new Rng(1);
    const p = { rows: 4, dim: 9, eps: 1e-5 };
    const x = rng.fillNormal(new Float64Array(p.rows * p.dim));
    const weight = rng.fillNormal(new Float64Array(p.dim));
    const bias = rng.fillNormal(new Float64Array(p.dim));
    const { out, mean, rstd } = forward(x, weight, bias, p);
    for (let r = 0; r < p.rows; r++) {
      const row = Array.from(x.subarray(r * p.dim, (r + 1) * p.dim));
      const m = row.reduce((a, b) => a + b, 0) / p.dim;
      const v = row.reduce((a, b) => a + b * b, 0) / p.dim - m * m;
      expect(mean[r]).toBeCloseTo(m, 13);
      expect(rstd[r]).toBeCloseTo(1 / Math.sqrt(v + p.eps), 12);
      for (let i = 0; i < p.dim; i++)
        expect(out[r * p.dim + i]).toBeCloseTo(((row[i] - m) / Math.sqrt(v + p.eps)) * weight[i] + bias[i], 12);
    }
  });

  it('gives rows of mean 0 and variance var/(var + eps) with unit weight and zero bias; dim 1 gives bias', () => {
    const rng = new Rng(2);
    const p = { rows: 3, dim: 13, eps: 1e-5 };
    const x = rng.fillNormal(new Float64Array(p.rows * p.dim), 2, 3);
    const { out, rstd } = forward(x, new Float64Array(p.dim).fill(1), new Float64Array(p.dim), p);
    for (let r = 0; r < p.rows; r++) {
      const row = out.subarray(r * p.dim, (r + 1) * p.dim);
      const m = row.reduce((a, b) => a + b, 0) / p.dim;
      const v = row.reduce((a, b) => a + b * b, 0) / p.dim;
      expect(Math.abs(m)).toBeLessThan(1e-14);
      expect(v).toBeCloseTo(1 - p.eps * rstd[r] * rstd[r], 12);
    }
    const one = forward(new Float64Array([5]), new Float64Array([2]), new Float64Array([0.25]), { rows: 1, dim: 1, eps: 1e-5 });
    expect(one.out[0]).toBe(0.25);
  });

  it('in float32 accumulates in float64: |mean| ≫ std still rounds each output once', () => {
    const rng = new Rng(3);
    const p = { rows: 2, dim: 1000, eps: 1e-5 };
    const x32 = rng.fillNormal(new Float32Array(p.rows * p.dim), 1000, 1);
    const w32 = rng.fillNormal(new Float32Array(p.dim));
    const b32 = rng.fillNormal(new Float32Array(p.dim));
    const out = new Float32Array(p.rows * p.dim);
    layerNormForwardRef(out, new Float32Array(p.rows), new Float32Array(p.rows), x32, w32, b32, p);
    const ref = forward(Float64Array.from(x32), Float64Array.from(w32), Float64Array.from(b32), p).out;
    // one float32 rounding per output
    expect(relL2(out, ref)).toBeLessThan(2 ** -24);
  });
});

describe('layerNormBackwardRef', () => {
  it('matches central finite differences of Σ g·out with respect to x, weight and bias (float64)', () => {
    const rng = new Rng(4);
    const p = { rows: 3, dim: 5, eps: 1e-5 };
    const x = rng.fillNormal(new Float64Array(p.rows * p.dim));
    const weight = rng.fillNormal(new Float64Array(p.dim));
    const bias = rng.fillNormal(new Float64Array(p.dim));
    const g = rng.fillNormal(new Float64Array(p.rows * p.dim));
    const loss = () => forward(x, weight, bias, p).out.reduce((acc, v, i) => acc + g[i] * v, 0);

    const { mean, rstd } = forward(x, weight, bias, p);
    const dx = new Float64Array(p.rows * p.dim).fill(NaN); // outputs are overwritten, not accumulated
    const dweight = new Float64Array(p.dim).fill(NaN);
    const dbias = new Float64Array(p.dim).fill(NaN);
    layerNormBackwardRef(dx, dweight, dbias, g, x, weight, mean, rstd, p);

    expect(relL2(dx, numericGrad(loss, x))).toBeLessThan(1e-6);
    expect(relL2(dweight, numericGrad(loss, weight))).toBeLessThan(1e-6);
    expect(relL2(dbias, numericGrad(loss, bias))).toBeLessThan(1e-6);
  });

  it('gives dx = 0 and dweight = 0 for dim 1 (the output is the bias)', () => {
    const p = { rows: 2, dim: 1, eps: 1e-5 };
    const x = new Float64Array([3, -1]);
    const { mean, rstd } = forward(x, new Float64Array([2]), new Float64Array([1]), p);
    const dx = new Float64Array(2);
    const dweight = new Float64Array(1);
    const dbias = new Float64Array(1);
    layerNormBackwardRef(dx, dweight, dbias, new Float64Array([0.5, 2]), x, new Float64Array([2]), mean, rstd, p);
    expect(Array.from(dx)).toEqual([0, 0]);
    expect(dweight[0]).toBe(0);
    expect(dbias[0]).toBe(2.5);
  });
});
