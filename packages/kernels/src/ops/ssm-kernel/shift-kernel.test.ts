import { describe, expect, it } from 'vitest';
import { numericGrad, relL2, testSeed } from '../../testing/index.js';
import { Rng } from '../../util/rng.js';
import { shiftKernelBackwardRef, shiftKernelLength, shiftKernelRef, type ShiftKernelParams } from './shift-kernel.ref.js';
import { shiftTestParams } from './test-params.js';

const seed = testSeed();

/** The impulse response of the shift SSM's recurrence x ← shift(x) + B·u, y = C·x (h3-reference.md §2). */
function impulseResponse(B: Float64Array, C: Float64Array, p: ShiftKernelParams): Float64Array {
  const { channels: H, state: N } = p;
  const Lk = shiftKernelLength(p);
  const k = new Float64Array(H * Lk);
  for (let h = 0; h < H; h++) {
    let x = new Float64Array(N);
    for (let t = 0; t < Lk; t++) {
      const shifted = new Float64Array(N);
      shifted.set(x.subarray(0, N - 1), 1);
      x = shifted;
      if (t === 0) for (let m = 0; m < N; m++) x[m] += B[h * N + m];
      for (let m = 0; m < N; m++) k[h * Lk + t] += C[h * N + m] * x[m];
    }
  }
  return k;
}

const CASES: ShiftKernelParams[] = [
  { channels: 1, state: 1, length: 1 },
  { channels: 3, state: 8, length: 5 }, // L < N: truncated
  { channels: 5, state: 64, length: 1000 },
  { channels: 2, state: 7, length: 7 },
];

describe('shiftKernelRef', () => {
  it('equals the recurrence impulse response; with B = e₁ it is C itself', () => {
    const rng = new Rng(seed);
    for (const p of CASES) {
      const { B, C } = shiftTestParams(rng, p.channels, p.state, 0.5);
      const k = new Float64Array(p.channels * shiftKernelLength(p));
      shiftKernelRef(k, B, C, p);
      expect(relL2(k, impulseResponse(B, C, p)), `${JSON.stringify(p)} seed ${seed}`).toBeLessThan(1e-14);
      const init = shiftTestParams(rng, p.channels, p.state);
      shiftKernelRef(k, init.B, init.C, p);
      const Lk = shiftKernelLength(p);
      for (let h = 0; h < p.channels; h++) expect(Array.from(k.subarray(h * Lk, (h + 1) * Lk))).toEqual(Array.from(init.C.subarray(h * p.state, h * p.state + Lk)));
    }
  });
});

describe('shiftKernelBackwardRef', () => {
  it('matches central finite differences of Σ g·k (float64; k is bilinear, so differences are exact to rounding)', () => {
    const rng = new Rng(seed);
    for (const p of CASES) {
      const { B, C } = shiftTestParams(rng, p.channels, p.state, 0.5);
      const Lk = shiftKernelLength(p);
      const g = rng.fillNormal(new Float64Array(p.channels * Lk));
      const loss = () => {
        const k = new Float64Array(p.channels * Lk);
        shiftKernelRef(k, B, C, p);
        return k.reduce((a, v, i) => a + g[i] * v, 0);
      };
      const dB = new Float64Array(B.length).fill(NaN);
      const dC = new Float64Array(C.length).fill(NaN);
      shiftKernelBackwardRef(dB, dC, g, B, C, p);
      for (const [analytic, v] of [[dB, B], [dC, C]] as const)
        expect(relL2(analytic, numericGrad(loss, v, 1e-3)), `${JSON.stringify(p)} seed ${seed}`).toBeLessThan(1e-10);
    }
  });
});
