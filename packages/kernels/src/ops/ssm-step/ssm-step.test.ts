import { describe, expect, it } from 'vitest';
import { ShapeError } from '../../errors.js';
import { expectClose, randn, testSeed } from '../../testing/index.js';
import { Rng } from '../../util/rng.js';
import { causalConvDirect } from '../fftconv/direct.ref.js';
import { fftConvForwardRef } from '../fftconv/fftconv.ref.js';
import { ssmKernelRef, ssmPowers } from '../fftconv/state-passing.ref.js';
import { diagSsmStateRef, diagSsmStepRef } from './diag-step.ref.js';
import { shiftSsmStateRef, shiftSsmStepRef } from './shift-step.ref.js';
import { expectWithinBounds, randomDiagSsm, runDiag } from './ssm-step.fixtures.js';

const seed = testSeed();
const f64 = (a: ArrayLike<number>) => Float64Array.from(a);

// [B, H, N2, L]: one of everything, odd sizes, the models' N2 = 32, and a prompt longer than 1/(1 − |Ā|) for most modes
const DIAG_CASES = [
  [1, 1, 1, 1],
  [3, 5, 3, 5],
  [1, 3, 32, 700],
  [2, 1, 2, 0],
] as const;

/** Runs diagSsmStepRef over every token of z [B,H,L] from `state`; returns y [B,H,L]. */
function stepOverPrompt(state: Float32Array | Float64Array, z: Float64Array, ssm: { A: Float64Array | Float32Array; W: Float64Array | Float32Array; D: Float64Array | Float32Array }, B: number, H: number, N2: number, L: number): Float64Array {
  const y = new Float64Array(B * H * L);
  const zt = new (state.constructor as Float64ArrayConstructor)(B * H);
  const yt = new (state.constructor as Float64ArrayConstructor)(B * H);
  for (let t = 0; t < L; t++) {
    for (let r = 0; r < B * H; r++) zt[r] = z[r * L + t];
    diagSsmStepRef(yt, state, zt, ssm.A, ssm.W, ssm.D, { batch: B, channels: H, modes: N2 });
    for (let r = 0; r < B * H; r++) y[r * L + t] = yt[r];
  }
  return y;
}

describe('diagSsmStateRef', () => {
  it('equals the defining sum Σ_j Ā^(L−1−j)·z_j with powers by binary exponentiation (float64)', () => {
    const rng = new Rng(seed);
    for (const [B, H, N2, L] of DIAG_CASES) {
      const ssm = randomDiagSsm(rng, H, N2);
      const z = randn(rng, B * H * L, true) as Float64Array;
      const got = new Float64Array(B * H * N2 * 2).fill(NaN);
      diagSsmStateRef(got, z, f64(ssm.A), { batch: B, channels: H, modes: N2, length: L });
      const pw = ssmPowers({ channels: H, modes: N2, A: f64(ssm.A), W: f64(ssm.W), D: f64(ssm.D) }, Math.max(L, 1));
      const want = new Float64Array(B * H * N2 * 2);
      for (let b = 0; b < B; b++)
        for (let h = 0; h < H; h++)
          for (let n = 0; n < N2; n++)
            for (let j = 0; j < L; j++) {
              const e = 2 * ((h * N2 + n) * Math.max(L, 1) + L - 1 - j);
              want[2 * ((b * H + h) * N2 + n)] += pw[e] * z[(b * H + h) * L + j];
              want[2 * ((b * H + h) * N2 + n) + 1] += pw[e + 1] * z[(b * H + h) * L + j];
            }
      // two float64 evaluations of the same sum (Horner vs powers): a few ulp × L relative, |Ā| < 1 damping
      if (L === 0) expect(got.every((v) => v === 0), 'an empty prompt leaves the zero state').toBe(true);
      else expectClose(got, want, 1e-12, `diagSsmStateRef B=${B} H=${H} N2=${N2} L=${L}`, seed);
    }
  });
});

