import { describe, expect, it } from 'vitest';
import { testSeed } from '../../testing/index.js';
import { Rng } from '../../util/rng.js';
import { expectSameBits, inWasm, testRuntimes } from '../../wasm/test-helpers.js';
import { contiguousStrides, type StridedCopyParams } from './plan.js';
import { stridedCopyRef } from './strided-copy.ref.js';
import { stridedCopyWasm } from './strided-copy.wasm.js';
import { randomCopy } from './test-cases.js';

const seed = testSeed();
const { rt1, rt2 } = testRuntimes();

/** The copy on both runtimes over dst's initial values must give the reference's bits. */
function check(label: string, p: StridedCopyParams, src: Float32Array, dst: Float32Array): void {
  const want = dst.slice();
  stridedCopyRef(want, src, p);
  for (const rt of [rt1, rt2]) {
    const out = inWasm(rt, dst);
    stridedCopyWasm(rt, out, inWasm(rt, src), p);
    expectSameBits(out, want, `${label}, ${rt.threads} thread(s)`, seed);
  }
}

describe('stridedCopyWasm vs stridedCopyRef (bit for bit), 1 and 2 threads', () => {
  it('random windows with offsets, broadcast reads and partial writes, rank 1 to 6', () => {
    const rng = new Rng(seed);
    for (let t = 0; t < 120; t++) {
      const c = randomCopy(rng, 1 + (t % 6), 7);
      check(`case ${t} ${JSON.stringify(c.p)}`, c.p, rng.fillNormal(new Float32Array(c.srcLength)), rng.fillNormal(new Float32Array(c.dstLength)));
    }
  });

  it('many chunks: a transpose and a contiguous window (memory.copy runs) of ~100K elements', () => {
    const rng = new Rng(seed + 1);
    const [R, C] = [331, 307];
    const src = rng.fillNormal(new Float32Array(R * C));
    check('transpose [331, 307]', { shape: [C, R], srcOffset: 0, srcStrides: [1, C], dstOffset: 0, dstStrides: contiguousStrides([C, R]) }, src, new Float32Array(R * C));
    // rows 5..300 of [331, 307] into the middle of a larger array: one long contiguous run per chunk
    const p = { shape: [296, C], srcOffset: 5 * C, srcStrides: [C, 1], dstOffset: 17, dstStrides: [C, 1] };
    check('row window', p, src, rng.fillNormal(new Float32Array(R * C + 20)));
  });

  it('copies int32 views', () => {
    const src = Int32Array.from({ length: 24 }, (_, i) => i * 7 - 50);
    const p = { shape: [4, 2, 3], srcOffset: 0, srcStrides: [1, 12, 4], dstOffset: 0, dstStrides: [6, 3, 1] };
    const want = new Int32Array(24);
    stridedCopyRef(want, src, p);
    const out = rt2.allocI32(24);
    stridedCopyWasm(rt2, out, inWasm(rt2, src), p);
    expect([...out]).toEqual([...want]);
  });

  it('checks params before touching memory', () => {
    const a = rt1.allocF32(6);
    expect(() => stridedCopyWasm(rt1, a, rt1.allocF32(5), { shape: [6], srcOffset: 0, srcStrides: [1], dstOffset: 0, dstStrides: [1] })).toThrow(
      /stridedCopyWasm: src must have shape a view inside its 5 elements/,
    );
  });
});
