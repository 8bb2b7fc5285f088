// Attention ops of the hybrid LM: fused causal multi-head attention (flash-style on webgpu: the L×L scores
// are never stored; the log-sum-exp per query is kept for backward instead), decoding over a KV cache, the
// in-place cache write, and rotary position embedding (GPT-NeoX halves; design/h3-reference.md §6.3).
import {
  DTypeError,
  ShapeError,
  checkCacheIndices,
  type AttentionParams,
  type DecodeParams,
  type KvCacheParams,
  type RotaryParams,
} from '@hippo/kernels';
import { isGradEnabled } from '../autograd/scope.js';
import { Tensor } from '../tensor.js';
import { assertFloat, backendOf, record } from './record.js';

export interface CausalAttentionOptions {
  /** Softmax scale; default 1/√hd (flash-attn's MHA). */
  scale?: number;
}

/**
 * Causal attention per head: out[b,h,i] = Σ_{j ≤ i} softmax_j(scale·q[b,h,i]·k[b,h,j])·v[b,h,j] for q, k, v
 * [B, heads, L, hd] → [B, heads, L, hd]. Gradients flow to q, k and v (the backward rebuilds the probabilities
 * from the saved log-sum-exp). webgpu: hd ≤ 128.
 * @example
 * const y = causalAttention(q, k, v); // q, k, v [2, 12, 1024, 64] → y [2, 12, 1024, 64], scale 1/8
 */
export function causalAttention(q: Tensor, k: Tensor, v: Tensor, opts: CausalAttentionOptions = {}): Tensor {
  const backend = backendOf('causalAttention', q, k, v);
  for (const [name, t] of [['q', q], ['k', k], ['v', v]] as const) assertFloat('causalAttention', name, t);
  if (q.rank !== 4) throw new ShapeError('causalAttention', 'q', '[B, heads, L, hd]', `[${q.shape}]`);
  for (const [name, t] of [['k', k], ['v', v]] as const)
    if (t.shape.join() !== q.shape.join()) throw new ShapeError('causalAttention', name, `[${q.shape}] (the shape of q)`, `[${t.shape}]`);
  const [B, H, L, hd] = q.shape;
  const p: AttentionParams = { batchHeads: B * H, length: L, headDim: hd, scale: opts.scale ?? 1 / Math.sqrt(hd) };
  const [out, lse] = backend.causalAttentionForward(q.storage, k.storage, v.storage, p);
  const y = record(out, q.shape, 'causalAttention', [q, k, v], (g) => {
    const [dq, dk, dv] = backend.causalAttentionBackward(g.storage, q.storage, k.storage, v.storage, out, lse, p);
    backend.release(lse);
    return [new Tensor(dq, q.shape), new Tensor(dk, k.shape), new Tensor(dv, v.shape)];
  });
  // lse lives until backward consumes it, or goes now when nothing was recorded
  if (!y.gradFn) backend.release(lse);
  return y;
}

/** Refuses the no-gradient ops while autograd would record one of their inputs. */
function assertNotRecording(fn: string, inputs: Record<string, Tensor>): void {
  if (!isGradEnabled()) return;
  for (const [name, t] of Object.entries(inputs))
    if (t.requiresGrad) throw new Error(`${fn}: has no gradient, but ${name} requires grad and gradients are being recorded; call it inside noGrad()`);
}

/** [B, heads, maxLength, hd] of a cache tensor, checked against the token tensor x [B, heads, 1, hd]. */
function cacheDims(fn: string, cacheName: string, cache: Tensor, xName: string, x: Tensor): KvCacheParams {
  if (x.rank !== 4 || x.shape[2] !== 1) throw new ShapeError(fn, xName, '[B, heads, 1, hd]', `[${x.shape}]`);
  const [B, H, , hd] = x.shape;
  if (cache.rank !== 4 || cache.shape[0] !== B || cache.shape[1] !== H || cache.shape[3] !== hd)
    throw new ShapeError(fn, cacheName, `[${B}, ${H}, maxLength, ${hd}] (${xName} is [${x.shape}])`, `[${cache.shape}]`);
  return { batch: B, heads: H, maxLength: cache.shape[2], headDim: hd };
}

