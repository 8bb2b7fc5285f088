import { describe, it } from 'vitest';
import { expectClose, testSeed } from '../../testing/index.js';
import { Rng } from '../../util/rng.js';
import { expectSameBits, inWasm, normal, testRuntimes } from '../../wasm/test-helpers.js';
import { reduceRef, type ReduceOp } from './reduce.ref.js';
import { reduceWasm } from './reduce.wasm.js';

const seed = testSeed();
const { rt1, rt2 } = testRuntimes();

// [outer, n, inner]: rows (inner 1) and columns, odd/prime extents, inner beyond one 1024-column tile,
// empty reductions, and sizes that split between threads
const SHAPES: [number, number, number][] = [
  [1, 1, 1],
  [3, 7, 1],
  [13, 97, 1],
  [1, 257, 1],
  [2, 0, 1],
  [2, 5, 3],
  [4, 31, 13],
  [3, 17, 1031],
  [1, 3, 2500],
  [601, 509, 1],
  [2, 300, 1500],
];

describe('reduceWasm vs reduceRef (float32), 1 and 2 threads', () => {
  for (const op of ['sum', 'mean', 'max'] as ReduceOp[]) {
    it(op, () => {
      const rng = new Rng(seed);
      for (const [outer, n, inner] of SHAPES) {
        const p = { outer, n, inner };
        const x = normal(rng, outer * n * inner);
        const ref = new Float32Array(outer * inner);
        reduceRef(op, ref, x, p);
        const outs = [rt1, rt2].map((rt) => {
          const out = rt.allocF32(outer * inner);
          reduceWasm(rt, op, out, inWasm(rt, x), p);
          return out;
        });
        const label = `${op} [${outer},${n},${inner}]`;
        // columns: the reference's f64 order, so its bits; rows: f64 sums in another order differ by ~n·2^-53
        // relative before the one rounding to f32, so at most 1 ulp where that rounding tips (max: exact)
        if (inner > 1 || op === 'max' || n === 0) expectSameBits(outs[0], ref, label, seed);
        else expectClose(outs[0], ref, 2 ** -23, label, seed);
        expectSameBits(outs[1], outs[0], `${label} 2 threads vs 1`, seed);
      }
    });
  }
});
