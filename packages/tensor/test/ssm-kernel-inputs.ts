// Inputs of the SSM-kernel op cases, drawn like the official initialisation (h3-reference.md §1.1, §2) with
// some noise on B so that no gradient is special: S4D logDt [H] ~ U(log 1e−3, log 1e−1), invAReal [H, N2] =
// log 0.5 + N(0, 0.1²), AImag [H, N2] = π·n (S4D-Lin) or (N/π)(N/(2n+1) − 1) (S4D-Inv, N = 2·N2),
// B [H, N2, 2] = 1 + N(0, 0.3²), C [H, N2, 2] complex normal; shift B [H, N] = e₁ + N(0, 0.3²),
// C [H, N] ~ U(−1/√N, 1/√N).
import type { Rng } from '@hippo/kernels';
import type { CheckInput } from '../src/testing/index.js';

const input = (shape: number[], f: (i: number) => number): CheckInput => ({
  shape,
  data: Float64Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => f(i)),
});

/** [logDt, invAReal, AImag, B, C] for s4dKernel. */
export function s4dInputs(rng: Rng, H: number, N2: number, init: 'lin' | 'inv'): CheckInput[] {
  const N = 2 * N2;
  return [
    input([H], () => Math.log(1e-3) + rng.uniform() * Math.log(100)),
    input([H, N2], () => Math.log(0.5) + 0.1 * rng.normal()),
    input([H, N2], (i) => (init === 'lin' ? Math.PI * (i % N2) : (N / Math.PI) * (N / (2 * (i % N2) + 1) - 1))),
    input([H, N2, 2], (i) => (i % 2 === 0 ? 1 : 0) + 0.3 * rng.normal()),
    input([H, N2, 2], () => Math.SQRT1_2 * rng.normal()),
  ];
}

/** [B, C] for shiftKernel. */
export function shiftInputs(rng: Rng, H: number, N: number): CheckInput[] {
  return [input([H, N], (i) => (i % N === 0 ? 1 : 0) + 0.3 * rng.normal()), input([H, N], () => (2 * rng.uniform() - 1) / Math.sqrt(N))];
}
