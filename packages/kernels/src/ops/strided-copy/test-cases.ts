// Random strided copies for the tests of every backend: each view is a window (random start, random size) of
// a larger array whose dims are laid out in a random order, and src sometimes broadcasts a dim (stride 0).
import type { Rng } from '../../util/rng.js';
import type { StridedCopyParams } from './plan.js';

export interface CopyCase {
  p: StridedCopyParams;
  /** Elements of the arrays the views live in (a few spare at the end). */
  srcLength: number;
  dstLength: number;
}

function shuffled(rng: Rng, n: number): number[] {
  const a = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}

/** A window of `shape` inside a padded array of random dim order: its offset, strides and array length. */
function view(rng: Rng, shape: readonly number[], broadcast: boolean): { offset: number; strides: number[]; length: number } {
  const outer = shape.map((n) => n + rng.int(3));
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (const d of shuffled(rng, shape.length)) {
    strides[d] = s;
    s *= outer[d];
  }
  let offset = 0;
  shape.forEach((n, d) => (offset += rng.int(outer[d] - n + 1) * strides[d]));
  if (broadcast) strides[rng.int(shape.length)] = 0;
  return { offset, strides, length: s + rng.int(3) };
}

/** A random copy of rank `rank` with dims in 1..maxDim. */
export function randomCopy(rng: Rng, rank: number, maxDim: number): CopyCase {
  const shape = Array.from({ length: rank }, () => 1 + rng.int(maxDim));
  const src = view(rng, shape, rng.int(4) === 0);
  const dst = view(rng, shape, false);
  return {
    p: { shape, srcOffset: src.offset, srcStrides: src.strides, dstOffset: dst.offset, dstStrides: dst.strides },
    srcLength: src.length,
    dstLength: dst.length,
  };
}
