import { describe, expect, it } from 'vitest';
import { ShapeError } from '../../errors.js';
import { expectClose, relL2, testSeed } from '../../testing/index.js';
import { Rng } from '../../util/rng.js';
import { causalConvDirect, causalConvDirectBackward } from './direct.ref.js';
import { fftConvBackwardRef, fftConvForwardRef } from './fftconv.ref.js';
import { checkFftConvParams, fftLength, twiddleTable, type FftConvParams } from './plan.js';
import { RealFft } from './real-fft.js';
import { oracleErrors } from './oracle-check.js';

const seed = testSeed();

// (B, H, L, Lk): single element, Lk = 1, odd L, Lk < L, Lk = L, L not a power of two, a power of two
const SHAPES: [number, number, number, number][] = [
  [1, 1, 1, 1],
  [2, 3, 7, 1],
  [2, 3, 7, 7],
  [3, 2, 100, 37],
  [1, 2, 129, 100],
  [2, 2, 256, 256],
];

function inputs(rng: Rng, p: FftConvParams, f64: boolean) {
  const make = (n: number) => rng.fillNormal(f64 ? new Float64Array(n) : new Float32Array(n));
  const { batch: B, channels: H, length: L, kernelLength: Lk } = p;
  return { u: make(B * H * L), k: make(H * Lk), D: make(H), dy: make(B * H * L) };
}

describe('twiddle table and real FFT', () => {
  it('tw[t] = exp(−2πi·t/N) to float64 rounding', () => {
    for (const n of [4, 8, 64, 4096]) {
      const tw = twiddleTable(n);
      for (let t = 0; t < n / 2; t++) {
        expect(Math.abs(tw[2 * t] - Math.cos((2 * Math.PI * t) / n))).toBeLessThan(4e-16);
        expect(Math.abs(tw[2 * t + 1] + Math.sin((2 * Math.PI * t) / n))).toBeLessThan(4e-16);
      }
    }
  });

  it('forward equals the direct DFT of the zero-padded row, and inverse undoes it', () => {
    const rng = new Rng(seed);
    for (const [n, len] of [[4, 1], [4, 4], [8, 5], [64, 64], [256, 100]]) {
      const x = rng.fillNormal(new Float64Array(len));
      const fft = new RealFft(n);
      const xr = new Float64Array(n / 2 + 1);
      const xi = new Float64Array(n / 2 + 1);
      fft.forward(x, 0, len, xr, xi);
      const dr = new Float64Array(n / 2 + 1);
      const di = new Float64Array(n / 2 + 1);
      for (let f = 0; f <= n / 2; f++)
        for (let j = 0; j < len; j++) {
          dr[f] += x[j] * Math.cos((2 * Math.PI * f * j) / n);
          di[f] -= x[j] * Math.sin((2 * Math.PI * f * j) / n);
        }
      // float64 DFT sums of ≤ 256 terms: ~1e-15 relative either way
      expect(relL2([...xr, ...xi], [...dr, ...di])).toBeLessThan(1e-13);
      const back = new Float64Array(len);
      fft.inverse(xr, xi, 1 / (n / 2), back, 0, len);
      expect(relL2(back, x)).toBeLessThan(1e-13);
    }
  });
});

