import { describe, it } from 'vitest';
import { testSeed } from '../../testing/index.js';
import { Rng } from '../../util/rng.js';
import { expectSameBits, inWasm, normal, testRuntimes } from '../../wasm/test-helpers.js';
import { binaryRef, type BinaryOp } from './binary.ref.js';
import { binaryWasm } from './binary.wasm.js';
import { planBroadcast } from './broadcast.js';

const seed = testSeed();
const { rt1, rt2 } = testRuntimes();

// a shapes × b shapes: equal, trailing/leading/middle broadcasts, a scalar, odd and prime extents, strided
// (non-vectorisable) inner dims, and one large enough to be split between threads
const CASES: [number[], number[]][] = [
  [[1], [1]],
  [[7], [7]],
  [[13], [1]],
  [[1], [31]],
  [[3, 5], [5]],
  [[4, 1], [1, 7]],
  [[2, 3, 5], [3, 1]],
  [[97, 3], [97, 1]],
  [[5, 1, 3], [1, 4, 1]],
  [[2, 1, 3, 1, 5], [1, 7, 1, 4, 1]],
  [[257, 31], [31]],
  [[601, 509], [601, 1]],
  [[3, 1, 300_007], [1, 2, 1]],
];

describe('binaryWasm vs binaryRef (float32): the same bits, 1 and 2 threads', () => {
  for (const op of ['add', 'sub', 'mul', 'div'] as BinaryOp[]) {
    it(op, () => {
      const rng = new Rng(seed);
      for (const [as, bs] of CASES) {
        const plan = planBroadcast(op, as, bs);
        const a = normal(rng, as.reduce((x, y) => x * y, 1));
        const b = normal(rng, bs.reduce((x, y) => x * y, 1));
        const ref = new Float32Array(plan.size);
        binaryRef(op, ref, a, b, plan);
        const outs = [rt1, rt2].map((rt) => {
          const out = rt.allocF32(plan.size);
          binaryWasm(rt, op, out, inWasm(rt, a), inWasm(rt, b), plan);
          return out;
        });
        // one IEEE f32 operation equals the reference's f64 operation rounded to f32 (53 ≥ 2·24 + 2 bits)
        expectSameBits(outs[0], ref, `${op} [${as}] ∘ [${bs}]`, seed);
        expectSameBits(outs[1], outs[0], `${op} [${as}] ∘ [${bs}] 2 threads vs 1`, seed);
      }
    });
  }
});
