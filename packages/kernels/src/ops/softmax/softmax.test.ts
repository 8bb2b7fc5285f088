import { describe, expect, it } from 'vitest';
import { relL2 } from '../../testing/index.js';
import { Rng } from '../../util/rng.js';
import { softmaxBackwardRef, softmaxForwardRef } from './softmax.ref.js';

describe('softmaxForwardRef', () => {
  it('matches exp(x) / Σ exp(x) row by row', () => {
    const rng = new Rng(1);
    const p = { rows: 3, dim: 7 };
    const x = rng.fillNormal(new Float64Array(p.rows * p.dim));
    const out = new Float64Array(p.rows * p.dim);
    softmaxForwardRef(out, x, p);
    for (let r = 0; r < p.rows; r++) {
      let sum = 0;
      for (let i = 0; i < p.dim; i++) sum += Math.exp(x[r * p.dim + i]);
      for (let i = 0; i < p.dim; i++) expect(out[r * p.dim + i]).toBeCloseTo(Math.exp(x[r * p.dim + i]) / sum, 14);
    }
  });

  it('is shift invariant and finite for logits near 1000 (max subtraction), and gives 1 for dim 1', () => {
    const rng = new Rng(2);
    const p = { rows: 2, dim: 31 };
    const x = rng.fillNormal(new Float64Array(p.rows * p.dim));
    const shifted = x.map((v) => v + 1000);
    const a = new Float64Array(x.length);
    const b = new Float64Array(x.length);
    softmaxForwardRef(a, x, p);
    softmaxForwardRef(b, shifted, p);
    expect(b.every(Number.isFinite)).toBe(true);
    expect(relL2(b, a)).toBeLessThan(1e-12);
    const one = new Float32Array(1);
    softmaxForwardRef(one, new Float32Array([-7]), { rows: 1, dim: 1 });
    expect(one[0]).toBe(1);
  });
});

describe('softmaxBackwardRef', () => {
  it('matches the Jacobian product dx_i = Σ_j (δ_ij y_i − y_i y_j) dy_j and overwrites dx', () => {
    const rng = new Rng(3);
    const p = { rows: 2, dim: 6 };
    const x = rng.fillNormal(new Float64Array(p.rows * p.dim));
    const dy = rng.fillNormal(new Float64Array(p.rows * p.dim));
    const y = new Float64Array(x.length);
    softmaxForwardRef(y, x, p);
    const dx = new Float64Array(x.length).fill(NaN);
    softmaxBackwardRef(dx, y, dy, p);
    for (let r = 0; r < p.rows; r++) {
      const o = r * p.dim;
      for (let i = 0; i < p.dim; i++) {
        let want = 0;
        for (let j = 0; j < p.dim; j++) want += ((i === j ? y[o + i] : 0) - y[o + i] * y[o + j]) * dy[o + j];
        expect(dx[o + i]).toBeCloseTo(want, 14);
      }
    }
  });

  it('matches central finite differences of Σ g·softmax(x) with respect to x (float64)', () => {
    const rng = new Rng(4);
    const p = { rows: 3, dim: 5 };
    const x = rng.fillNormal(new Float64Array(p.rows * p.dim), 0, 2);
    const g = rng.fillNormal(new Float64Array(p.rows * p.dim));
    const y = new Float64Array(x.length);
    const loss = () => {
      softmaxForwardRef(y, x, p);
      return y.reduce((acc, v, i) => acc + g[i] * v, 0);
    };
    const h = 1e-6;
    const numeric = new Float64Array(x.length);
    for (let i = 0; i < x.length; i++) {
      const x0 = x[i];
      x[i] = x0 + h;
      const up = loss();
      x[i] = x0 - h;
      const down = loss();
      x[i] = x0;
      numeric[i] = (up - down) / (2 * h);
    }
    softmaxForwardRef(y, x, p);
    const dx = new Float64Array(x.length);
    softmaxBackwardRef(dx, y, g, p);
    expect(relL2(dx, numeric)).toBeLessThan(1e-6);
  });
});
