// WebGPU strided copy: validate → cached pipeline → one thread per element (see strided-copy.wgsl).
import type { GpuContext } from '../../runtime/gpu-context.js';
import { uniformStruct } from '../../runtime/uniform.js';
import { checkStridedCopy, viewLast, type StridedCopyParams } from './plan.js';
import laneLib from '../common/lanes.wgsl';
import source from './strided-copy.wgsl';

const Params = uniformStruct('Params', {
  size: 'u32',
  rank: 'u32',
  srcOffset: 'u32',
  dstOffset: 'u32',
  shape0: 'vec4u',
  shape1: 'vec4u',
  src0: 'vec4u',
  src1: 'vec4u',
  dst0: 'vec4u',
  dst1: 'vec4u',
});
// 64 threads: a copy has no reuse to share, and a small workgroup keeps the tail of odd sizes short
const WG = 64;

/** Innermost-first lanes, padded to 8 (the kernel reads only `rank` of them). */
function lanes(v: readonly number[]): [number[], number[]] {
  const l = [...v].reverse();
  while (l.length < 8) l.push(0);
  return [l.slice(0, 4), l.slice(4)];
}

/**
 * Copies the strided view `p` of src into the strided view of dst on the GPU, in place in dst (see
 * stridedCopyRef). 4-byte words are copied bit for bit, so f32 and i32 buffers both work; dst and src must be
 * different buffers. Offsets and strides are in elements.
 * @example
 * // x [B, L, D] → y [B, D, L]
 * stridedCopy(ctx, y, x, { shape: [B, D, L], srcOffset: 0, srcStrides: [L * D, 1, D], dstOffset: 0, dstStrides: [D * L, L, 1] });
 */
export function stridedCopy(ctx: GpuContext, dst: GPUBuffer, src: GPUBuffer, p: StridedCopyParams): void {
  const size = checkStridedCopy('stridedCopy', p, Math.floor(dst.size / 4), Math.floor(src.size / 4));
  if (dst === src) throw new Error('stridedCopy: dst and src must be different buffers (a WebGPU pass cannot bind one buffer as both)');
  if (size === 0) return;
  // the kernel indexes in u32 (a binding of more than 16 GiB is the only way past it)
  const last = Math.max(size - 1, viewLast(p.shape, p.srcOffset, p.srcStrides), viewLast(p.shape, p.dstOffset, p.dstStrides));
  if (last > 0xffffffff) throw new Error(`stridedCopy: element index ${last} does not fit the kernel's u32 indices; split the copy`);
  const kernel = ctx.kernel({
    key: { op: 'stridedCopy', wg: WG },
    source,
    libraries: [laneLib],
    uniform: Params,
    bindings: ['read', 'rw'],
    constants: { WG },
  });
  const [shape0, shape1] = lanes(p.shape);
  const [src0, src1] = lanes(p.srcStrides);
  const [dst0, dst1] = lanes(p.dstStrides);
  const values = { size, rank: p.shape.length, srcOffset: p.srcOffset, dstOffset: p.dstOffset, shape0, shape1, src0, src1, dst0, dst1 };
  kernel.dispatch([src, dst], values, ctx.grid(Math.ceil(size / WG)));
}
