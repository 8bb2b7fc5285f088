// Strided copy on the WebAssembly CPU runtime (src/wasm/assembly/strided-copy.ts), chunks of 16K elements.
// A TypeScript loop on the memory views (stridedCopyRef) is not close enough to keep instead, although the copy
// is memory-bound: bench/strided-copy.bench.ts measured the kernel 2.7x (H3's [B,L,D] → [B,D,L] transpose) to
// 6.9x (attention's head split) faster on one thread (a shared 2-core machine, load average ≈ 3).
import type { WasmRuntime } from '../../wasm/runtime.js';
import { STRIDED_COPY_MAX_RANK, checkStridedCopy, type StridedCopyParams } from './plan.js';

const PER = 1 << 14;

/**
 * Copies the strided view `p` of src into the strided view of dst, in place in dst, bit for bit as
 * stridedCopyRef (4-byte words: f32 and i32 views of rt's memory).
 * @example stridedCopyWasm(rt, out, x, { shape: [3, 2], srcOffset: 0, srcStrides: [1, 3], dstOffset: 0, dstStrides: [2, 1] });
 */
export function stridedCopyWasm(rt: WasmRuntime, dst: Float32Array | Int32Array, src: Float32Array | Int32Array, p: StridedCopyParams): void {
  const size = checkStridedCopy('stridedCopyWasm', p, dst.length, src.length);
  if (size === 0) return;
  const dstPtr = rt.arg(dst, 0, 'stridedCopyWasm', 'dst') + 4 * p.dstOffset;
  const srcPtr = rt.arg(src, 0, 'stridedCopyWasm', 'src') + 4 * p.srcOffset;
  const R = STRIDED_COPY_MAX_RANK;
  const plan = rt.allocI32(1 + 3 * R); // [rank, shape, srcStrides, dstStrides], see the kernel
  try {
    plan[0] = p.shape.length;
    plan.set(p.shape, 1);
    plan.set(p.srcStrides, 1 + R);
    plan.set(p.dstStrides, 1 + 2 * R);
    rt.runItems('stridedCopy32', [dstPtr, srcPtr, plan.byteOffset, size], size, PER);
  } finally {
    rt.free(plan);
  }
}
