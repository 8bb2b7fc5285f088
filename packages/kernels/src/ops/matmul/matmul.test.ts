import { describe, expect, it } from 'vitest';
import { expectClose, testSeed } from '../../testing/index.js';
import { Rng } from '../../util/rng.js';
import type { FloatArray } from '../../util/types.js';
import { matmulRef, type MatmulParams } from './matmul.ref.js';

const seed = testSeed();

/** The definition, one output at a time, summed in float64. */
function naive(a: FloatArray, b: FloatArray, bias: FloatArray | null, p: MatmulParams): Float64Array {
  const { batch, M, N, K, transA, transB } = p;
  const out = new Float64Array(batch * M * N);
  for (let bi = 0; bi < batch; bi++)
    for (let i = 0; i < M; i++)
      for (let j = 0; j < N; j++) {
        let s = bias ? bias[j] : 0;
        for (let k = 0; k < K; k++) {
          const x = transA ? a[(bi * K + k) * M + i] : a[(bi * M + i) * K + k];
          const y = transB ? b[(bi * N + j) * K + k] : b[(bi * K + k) * N + j];
          s += x * y;
        }
        out[(bi * M + i) * N + j] = s;
      }
  return out;
}

const SHAPES: [number, number, number, number][] = [
  [1, 1, 1, 1],
  [1, 7, 13, 5],
  [3, 5, 1, 9],
  [2, 17, 11, 1],
];

describe('matmulRef', () => {
  for (const transA of [false, true])
    for (const transB of [false, true])
      for (const withBias of [false, true]) {
        it(`matches the naive triple loop in float64 (transA=${transA}, transB=${transB}, bias=${withBias})`, () => {
          const rng = new Rng(seed);
          for (const [batch, M, N, K] of SHAPES) {
            const p = { batch, M, N, K, transA, transB };
            const a = rng.fillNormal(new Float64Array(batch * M * K));
            const b = rng.fillNormal(new Float64Array(batch * K * N));
            const bias = withBias ? rng.fillNormal(new Float64Array(N)) : null;
            const out = new Float64Array(batch * M * N).fill(Number.NaN); // overwritten, not accumulated
            matmulRef(out, a, b, bias, p);
            // same summation order in float64 (bias first, then k ascending): only rounding-level differences
            expect(expectClose(out, naive(a, b, bias, p), 1e-14, `[${batch},${M},${N},${K}]`, seed)).toBeLessThanOrEqual(1e-14);
          }
        });
      }

  it('sums float32 inputs in float32', () => {
    const rng = new Rng(seed);
    const p = { batch: 2, M: 9, N: 10, K: 200, transA: true, transB: true };
    const a = rng.fillNormal(new Float32Array(2 * 9 * 200));
    const b = rng.fillNormal(new Float32Array(2 * 200 * 10));
    const out = new Float32Array(2 * 9 * 10);
    matmulRef(out, a, b, null, p);
    const err = expectClose(out, naive(a, b, null, p), 1e-5, 'f32', seed);
    // f32 accumulation over K=200 leaves ~sqrt(K)·2^-24 ≈ 1e-6 relative error; float64 would leave ~1e-8
    expect(err).toBeGreaterThan(1e-8);
  });

  it('handles K = 0 as bias only', () => {
    const out = new Float32Array(6).fill(7);
    matmulRef(out, new Float32Array(0), new Float32Array(0), Float32Array.of(1, 2, 3), { batch: 1, M: 2, N: 3, K: 0, transA: false, transB: false });
    expect(Array.from(out)).toEqual([1, 2, 3, 1, 2, 3]);
  });
});