/**
 * One decoding step of attention: q [B, heads, 1, hd] attends to the first lengths[b] entries of kCache,
 * vCache [B, heads, maxLength, hd] (prompts of different lengths in one batch) → [B, heads, 1, hd]. No gradient:
 * throws if autograd is recording and an input requires grad.
 * @example
 * const y = noGrad(() => attentionDecode(q, kCache, vCache, Int32Array.from([17, 5]))); // q [2, 12, 1, 64]
 */
export function attentionDecode(q: Tensor, kCache: Tensor, vCache: Tensor, lengths: Int32Array, opts: CausalAttentionOptions = {}): Tensor {
  const fn = 'attentionDecode';
  const backend = backendOf(fn, q, kCache, vCache);
  for (const [name, t] of [['q', q], ['kCache', kCache], ['vCache', vCache]] as const) assertFloat(fn, name, t);
  assertNotRecording(fn, { q, kCache, vCache });
  const dims = cacheDims(fn, 'kCache', kCache, 'q', q);
  if (vCache.shape.join() !== kCache.shape.join()) throw new ShapeError(fn, 'vCache', `[${kCache.shape}] (the shape of kCache)`, `[${vCache.shape}]`);
  checkCacheIndices(fn, 'lengths', lengths, dims.batch, 1, dims.maxLength);
  const p: DecodeParams = { ...dims, scale: opts.scale ?? 1 / Math.sqrt(dims.headDim) };
  const len = backend.fromArray(lengths);
  const out = backend.attentionDecode(q.storage, kCache.storage, vCache.storage, len, p);
  backend.release(len);
  return new Tensor(out, q.shape);
}

/**
 * Writes x [B, heads, 1, hd] into cache [B, heads, maxLength, hd] at position positions[b] of each batch row, in
 * place (no gradient: throws if autograd is recording and an input requires grad). Returns the cache.
 * @example
 * kvCacheWrite(kCache, k, Int32Array.from([17, 5])); // k [2, 12, 1, 64] into kCache [2, 12, 2048, 64]
 */
export function kvCacheWrite(cache: Tensor, x: Tensor, positions: Int32Array): Tensor {
  const fn = 'kvCacheWrite';
  const backend = backendOf(fn, cache, x);
  assertFloat(fn, 'cache', cache);
  assertNotRecording(fn, { cache, x });
  if (x.dtype !== cache.dtype) throw new DTypeError(fn, 'x', `${cache.dtype} (the cache's dtype)`, x.dtype);
  const p = cacheDims(fn, 'cache', cache, 'x', x);
  checkCacheIndices(fn, 'positions', positions, p.batch, 0, p.maxLength - 1);
  const pos = backend.fromArray(positions);
  backend.kvCacheWrite(cache.storage, x.storage, pos, p);
  backend.release(pos);
  return cache;
}

export interface RotaryOptions {
  /** Rotated dims at the start of each head (even, ≤ hd): 64 in the 2.7B rotary H3 model. */
  rotaryDim: number;
  /** Frequency base; default 10000. */
  base?: number;
  /** Position of the first token (earlier tokens when decoding); default 0. */
  offset?: number;
}

/**
 * Rotary position embedding, GPT-NeoX style: in each head of x [B, L, heads, hd], dims i and i + rotaryDim/2
 * (i < rotaryDim/2) are rotated by (offset + t)·base^(−2i/rotaryDim); dims ≥ rotaryDim pass through → [B, L, heads, hd].
 * Gradient to x (the rotation by −θ).
 * @example
 * const qr = rotary(q, { rotaryDim: 64 }); // q [1, 1024, 20, 128] → [1, 1024, 20, 128]
 */
export function rotary(x: Tensor, opts: RotaryOptions): Tensor {
  const backend = backendOf('rotary', x);
  assertFloat('rotary', 'x', x);
  if (x.rank !== 4) throw new ShapeError('rotary', 'x', '[B, L, heads, hd]', `[${x.shape}]`);
  const [B, L, H, hd] = x.shape;
  const p: RotaryParams = { batch: B, length: L, heads: H, headDim: hd, rotaryDim: opts.rotaryDim, base: opts.base ?? 10000, offset: opts.offset ?? 0 };
  return record(backend.rotary(x.storage, p), x.shape, 'rotary', [x], (g) => [new Tensor(backend.rotaryBackward(g.storage, p), x.shape)]);
}
