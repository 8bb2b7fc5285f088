// WebGPU rotary embedding, forward and backward (see rotary.ref.ts and rotary.wgsl). The cos/sin table is
// computed on the host in float64 and kept per context for the last few (length, offset, rotaryDim, base), so a
// training step uploads it once and a decoding step uploads L·rotaryDim/2 pairs.
import type { GpuContext } from '../../runtime/gpu-context.js';
import { uniformStruct } from '../../runtime/uniform.js';
import { checkRotaryParams, rotaryTable, type RotaryParams } from './rotary.ref.js';
import source from './rotary.wgsl';

const Params = uniformStruct('Params', { n: 'u32', length: 'u32', heads: 'u32', headDim: 'u32', rotaryDim: 'u32', sign: 'f32' });
const WG = 64;
const CACHED_TABLES = 8;
const tables = new WeakMap<GpuContext, Map<string, GPUBuffer>>();

/** The table [L, rotaryDim/2] of (cos, sin) for p on ctx, from a small most-recently-used cache. */
function tableFor(ctx: GpuContext, p: RotaryParams): GPUBuffer {
  let cache = tables.get(ctx);
  if (!cache) tables.set(ctx, (cache = new Map()));
  const key = `${p.length}_${p.offset}_${p.rotaryDim}_${p.base}`;
  let buf = cache.get(key);
  if (buf) {
    cache.delete(key); // re-insert: Map order is the recency order
  } else {
    const data = Float32Array.from(rotaryTable(p));
    buf = ctx.acquire(data.byteLength);
    ctx.upload(buf, data);
    if (cache.size >= CACHED_TABLES) {
      const [oldest, old] = cache.entries().next().value!;
      cache.delete(oldest);
      ctx.release(old); // later users of the pooled buffer are ordered after the dispatches that read it
    }
  }
  cache.set(key, buf);
  return buf;
}

function run(ctx: GpuContext, out: GPUBuffer, x: GPUBuffer, p: RotaryParams, sign: 1 | -1): void {
  const n = p.batch * p.length * p.heads * p.headDim;
  const kernel = ctx.kernel({ key: { op: 'rotary', wg: WG }, source, uniform: Params, bindings: ['read', 'read', 'rw'], constants: { WG } });
  const values = { n, length: p.length, heads: p.heads, headDim: p.headDim, rotaryDim: p.rotaryDim, sign };
  kernel.dispatch([x, tableFor(ctx, p), out], values, ctx.grid(Math.ceil(n / WG)));
}

/**
 * out [B, L, heads, hd] = x [B, L, heads, hd] with dims (i, i + rotaryDim/2) rotated by (offset + t)·base^(−2i/rotaryDim)
 * (f32; see rotaryRef).
 * @example rotary(ctx, out, q, { batch: 1, length: 1024, heads: 20, headDim: 128, rotaryDim: 64, base: 10000, offset: 0 })
 */
export function rotary(ctx: GpuContext, out: GPUBuffer, x: GPUBuffer, p: RotaryParams): void {
  checkRotaryParams('rotary', p);
  run(ctx, out, x, p, 1);
}

/** dx [B, L, heads, hd] = dy rotated by −θ, the gradient of rotary (f32; see rotaryBackwardRef). */
export function rotaryBackward(ctx: GpuContext, dx: GPUBuffer, dy: GPUBuffer, p: RotaryParams): void {
  checkRotaryParams('rotaryBackward', p);
  run(ctx, dx, dy, p, -1);
}
