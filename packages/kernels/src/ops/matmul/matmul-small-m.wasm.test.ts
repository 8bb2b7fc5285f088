// The small-M (no-packing, decode) matmul path against the float64 reference and, bit for bit, against the
// packed path: both promise c = init; c = c + a·b for k = 0..K−1 in f32, so they must agree in every bit.
import { describe, expect, it } from 'vitest';
import { expectClose, runUntilWorkerHelps, testSeed } from '../../testing/index.js';
import { Rng } from '../../util/rng.js';
import { expectSameBits, inWasm, normal, testRuntimes } from '../../wasm/test-helpers.js';
import type { WasmRuntime } from '../../wasm/runtime.js';
import { matmulRef, type MatmulParams } from './matmul.ref.js';
import { matmulWasmPath, SMALL_M_MAX, type MatmulWasmPath } from './matmul.wasm.js';

const seed = testSeed();
const { rt1, rt2 } = testRuntimes();

/** [batch, M, N, K]: fixed edges (1×1, a lone column, K = 0, N under one f32x4, K under one 4-block). */
const FIXED: [number, number, number, number][] = [
  [1, 1, 1, 1],
  [1, 1, 8, 4],
  [2, 3, 13, 7],
  [1, 2, 5, 0],
  [3, 1, 3, 3],
];

/**
 * Fresh random shapes, one per M in 1..SMALL_M_MAX + 1 (at and just above the threshold): batch 1-3, N
 * ragged (not a multiple of 4/8 most of the time) from 1 to ~700 (several column strips), K from 0 to ~600
 * (not a multiple of 4 most of the time; above 256 the packed path splits k into blocks).
 */
function randomShapes(rng: Rng): [number, number, number, number][] {
  const shapes: [number, number, number, number][] = [];
  for (let M = 1; M <= SMALL_M_MAX + 1; M++) {
    const N = rng.uniform() < 0.5 ? 1 + rng.int(40) : 33 + rng.int(700);
    const K = rng.uniform() < 0.5 ? rng.int(70) : 250 + rng.int(350);
    shapes.push([1 + rng.int(3), M, N, K]);
  }
  return shapes;
}

interface Inputs {
  p: MatmulParams;
  a: Float32Array;
  b: Float32Array;
  bias: Float32Array | null;
}

/** out of matmulWasmPath on rt (inputs copied into its memory; out starts as NaN so unwritten entries show). */
function run(rt: WasmRuntime, { p, a, b, bias }: Inputs, path: MatmulWasmPath): Float32Array {
  const out = rt.allocF32(p.batch * p.M * p.N).fill(Number.NaN);
  const inputs = [inWasm(rt, a), inWasm(rt, b), bias && inWasm(rt, bias)] as const;
  matmulWasmPath(rt, out, inputs[0], inputs[1], inputs[2], p, path);
  for (const v of inputs) if (v) rt.free(v);
  return out;
}

/** The float64 reference on the float32 inputs: the exact sum up to ~1e-16 relative. */
function ref64({ p, a, b, bias }: Inputs): Float64Array {
  const out = new Float64Array(p.batch * p.M * p.N);
  matmulRef(out, Float64Array.from(a), Float64Array.from(b), bias && Float64Array.from(bias), p);
  return out;
}

describe('matmulWasm small-M path (no packing)', () => {
  for (const transA of [false, true])
    for (const transB of [false, true]) {
      it(`transA=${transA} transB=${transB}: vs float64 reference, and the same bits as the packed path (1 and 2 threads)`, () => {
        expect.hasAssertions();
        const rng = new Rng(seed ^ (+transA * 2 + +transB));
        for (const [batch, M, N, K] of [...FIXED, ...randomShapes(rng)]) {
          const p: MatmulParams = { batch, M, N, K, transA, transB };
          const withBias = rng.uniform() < 0.5;
          const x: Inputs = { p, a: normal(rng, batch * M * K), b: normal(rng, batch * K * N), bias: withBias ? normal(rng, N) : null };
          const label = `[${batch},${M},${N},${K}] transA=${transA} transB=${transB} bias=${withBias}`;
          const small = run(rt1, x, 'small-m');
          // an f32 sum of K products: each product and each partial sum s_k is rounded once (≤ ε/2 relative,
          // ε = 2⁻²³); partial sums of normal terms grow like √k, so the errors add up as a random walk to
          // ~ε·√K relative to |c| ~ √K. 8× margin; the absolute floor covers K = 0 (all-zero outputs) and a
          // bias that cancels a·b (the product's rounding, ½ ulp of |a·b|, stays).
          expectClose(small, ref64(x), 8 * 2 ** -23 * Math.sqrt(Math.max(K, 1)), label, seed, 1e-6);
          expectSameBits(small, run(rt1, x, 'packed'), `${label}: small-M vs packed`, seed);
          expectSameBits(run(rt2, x, 'small-m'), small, `${label}: small-M 2 threads vs 1`, seed);
          expectSameBits(run(rt2, x, 'auto'), small, `${label}: auto (${M <= SMALL_M_MAX ? 'small-M' : 'packed'}) 2 threads`, seed);
        }
      });
    }

  it('splits the columns between threads on decode-sized shapes and keeps the bits', () => {
    const rng = new Rng(seed ^ 7);
    let helped = 0;
    for (const transB of [false, true]) {
      // N·K/4 ≈ 250k > PARALLEL_MIN_WORK: parallel; N ragged so the last strip is cut
      const p: MatmulParams = { batch: 1, M: 1 + rng.int(SMALL_M_MAX), N: 1001 + rng.int(50), K: 1000 + rng.int(4), transA: false, transB };
      const x: Inputs = { p, a: normal(rng, p.M * p.K), b: normal(rng, p.K * p.N), bias: normal(rng, p.N) };
      const packedOut = run(rt1, x, 'packed');
      let out = packedOut;
      helped += runUntilWorkerHelps(rt2, () => {
        out = run(rt2, x, 'small-m');
      });
      expectSameBits(out, packedOut, `[1,${p.M},${p.N},${p.K}] transB=${transB}: small-M 2 threads vs packed 1 thread`, seed);
    }
    expect(helped, 'strips run by the worker thread').toBeGreaterThan(0);
  });
});
