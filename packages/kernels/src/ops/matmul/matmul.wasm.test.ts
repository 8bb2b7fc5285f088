import { describe, it } from 'vitest';
import { expectClose, testSeed } from '../../testing/index.js';
import { Rng } from '../../util/rng.js';
import { expectSameBits, inWasm, normal, testRuntimes } from '../../wasm/test-helpers.js';
import { matmulRef, type MatmulParams } from './matmul.ref.js';
import { matmulWasm } from './matmul.wasm.js';

const seed = testSeed();
const { rt1, rt2 } = testRuntimes();

// [batch, M, N, K]: ones, odd and prime sizes that cut the 4×8 tile and the 64×256 chunk, and one large
// enough (2·130·300·131 ≈ 10 MFLOP) to be split between threads
const SHAPES: [number, number, number, number][] = [
  [1, 1, 1, 1],
  [1, 3, 5, 7],
  [2, 13, 31, 17],
  [1, 67, 97, 257],
  [3, 4, 8, 0],
  [2, 130, 300, 131],
];

describe('matmulWasm vs matmulRef (float32)', () => {
  for (const transA of [false, true])
    for (const transB of [false, true]) {
      it(`transA=${transA} transB=${transB}, with and without bias, 1 and 2 threads`, () => {
        const rng = new Rng(seed);
        for (const [batch, M, N, K] of SHAPES)
          for (const withBias of [false, true]) {
            const p: MatmulParams = { batch, M, N, K, transA, transB };
            const a = normal(rng, batch * M * K);
            const b = normal(rng, batch * K * N);
            const bias = withBias ? normal(rng, N) : null;
            const ref = new Float32Array(batch * M * N);
            matmulRef(ref, a, b, bias, p);
            const outs = [rt1, rt2].map((rt) => {
              const out = rt.allocF32(batch * M * N).fill(Number.NaN);
              matmulWasm(rt, out, inWasm(rt, a), inWasm(rt, b), bias && inWasm(rt, bias), p);
              return out;
            });
            const label = `[${batch},${M},${N},${K}] bias=${withBias}`;
            // both sum K products in f32 in the same order; the ref rounds a·b + s once (in f64), the kernel
            // twice: per-step errors ≤ ε|s_k|, a random walk over K steps gives ~ε·√K relative; 8× margin.
            // atol 1e-6: where a bias cancels a·b, the product's rounding (½ ulp of |a·b|, ~1e-7) stays
            expectClose(outs[0], ref, 8 * 2 ** -24 * Math.sqrt(Math.max(K, 1)), label, seed, 1e-6);
            expectSameBits(outs[1], outs[0], `${label} 2 threads vs 1`, seed);
          }
      });
    }
});
