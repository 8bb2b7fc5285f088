// The parameters of a strided copy, their validation (shared by the reference, WGSL and WebAssembly kernels)
// and the simplification that merges dims so the kernels iterate as few dims as possible.
import { ShapeError } from '../../errors.js';

/** The kernels iterate at most this many dims (enough for a permute of a rank-6 tensor without merging). */
export const STRIDED_COPY_MAX_RANK = 6;

/**
 * dst[dstOffset + Σ i_d·dstStrides[d]] = src[srcOffset + Σ i_d·srcStrides[d]] for every index i of `shape`.
 * All in elements. Strides are non-negative (0 on src broadcasts a value); the dst view must not write an
 * element twice, and dst and src must not overlap.
 */
export interface StridedCopyParams {
  /** The iteration shape, rank 1..6. */
  shape: number[];
  srcOffset: number;
  srcStrides: number[];
  dstOffset: number;
  dstStrides: number[];
}

/** Row-major strides of a contiguous array of `shape`, e.g. [2, 3, 4] → [12, 4, 1]. */
export function contiguousStrides(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    strides[d] = s;
    s *= shape[d];
  }
  return strides;
}

const isCount = (v: number) => Number.isInteger(v) && v >= 0;

/** The last element a view touches: offset + Σ (shape[d] − 1)·strides[d] (for a non-empty shape). */
export function viewLast(shape: readonly number[], offset: number, strides: readonly number[]): number {
  return shape.reduce((acc, n, d) => acc + (n - 1) * strides[d], offset);
}

/** Checks one view (offset, strides) against its array length; returns nothing, throws a ShapeError naming `which`. */
function checkView(fn: string, which: 'src' | 'dst', shape: readonly number[], offset: number, strides: readonly number[], length: number): void {
  if (strides.length !== shape.length || !strides.every(isCount))
    throw new ShapeError(fn, `${which}Strides`, `${shape.length} non-negative integers (one per dim of shape [${shape}])`, `[${strides}]`);
  if (!isCount(offset)) throw new ShapeError(fn, `${which}Offset`, 'a non-negative integer', `${offset}`);
  if (shape.some((n) => n === 0)) return;
  const last = viewLast(shape, offset, strides);
  if (last >= length)
    throw new ShapeError(fn, which, `a view inside its ${length} elements`, `offset ${offset} + strides [${strides}] over [${shape}] reaching element ${last}`);
}

/**
 * Validates p against the lengths (in elements) of dst and src; returns the number of elements copied.
 * @example checkStridedCopy('stridedCopy', { shape: [2, 3], srcOffset: 0, srcStrides: [1, 2], dstOffset: 0, dstStrides: [3, 1] }, 6, 6); // 6
 */
export function checkStridedCopy(fn: string, p: StridedCopyParams, dstLength: number, srcLength: number): number {
  const { shape } = p;
  if (shape.length < 1 || shape.length > STRIDED_COPY_MAX_RANK)
    throw new ShapeError(fn, 'shape', `rank 1..${STRIDED_COPY_MAX_RANK}`, `[${shape}] (rank ${shape.length})`);
  if (!shape.every(isCount)) throw new ShapeError(fn, 'shape', 'non-negative integer dims', `[${shape}]`);
  checkView(fn, 'src', shape, p.srcOffset, p.srcStrides, srcLength);
  checkView(fn, 'dst', shape, p.dstOffset, p.dstStrides, dstLength);
  // every dst element at most once: with the dims sorted by stride, each stride must step past everything
  // the smaller ones reach (sufficient, and true of every view the layout ops build)
  const dims = shape.map((n, d) => [n, p.dstStrides[d]]).filter(([n]) => n > 1);
  dims.sort((a, b) => a[1] - b[1]);
  let reach = 0;
  for (const [n, s] of dims) {
    if (s <= reach) throw new ShapeError(fn, 'dstStrides', `a view that writes each element once over [${shape}]`, `[${p.dstStrides}]`);
    reach += (n - 1) * s;
  }
  return shape.reduce((a, b) => a * b, 1);
}

/**
 * The same copy over fewer dims: size-1 dims dropped, neighbours that are contiguous in both views merged
 * (a contiguous slice of a contiguous array becomes one run). The result has rank ≥ 1.
 * @example simplifyStridedCopy({ shape: [2, 1, 3], srcOffset: 3, srcStrides: [3, 3, 1], dstOffset: 0, dstStrides: [3, 3, 1] })
 * // → { shape: [6], srcOffset: 3, srcStrides: [1], dstOffset: 0, dstStrides: [1] }
 */
export function simplifyStridedCopy(p: StridedCopyParams): StridedCopyParams {
  const { srcOffset, dstOffset } = p;
  if (p.shape.some((n) => n === 0)) return { shape: [0], srcOffset, srcStrides: [1], dstOffset, dstStrides: [1] };
  const shape: number[] = [];
  const srcStrides: number[] = [];
  const dstStrides: number[] = [];
  p.shape.forEach((n, d) => {
    if (n === 1) return;
    const k = shape.length - 1;
    if (k >= 0 && srcStrides[k] === n * p.srcStrides[d] && dstStrides[k] === n * p.dstStrides[d]) {
      shape[k] *= n;
      srcStrides[k] = p.srcStrides[d];
      dstStrides[k] = p.dstStrides[d];
    } else {
      shape.push(n);
      srcStrides.push(p.srcStrides[d]);
      dstStrides.push(p.dstStrides[d]);
    }
  });
  if (shape.length === 0) return { shape: [1], srcOffset, srcStrides: [1], dstOffset, dstStrides: [1] };
  return { shape, srcOffset, srcStrides, dstOffset, dstStrides };
}
