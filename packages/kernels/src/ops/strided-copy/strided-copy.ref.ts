// Reference strided copy: the spec of the layout kernels (permute, slice, concat, writing into a cache).
import { checkStridedCopy, type StridedCopyParams } from './plan.js';

/** The arrays a strided copy moves: float32, float64 (gradient checks) and int32 (token ids). */
export type CopyArray = Float32Array | Float64Array | Int32Array;

/**
 * Copies the strided view `p` of src into the strided view of dst, in place in dst (see StridedCopyParams);
 * elements of dst outside the view keep their values.
 * @example
 * // transpose a [2, 3] matrix into [3, 2]
 * const src = Float32Array.from([1, 2, 3, 4, 5, 6]), dst = new Float32Array(6);
 * stridedCopyRef(dst, src, { shape: [3, 2], srcOffset: 0, srcStrides: [1, 3], dstOffset: 0, dstStrides: [2, 1] });
 * // dst = [1, 4, 2, 5, 3, 6]
 */
export function stridedCopyRef<T extends CopyArray>(dst: T, src: T, p: StridedCopyParams): void {
  const size = checkStridedCopy('stridedCopyRef', p, dst.length, src.length);
  if (size === 0) return;
  const { shape, srcStrides, dstStrides } = p;
  const last = shape.length - 1;
  const inner = shape[last];
  const ss = srcStrides[last];
  const ds = dstStrides[last];
  const idx = new Array<number>(shape.length).fill(0);
  let is = p.srcOffset;
  let id = p.dstOffset;
  for (let done = 0; done < size; done += inner) {
    for (let j = 0; j < inner; j++) dst[id + j * ds] = src[is + j * ss];
    // odometer increment over the outer dims, innermost first
    for (let d = last - 1; d >= 0; d--) {
      idx[d]++;
      is += srcStrides[d];
      id += dstStrides[d];
      if (idx[d] < shape[d]) break;
      is -= srcStrides[d] * shape[d];
      id -= dstStrides[d] * shape[d];
      idx[d] = 0;
    }
  }
}
