import { describe, expect, it } from 'vitest';
import { expectClose, gpuForTests, randn, readF32, testSeed, upload } from '../../testing/index.js';
import { Rng } from '../../util/rng.js';
import { reduce } from './reduce.js';
import { reduceRef, type ReduceOp, type ReduceParams } from './reduce.ref.js';

const ctx = await gpuForTests();
const seed = testSeed();
const U = 2 ** -24;
const SHAPES: [number, number, number][] = [
  [1, 1, 1],
  [1, 50257, 1],
  [3, 7, 1],
  [300, 33, 1],
  [5, 13, 31],
  [1, 97, 257],
  [4, 1, 9],
  [2, 0, 3],
];

/**
 * f32 summation of n terms with independent roundings errs by ≲ λ√n·u·Σ|x| with high probability
 * (Higham & Mary 2019); λ = 4, relative to |Σx| via the inputs' own Σ|x| / |Σx|, plus u for mean's division.
 */
function sumTolerance(x: Float32Array, ref: Float32Array, { outer, n, inner }: ReduceParams, op: ReduceOp): number {
  const abs = new Float64Array(outer * inner);
  reduceRef('sum', abs, x.map(Math.abs), { outer, n, inner });
  let num = 0;
  let den = 0;
  for (let i = 0; i < abs.length; i++) {
    num += (op === 'mean' ? abs[i] / n : abs[i]) ** 2;
    den += ref[i] ** 2;
  }
  return (4 * Math.sqrt(n) + 1) * U * Math.sqrt(num / den);
}

describe.skipIf(!ctx)('reduce on webgpu vs reduceRef', () => {
  for (const op of ['sum', 'mean', 'max'] as ReduceOp[]) {
    it(op, async () => {
      const gpu = ctx!;
      const rng = new Rng(seed);
      for (const [outer, n, inner] of SHAPES) {
        const p = { outer, n, inner };
        const label = `${op} [${outer},${n},${inner}]`;
        // mean 1: sums do not cancel to ~0, where a relative error says nothing
        const x = randn(rng, outer * n * inner) as Float32Array;
        for (let i = 0; i < x.length; i++) x[i] += 1;
        const ref = new Float32Array(outer * inner);
        reduceRef(op, ref, x, p);
        const out = gpu.acquire(ref.length * 4);
        reduce(gpu, op, out, upload(gpu, x), p);
        const got = await readF32(gpu, out, ref.length);
        // max picks an element exactly; an empty axis gives the ref's 0 / NaN / −∞
        if (op === 'max' || n === 0) expect(Array.from(got), `${label} (HIPPO_SEED=${seed})`).toEqual(Array.from(ref));
        else {
          const tol = sumTolerance(x, ref, p, op);
          expect(expectClose(got, ref, tol, label, seed)).toBeLessThanOrEqual(tol);
        }
      }
    });
  }

  it('sums small integers exactly, so a dropped or repeated element cannot hide in the tolerance', async () => {
    const gpu = ctx!;
    const rng = new Rng(seed);
    // 65537 rows: more workgroups than one grid dimension holds
    for (const [outer, n, inner] of [...SHAPES, [65537, 2, 1]]) {
      const p = { outer, n, inner };
      // every partial sum is an integer below 2^24, so any order of f32 additions is exact
      const x = Float32Array.from({ length: outer * n * inner }, () => rng.int(9) - 3);
      const ref = new Float32Array(outer * inner);
      reduceRef('sum', ref, x, p);
      const out = gpu.acquire(ref.length * 4);
      reduce(gpu, 'sum', out, upload(gpu, x), p);
      expect(Array.from(await readF32(gpu, out, ref.length)), `sum [${outer},${n},${inner}] (HIPPO_SEED=${seed})`).toEqual(Array.from(ref));
    }
  });
});
