// Random S4D and shift-SSM parameters drawn like the official initialisation (h3-reference.md §1.1, §2),
// shared by this folder's tests.
import type { Rng } from '../../util/rng.js';

export type S4dInit = 'lin' | 'inv';

/** logDt [H], invAReal [H, N2], AImag [H, N2], B [H, N2, 2], C [H, N2, 2] as float64. */
export interface S4dTestParams {
  logDt: Float64Array;
  invAReal: Float64Array;
  AImag: Float64Array;
  B: Float64Array;
  C: Float64Array;
}

/**
 * log Δ ~ U(log 1e−3, log 1e−1); invAReal = log 0.5 plus N(0, 0.1²) noise (so modes differ); AImag = π·n
 * (S4D-Lin) or (N/π)(N/(2n+1) − 1) with N = 2·N2 (S4D-Inv); B = 1 (+ N(0, bNoise²) per part, 0 = the official
 * init); C complex normal with re, im each of variance 1/2.
 */
export function s4dTestParams(rng: Rng, H: number, N2: number, init: S4dInit, bNoise = 0): S4dTestParams {
  const N = 2 * N2;
  const logDt = new Float64Array(H).map(() => Math.log(1e-3) + rng.uniform() * (Math.log(1e-1) - Math.log(1e-3)));
  const invAReal = new Float64Array(H * N2).map(() => Math.log(0.5) + 0.1 * rng.normal());
  const AImag = new Float64Array(H * N2).map((_, i) => {
    const n = i % N2;
    return init === 'lin' ? Math.PI * n : (N / Math.PI) * (N / (2 * n + 1) - 1);
  });
  const B = new Float64Array(2 * H * N2).map((_, i) => (i % 2 === 0 ? 1 : 0) + bNoise * rng.normal());
  const C = new Float64Array(2 * H * N2).map(() => Math.SQRT1_2 * rng.normal());
  return { logDt, invAReal, AImag, B, C };
}

/** Shift SSM B [H, N] = e₁ (+ N(0, bNoise²)) and C [H, N] ~ U(−1/√N, 1/√N) (nn.Conv1d's default init). */
export function shiftTestParams(rng: Rng, H: number, N: number, bNoise = 0): { B: Float64Array; C: Float64Array } {
  const B = new Float64Array(H * N).map((_, i) => (i % N === 0 ? 1 : 0) + bNoise * rng.normal());
  const C = new Float64Array(H * N).map(() => (2 * rng.uniform() - 1) / Math.sqrt(N));
  return { B, C };
}