describe('diagSsmStepRef', () => {
  it('over a prompt from zero: the final state of diagSsmStateRef and the outputs of the convolution with K = 2·Re Σ W Ā^l (float64)', () => {
    const rng = new Rng(seed);
    for (const [B, H, N2, L] of DIAG_CASES) {
      if (L === 0) continue; // no step to take
      const ssm = randomDiagSsm(rng, H, N2);
      const s64 = { A: f64(ssm.A), W: f64(ssm.W), D: f64(ssm.D) };
      const z = randn(rng, B * H * L, true) as Float64Array;
      const state = new Float64Array(B * H * N2 * 2);
      const y = stepOverPrompt(state, z, s64, B, H, N2, L);
      const prefill = new Float64Array(state.length);
      diagSsmStateRef(prefill, z, s64.A, { batch: B, channels: H, modes: N2, length: L });
      const label = `B=${B} H=${H} N2=${N2} L=${L}`;
      // the same recurrence in the same order: equal up to float64 rounding
      expectClose(state, prefill, 1e-13, `final state ${label}`, seed);
      const K = ssmKernelRef({ channels: H, modes: N2, ...s64 }, L);
      const yConv = new Float64Array(B * H * L);
      fftConvForwardRef(yConv, z, K, s64.D, { batch: B, channels: H, length: L, kernelLength: L });
      // float64 FFTs: ~ε·log₂N relative to ‖K‖‖z‖, far below 1e-10 at these sizes
      expectClose(y, yConv, 1e-10, `outputs vs fftConvForwardRef ${label}`, seed);
    }
  });

  it('on float32 arrays stays within the float32 error bound of the exact recurrence over 700 tokens', () => {
    const rng = new Rng(seed);
    const [B, H, N2, L] = [3, 5, 32, 700];
    const ssm = randomDiagSsm(rng, H, N2);
    const z = randn(rng, B * H * L, true) as Float64Array;
    const z32 = Float32Array.from(z);
    const exact = runDiag(z32, ssm, { batch: B, channels: H, modes: N2, length: L });
    const state = new Float32Array(B * H * N2 * 2);
    const y = stepOverPrompt(state, Float64Array.from(z32), ssm, B, H, N2, L);
    expectWithinBounds(state, exact.state, exact.stateBound, 'f32 state after 700 steps', seed, 2);
    expectWithinBounds(y, exact.y, exact.yBound, 'f32 outputs', seed);
  });

  it('names the argument whose length does not match', () => {
    const p = { batch: 2, channels: 3, modes: 4 };
    const ok = (n: number) => new Float32Array(n);
    expect(() => diagSsmStepRef(ok(6), ok(48), ok(6), ok(24), ok(23), ok(3), p)).toThrow(ShapeError);
    expect(() => diagSsmStepRef(ok(6), ok(48), ok(6), ok(24), ok(23), ok(3), p)).toThrow(/W must have shape \[3, 4, 2\] \(24 values\); got 23 values/);
    expect(() => diagSsmStateRef(ok(48), ok(5), ok(24), { ...p, length: 2 })).toThrow(/z must have shape \[2, 3, 2\]/);
    expect(() => diagSsmStateRef(ok(48), ok(12), ok(24), { ...p, modes: 0, length: 2 })).toThrow(/modes must have shape a positive integer/);
  });
});

// [B, d, N, L]: prompts shorter and longer than the state, N = 1, odd d, H3's N = 64
const SHIFT_CASES = [
  [1, 1, 1, 1],
  [3, 5, 64, 5],
  [1, 3, 64, 700],
  [2, 7, 3, 4],
] as const;

describe('shiftSsmStateRef and shiftSsmStepRef', () => {
  it('the state is the last N inputs newest first, and stepping over a prompt from zero gives that state and the causal convolution', () => {
    const rng = new Rng(seed);
    for (const [B, d, N, L] of SHIFT_CASES) {
      const k = randn(rng, B * d * L, true) as Float64Array;
      const kernel = randn(rng, d * N, true) as Float64Array;
      const D = randn(rng, d, true) as Float64Array;
      const prefill = new Float64Array(B * d * N).fill(NaN);
      shiftSsmStateRef(prefill, k, { batch: B, channels: d, stateSize: N, length: L });
      for (let r = 0; r < B * d; r++)
        for (let j = 0; j < N; j++) expect(prefill[r * N + j]).toBe(j < L ? k[r * L + L - 1 - j] : 0);
      const state = new Float64Array(B * d * N);
      const y = new Float64Array(B * d * L);
      const [kt, yt] = [new Float64Array(B * d), new Float64Array(B * d)];
      for (let t = 0; t < L; t++) {
        for (let r = 0; r < B * d; r++) kt[r] = k[r * L + t];
        shiftSsmStepRef(yt, state, kt, kernel, D, { batch: B, channels: d, stateSize: N });
        for (let r = 0; r < B * d; r++) y[r * L + t] = yt[r];
      }
      expect(Array.from(state), `stepped state B=${B} d=${d} N=${N} L=${L}`).toEqual(Array.from(prefill));
      const yConv = new Float64Array(B * d * L);
      causalConvDirect(yConv, k, kernel, D, { batch: B, channels: d, length: L, kernelLength: N });
      // the same products summed in another order: float64 rounding only
      expectClose(y, yConv, 1e-13, `outputs vs causalConvDirect B=${B} d=${d} N=${N} L=${L}`, seed);
    }
  });

  it('names the argument whose length does not match', () => {
    const p = { batch: 1, channels: 2, stateSize: 3 };
    const ok = (n: number) => new Float64Array(n);
    expect(() => shiftSsmStepRef(ok(2), ok(6), ok(2), ok(5), ok(2), p)).toThrow(/kernel must have shape \[2, 3\] \(6 values\); got 5 values/);
    expect(() => shiftSsmStateRef(ok(6), ok(7), { ...p, length: 4 })).toThrow(/k must have shape \[1, 2, 4\]/);
  });
});
