// WebGPU decoding over a KV cache and the in-place cache write (see decode.ref.ts and the .wgsl files).
import type { GpuContext } from '../../runtime/gpu-context.js';
import { uniformStruct } from '../../runtime/uniform.js';
import { rowWorkgroup } from '../common/row-workgroup.js';
import workgroupReduce from '../common/workgroup-reduce.wgsl';
import { checkKvCacheParams, type DecodeParams, type KvCacheParams } from './decode.ref.js';
import { checkHeadDim } from './tiles.js';
import decodeSource from './attention-decode.wgsl';
import writeSource from './kv-cache-write.wgsl';

const DecodeUniform = uniformStruct('Params', { batch: 'u32', heads: 'u32', maxLength: 'u32', scale: 'f32' });
const WriteUniform = uniformStruct('Params', { batch: 'u32', heads: 'u32', maxLength: 'u32', headDim: 'u32' });
const WRITE_WG = 64;

/** Invocations per (batch, head): enough for the cache length, with WG·hd floats of merge scratch ≤ 16 KiB. */
function decodeWorkgroup(maxLength: number, hd: number): number {
  let wg = rowWorkgroup(maxLength);
  while (wg > 32 && wg * hd > 4096) wg /= 2;
  return wg;
}

/**
 * out [B, heads, hd] = softmax_j(scale·q·k_j)·v_j over j < lengths[b] (f32; see attentionDecodeRef), for q
 * [B, heads, hd], kCache, vCache [B, heads, maxLength, hd] and lengths i32 [B] (1 ≤ lengths[b] ≤ maxLength,
 * checked by the caller), hd ≤ 128: one workgroup per (b, head) splits the cache and merges with workgroup
 * reductions.
 * @example attentionDecode(ctx, out, q, kCache, vCache, lengths, { batch: 2, heads: 12, maxLength: 2048, headDim: 64, scale: 0.125 })
 */
export function attentionDecode(
  ctx: GpuContext,
  out: GPUBuffer,
  q: GPUBuffer,
  kCache: GPUBuffer,
  vCache: GPUBuffer,
  lengths: GPUBuffer,
  p: DecodeParams,
): void {
  checkKvCacheParams('attentionDecode', p);
  checkHeadDim('attentionDecode', p.headDim);
  const wg = decodeWorkgroup(p.maxLength, p.headDim);
  const kernel = ctx.kernel({
    key: { op: 'attention', fn: 'decode', hd: p.headDim, wg },
    source: decodeSource,
    libraries: [workgroupReduce],
    uniform: DecodeUniform,
    bindings: ['read', 'read', 'read', 'read', 'rw'],
    constants: { WG: wg, HD: p.headDim },
  });
  kernel.dispatch([q, kCache, vCache, lengths, out], p, ctx.grid(p.batch * p.heads));
}

/**
 * cache [B, heads, maxLength, hd] at [b, :, positions[b], :] = x [B, heads, hd], in place (f32; see
 * kvCacheWriteRef); positions i32 [B] must lie in [0, maxLength) (checked by the caller; others write nothing).
 * @example kvCacheWrite(ctx, kCache, k, positions, { batch: 2, heads: 12, maxLength: 2048, headDim: 64 })
 */
export function kvCacheWrite(ctx: GpuContext, cache: GPUBuffer, x: GPUBuffer, positions: GPUBuffer, p: KvCacheParams): void {
  checkKvCacheParams('kvCacheWrite', p);
  const kernel = ctx.kernel({
    key: { op: 'attention', fn: 'cache-write', wg: WRITE_WG },
    source: writeSource,
    uniform: WriteUniform,
    bindings: ['read', 'read', 'rw'],
    constants: { WG: WRITE_WG },
  });
  kernel.dispatch([x, positions, cache], p, ctx.grid(Math.ceil((p.batch * p.heads * p.headDim) / WRITE_WG)));
}
