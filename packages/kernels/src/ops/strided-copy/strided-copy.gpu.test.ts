import { describe, expect, it } from 'vitest';
import { gpuForTests, testSeed, upload } from '../../testing/index.js';
import { Rng } from '../../util/rng.js';
import { contiguousStrides, type StridedCopyParams } from './plan.js';
import { stridedCopy } from './strided-copy.js';
import { stridedCopyRef } from './strided-copy.ref.js';
import { randomCopy } from './test-cases.js';

const ctx = await gpuForTests();
const seed = testSeed();

/** A permute of a contiguous `shape` by `perm` into a contiguous result. */
function permuteCopy(shape: number[], perm: number[]): StridedCopyParams {
  const xs = contiguousStrides(shape);
  const out = perm.map((d) => shape[d]);
  return { shape: out, srcOffset: 0, srcStrides: perm.map((d) => xs[d]), dstOffset: 0, dstStrides: contiguousStrides(out) };
}

/** Runs the copy on the GPU over dst's initial values; a copy moves bits, so the result must equal the reference exactly. */
async function check(label: string, p: StridedCopyParams, src: Float32Array | Int32Array, dst: Float32Array | Int32Array): Promise<void> {
  const gpu = ctx!;
  const want = dst.slice();
  stridedCopyRef(want, src, p);
  const out = upload(gpu, dst);
  stridedCopy(gpu, out, upload(gpu, src), p);
  const bytes = await gpu.read(out, dst.byteLength);
  const got = dst instanceof Int32Array ? new Int32Array(bytes) : new Float32Array(bytes);
  let first = -1;
  for (let i = 0; i < want.length && first < 0; i++) if (!Object.is(got[i], want[i])) first = i;
  expect(first, `${label}: first difference at ${first} (${got[first]} vs ${want[first]}), HIPPO_SEED=${seed}`).toBe(-1);
}

describe.skipIf(!ctx)('stridedCopy on webgpu vs stridedCopyRef (bit for bit)', () => {
  it('permutes of odd and prime shapes, rank 1 to 6, f32 and i32', async () => {
    const rng = new Rng(seed);
    const cases: [number[], number[]][] = [
      [[257], [0]],
      [[13, 31], [1, 0]],
      [[3, 7, 5], [2, 0, 1]],
      [[2, 3, 5, 7], [3, 1, 0, 2]],
      [[3, 1, 5, 2, 7], [4, 2, 0, 3, 1]],
      [[2, 3, 1, 5, 3, 7], [5, 3, 1, 0, 4, 2]],
    ];
    for (const [shape, perm] of cases) {
      const n = shape.reduce((a, b) => a * b, 1);
      const p = permuteCopy(shape, perm);
      await check(`permute [${shape}] by [${perm}] f32`, p, rng.fillNormal(new Float32Array(n)), new Float32Array(n));
      await check(`permute [${shape}] by [${perm}] i32`, p, Int32Array.from({ length: n }, () => rng.int(1 << 30) - (1 << 29)), new Int32Array(n));
    }
  });

  it('random windows with offsets, broadcast reads and partial writes, rank 1 to 6', async () => {
    const rng = new Rng(seed + 1);
    for (let t = 0; t < 24; t++) {
      const c = randomCopy(rng, 1 + (t % 6), 6);
      await check(`case ${t} ${JSON.stringify(c.p)}`, c.p, rng.fillNormal(new Float32Array(c.srcLength)), rng.fillNormal(new Float32Array(c.dstLength)));
    }
  });

  it('a transpose of more than 65535·64 elements (workgroups spill into grid y)', async () => {
    // 4099 · 1031 = 4 226 069 > 65535 · 64 = 4 194 240: the dispatch needs a second row of workgroups
    const rng = new Rng(seed + 2);
    const [R, C] = [4099, 1031];
    await check('transpose [4099, 1031]', permuteCopy([R, C], [1, 0]), rng.fillNormal(new Float32Array(R * C)), new Float32Array(R * C));
  });
});
