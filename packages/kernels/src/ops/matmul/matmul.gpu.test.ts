import { describe, expect, it } from 'vitest';
import { expectClose, gpuForTests, randn, readF32, testSeed, upload } from '../../testing/index.js';
import { Rng } from '../../util/rng.js';
import { matmul } from './matmul.js';
import { matmulRef } from './matmul.ref.js';

const ctx = await gpuForTests();
const seed = testSeed();
const GUARD = 12345;

// (batch, M, N, K): single element, odd/prime edges, several 64-tiles with K not a multiple of the 32-deep slice
const SHAPES: [number, number, number, number][] = [
  [1, 1, 1, 1],
  [1, 7, 13, 5],
  [3, 65, 31, 67],
  [2, 128, 96, 257],
];

describe.skipIf(!ctx)('matmul on webgpu vs matmulRef', () => {
  for (const transA of [false, true])
    for (const transB of [false, true])
      it(`transA=${transA} transB=${transB}, with and without bias`, async () => {
        const gpu = ctx!;
        const rng = new Rng(seed);
        for (const [batch, M, N, K] of SHAPES)
          for (const withBias of [false, true]) {
            const p = { batch, M, N, K, transA, transB };
            const a = randn(rng, batch * M * K);
            const b = randn(rng, batch * K * N);
            const bias = withBias ? randn(rng, N) : null;
            // float64 reference on the same f32 inputs, so the error measured is the kernel's alone
            const ref = new Float64Array(batch * M * N);
            matmulRef(ref, Float64Array.from(a), Float64Array.from(b), bias && Float64Array.from(bias), p);
            // a guard region after out catches stores past the last row or column of an edge tile
            const guard = 64 * (N + 64);
            const out = upload(gpu, new Float32Array(ref.length + guard).fill(GUARD));
            matmul(gpu, out, upload(gpu, a), upload(gpu, b), bias && upload(gpu, bias), p);
            const all = await readF32(gpu, out, ref.length + guard);
            const label = `[${batch},${M},${N},${K}] transA=${transA} transB=${transB} bias=${withBias}`;
            expect(all.subarray(ref.length).every((v) => v === GUARD), `${label}: wrote past out`).toBe(true);
            // f32 dot products of length K ≤ 257: relative error ~ sqrt(K)·2^-24 ≈ 1e-6; 1e-5 leaves headroom.
            // atol 1e-6 (~16 ulp of the O(1) terms): a lone output where the bias cancels a·b keeps the
            // product's rounding, which is large relative to the near-zero result
            expectClose(all.subarray(0, ref.length), ref, 1e-5, label, seed, 1e-6);
          }
      });

  it('names the operand whose buffer is too small', () => {
    const gpu = ctx!;
    const small = gpu.acquire(256);
    const big = gpu.acquire(64 * 64 * 4);
    expect(() => matmul(gpu, big, small, big, null, { batch: 1, M: 64, N: 64, K: 64, transA: true, transB: false })).toThrow(
      /matmul: a must have shape \[1, K=64, M=64\]/,
    );
  });
});
