import { describe, expect, it } from 'vitest';
import { ShapeError } from '../../errors.js';
import { testSeed } from '../../testing/index.js';
import { Rng } from '../../util/rng.js';
import { checkStridedCopy, contiguousStrides, simplifyStridedCopy, type StridedCopyParams } from './plan.js';
import { stridedCopyRef } from './strided-copy.ref.js';
import { randomCopy } from './test-cases.js';

const seed = testSeed();

/** The definition, written out: every multi-index of the shape, each view's address from its strides. */
function bruteForce(dst: Float64Array, src: Float64Array, p: StridedCopyParams): void {
  const size = p.shape.reduce((a, b) => a * b, 1);
  for (let i = 0; i < size; i++) {
    let rest = i;
    let is = p.srcOffset;
    let id = p.dstOffset;
    for (let d = p.shape.length - 1; d >= 0; d--) {
      const k = rest % p.shape[d];
      rest = Math.floor(rest / p.shape[d]);
      is += k * p.srcStrides[d];
      id += k * p.dstStrides[d];
    }
    dst[id] = src[is];
  }
}

describe('stridedCopyRef', () => {
  it('transposes a matrix (fixed case)', () => {
    const src = Float32Array.from([1, 2, 3, 4, 5, 6]);
    const dst = new Float32Array(6);
    stridedCopyRef(dst, src, { shape: [3, 2], srcOffset: 0, srcStrides: [1, 3], dstOffset: 0, dstStrides: [2, 1] });
    expect([...dst]).toEqual([1, 4, 2, 5, 3, 6]);
  });

  it('equals the brute-force index maths on random views of rank 1..6, and leaves the rest of dst alone', () => {
    const rng = new Rng(seed);
    for (let t = 0; t < 200; t++) {
      const c = randomCopy(rng, 1 + (t % 6), 7);
      const src = rng.fillNormal(new Float64Array(c.srcLength));
      const init = rng.fillNormal(new Float64Array(c.dstLength));
      const want = init.slice();
      bruteForce(want, src, c.p);
      const got = init.slice();
      stridedCopyRef(got, src, c.p);
      expect([...got], `case ${t} ${JSON.stringify(c.p)} (HIPPO_SEED=${seed})`).toEqual([...want]);
    }
  });

  it('copies int32 and float32 arrays exactly', () => {
    const src = Int32Array.from({ length: 24 }, (_, i) => i * 7 - 50);
    const dst = new Int32Array(24);
    // [2, 3, 4] permuted to [4, 2, 3]
    stridedCopyRef(dst, src, { shape: [4, 2, 3], srcOffset: 0, srcStrides: [1, 12, 4], dstOffset: 0, dstStrides: [6, 3, 1] });
    const want = new Float64Array(24);
    bruteForce(want, Float64Array.from(src), { shape: [4, 2, 3], srcOffset: 0, srcStrides: [1, 12, 4], dstOffset: 0, dstStrides: [6, 3, 1] });
    expect([...dst]).toEqual([...want]);
  });

  it('simplifyStridedCopy merges contiguous dims and drops size-1 dims without changing the copy', () => {
    expect(simplifyStridedCopy({ shape: [2, 1, 3], srcOffset: 3, srcStrides: [3, 3, 1], dstOffset: 0, dstStrides: [3, 3, 1] })).toEqual({
      shape: [6],
      srcOffset: 3,
      srcStrides: [1],
      dstOffset: 0,
      dstStrides: [1],
    });
    const rng = new Rng(seed + 1);
    for (let t = 0; t < 100; t++) {
      const c = randomCopy(rng, 1 + (t % 6), 5);
      const s = simplifyStridedCopy(c.p);
      expect(s.shape.length).toBeLessThanOrEqual(c.p.shape.length);
      const src = rng.fillNormal(new Float64Array(c.srcLength));
      const a = new Float64Array(c.dstLength);
      const b = new Float64Array(c.dstLength);
      stridedCopyRef(a, src, c.p);
      stridedCopyRef(b, src, s);
      expect([...b], `case ${t} (HIPPO_SEED=${seed})`).toEqual([...a]);
    }
  });

  it('rejects bad params with a ShapeError naming the argument', () => {
    const ok: StridedCopyParams = { shape: [2, 3], srcOffset: 0, srcStrides: [3, 1], dstOffset: 0, dstStrides: [3, 1] };
    const err = (p: Partial<StridedCopyParams>, dst = 6, src = 6) => {
      try {
        checkStridedCopy('stridedCopyRef', { ...ok, ...p }, dst, src);
      } catch (e) {
        expect(e).toBeInstanceOf(ShapeError);
        return (e as ShapeError).param;
      }
      return 'no error';
    };
    expect(err({})).toBe('no error');
    expect(err({ shape: [], srcStrides: [], dstStrides: [] })).toBe('shape');
    expect(err({ shape: [1, 1, 1, 1, 1, 1, 1], srcStrides: [1, 1, 1, 1, 1, 1, 1], dstStrides: [1, 1, 1, 1, 1, 1, 1] })).toBe('shape');
    expect(err({ srcStrides: [3] })).toBe('srcStrides');
    expect(err({ dstStrides: [3, -1] })).toBe('dstStrides');
    expect(err({ srcOffset: 1 })).toBe('src');
    expect(err({ dstOffset: 0.5 })).toBe('dstOffset');
    expect(err({}, 5)).toBe('dst');
    // a dst view that writes one element twice (a broadcast on dst, or overlapping rows)
    expect(err({ dstStrides: [0, 1] })).toBe('dstStrides');
    expect(err({ dstStrides: [2, 1] })).toBe('dstStrides');
    // a broadcast read is fine
    expect(err({ srcStrides: [0, 1] })).toBe('no error');
    expect(() => checkStridedCopy('stridedCopyRef', { ...ok, srcOffset: 1 }, 6, 6)).toThrow(
      'stridedCopyRef: src must have shape a view inside its 6 elements; got offset 1 + strides [3,1] over [2,3] reaching element 6',
    );
  });

  it('contiguousStrides is row-major', () => {
    expect(contiguousStrides([2, 3, 4])).toEqual([12, 4, 1]);
    expect(contiguousStrides([5])).toEqual([1]);
  });
});
