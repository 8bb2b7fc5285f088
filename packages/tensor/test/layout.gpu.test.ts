// Layout ops on webgpu where the shared op cases (float32, differentiable) do not reach: int32 tensors and the
// in-place writeSlice, against the same calls on the reference backend (a copy moves bits: exact equality).
import { gpuForTests } from '@hippo/kernels/testing';
import { describe, expect, it } from 'vitest';
import { Tensor, WebGpuBackend, concat, noGrad, referenceBackend, slice, transpose, writeSlice, type Backend } from '../src/index.js';

const ctx = await gpuForTests();

/** int32 ids: transpose, the last position, and a concat; then a cache [2, 5, 3] filled by writeSlice at 0 and 4. */
async function run(backend: Backend): Promise<number[][]> {
  const ids = Tensor.fromArray(backend, Int32Array.from({ length: 15 }, (_, i) => 3 * i - 7), [3, 5]);
  const cache = Tensor.zeros(backend, [2, 5, 3]);
  const x = Tensor.fromArray(backend, Float32Array.from({ length: 12 }, (_, i) => i / 3), [2, 2, 3]);
  noGrad(() => writeSlice(cache, x, 1, 0));
  writeSlice(cache, slice(x, 1, 1), 1, -1);
  const outs = [transpose(ids, 0, 1), slice(ids, 1, -1), concat([ids, slice(ids, 0, 1)], 0), cache];
  return Promise.all(outs.map(async (t) => [...(await t.toArray())]));
}

describe.skipIf(!ctx)('layout ops on webgpu equal the reference exactly', () => {
  it('int32 transpose / slice / concat and writeSlice into a float32 cache', async () => {
    const want = await run(referenceBackend());
    const got = await run(new WebGpuBackend(ctx!));
    expect(got).toEqual(want);
    // the reference itself: the cache holds x at positions 0-1, x's second position at 4, zeros between
    expect(want[3].slice(0, 15)).toEqual([0, 1, 2, 3, 4, 5, 0, 0, 0, 0, 0, 0, 3, 4, 5].map((v) => Math.fround(v / 3)));
  });
});