describe('fftConvForwardRef / fftConvBackwardRef (the CPU path) vs the direct oracle', () => {
  it('forward and all three gradients agree in float64', () => {
    const rng = new Rng(seed);
    for (const [B, H, L, Lk] of SHAPES) {
      const p = { batch: B, channels: H, length: L, kernelLength: Lk };
      const { u, k, D, dy } = inputs(rng, p, true);
      const want = new Float64Array(B * H * L);
      const got = new Float64Array(B * H * L);
      causalConvDirect(want, u, k, D, p);
      fftConvForwardRef(got, u, k, D, p);
      const label = `[${B},${H},${L}] Lk=${Lk}`;
      // float64 transforms of length N ≤ 512: error ~ε64·log2 N ≈ 2e-15; 1e-12 leaves room for cancellation,
      // and atol 1e-14 (~100 ε of the unit-normal terms) covers a lone output that cancels (D ≈ −k at L = 1)
      expectClose(got, want, 1e-12, `${label} forward`, seed, 1e-14);
      const w = [new Float64Array(B * H * L), new Float64Array(H * Lk), new Float64Array(H)];
      const g = [new Float64Array(B * H * L), new Float64Array(H * Lk), new Float64Array(H)];
      causalConvDirectBackward(w[0], w[1], w[2], dy, u, k, D, p);
      fftConvBackwardRef(g[0], g[1], g[2], dy, u, k, D, p);
      ['du', 'dk', 'dD'].forEach((name, i) => expectClose(g[i], w[i], 1e-12, `${label} ${name}`, seed, 1e-14));
    }
  });

  it('the oracle backward is the gradient of Σ dy·y (central differences, float64), and dD = dk[:, 0]', () => {
    const rng = new Rng(seed);
    const p = { batch: 2, channels: 2, length: 9, kernelLength: 5 };
    const x = inputs(rng, p, true);
    const y = new Float64Array(2 * 2 * 9);
    const loss = () => {
      causalConvDirect(y, x.u, x.k, x.D, p);
      return y.reduce((s, v, i) => s + v * x.dy[i], 0);
    };
    const grads = [new Float64Array(x.u.length), new Float64Array(x.k.length), new Float64Array(x.D.length)];
    causalConvDirectBackward(grads[0], grads[1], grads[2], x.dy, x.u, x.k, x.D, p);
    [x.u, x.k, x.D].forEach((param, i) => {
      const numeric = new Float64Array(param.length);
      for (let j = 0; j < param.length; j++) {
        const v = param[j];
        param[j] = v + 1e-3;
        const up = loss();
        param[j] = v - 1e-3;
        numeric[j] = (up - loss()) / 2e-3;
        param[j] = v;
      }
      // the loss is linear in each parameter, so central differences are exact up to rounding ε·|loss|/h: a
      // large h = 1e-3 keeps that ≲ 1e-12 even for a 2-entry dD whose sums cancel (at h = 1e-6, 1 seed in 1000 failed)
      expect(relL2(grads[i], numeric)).toBeLessThan(1e-8);
    });
    for (let h = 0; h < 2; h++) expect(grads[2][h]).toBeCloseTo(grads[1][h * 5], 12);
  });

  it('float32 in and out: relative L2 error vs the float64 oracle ≤ 1e-6 (L ≤ 8192) and ≤ 5e-6 (L = 65536)', () => {
    const rng = new Rng(seed);
    // The CPU path transforms in float64, so its only float32 error is rounding the outputs once:
    // ≤ 2^-24 relative per element, ≈ 3.4e-8 rms. The bounds are the targets for every path.
    for (const [B, H, L, tol] of [[2, 4, 1000, 1e-6], [1, 2, 8192, 1e-6], [1, 1, 65536, 5e-6]] as const) {
      const p = { batch: B, channels: H, length: L, kernelLength: L };
      const x = inputs(rng, p, false);
      const y = new Float32Array(B * H * L);
      const grads: [Float32Array, Float32Array, Float32Array] = [new Float32Array(B * H * L), new Float32Array(H * L), new Float32Array(H)];
      fftConvForwardRef(y, x.u, x.k, x.D, p);
      fftConvBackwardRef(grads[0], grads[1], grads[2], x.dy, x.u, x.k, x.D, p);
      const errors = oracleErrors(p, x, y, grads, L <= 8192 ? Infinity : 256, rng);
      for (const [name, err] of Object.entries(errors)) expect(err, `${name} [${B},${H},${L}] seed ${seed}`).toBeLessThanOrEqual(tol);
    }
  });
});

describe('shape checks', () => {
  it('names the bad field, expected and got', () => {
    expect(() => checkFftConvParams('f', { batch: 1, channels: 2, length: 8, kernelLength: 9 })).toThrow(ShapeError);
    expect(() => checkFftConvParams('f', { batch: 1, channels: 2, length: 8, kernelLength: 9 })).toThrow(/kernelLength must have shape ≤ length = 8; got 9/);
    expect(() => checkFftConvParams('f', { batch: 0, channels: 2, length: 8, kernelLength: 8 })).toThrow(/batch must have shape a positive integer; got 0/);
    expect(fftLength(1, 1)).toBe(4);
    expect(fftLength(1024, 1024)).toBe(2048);
    expect(fftLength(1000, 37)).toBe(2048);
    expect(fftLength(1024, 1)).toBe(1024);
  });
});
