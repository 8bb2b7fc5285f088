// Attention for one new token per sequence over a KV cache (the decoding step of generation): each batch
// row b attends to the first lengths[b] cache entries, so prompts of different lengths share one cache
// tensor. The cache holds keys and values of every earlier position (and the new token's, written by
// kvCacheWriteRef before the step), so the result equals the last row of the full causal attention.
import type { FloatArray } from '../../util/types.js';

export interface KvCacheParams {
  batch: number;
  heads: number;
  /** Cache capacity: positions per sequence. */
  maxLength: number;
  headDim: number;
}

export interface DecodeParams extends KvCacheParams {
  /** Softmax scale, usually 1/√headDim. */
  scale: number;
}

/** Throws a RangeError naming `fn` unless the dims are positive integers. */
export function checkKvCacheParams(fn: string, p: KvCacheParams): void {
  for (const k of ['batch', 'heads', 'maxLength', 'headDim'] as const)
    if (!(Number.isInteger(p[k]) && p[k] >= 1)) throw new RangeError(`${fn}: ${k} must be a positive integer; got ${p[k]}`);
}

/**
 * Throws a RangeError naming `fn`, the row and the bound unless `xs` has `batch` entries, each in [lo, hi].
 * @example checkCacheIndices('kvCacheWrite', 'positions', positions, B, 0, maxLength - 1)
 */
export function checkCacheIndices(fn: string, name: string, xs: Int32Array, batch: number, lo: number, hi: number): void {
  if (xs.length !== batch) throw new RangeError(`${fn}: ${name} must have ${batch} entries (one per batch row); got ${xs.length}`);
  for (let b = 0; b < batch; b++)
    if (!(xs[b] >= lo && xs[b] <= hi)) throw new RangeError(`${fn}: ${name}[${b}] = ${xs[b]} is outside [${lo}, ${hi}]`);
}

/**
 * Overwrites out [B, heads, hd] with softmax_j(scale·q·k_j)·v_j over j < lengths[b], for q [B, heads, hd],
 * kCache, vCache [B, heads, maxLength, hd] and lengths Int32Array [B] with 1 ≤ lengths[b] ≤ maxLength.
 * @example attentionDecodeRef(out, q, kCache, vCache, Int32Array.from([5, 9]), { batch: 2, heads: 12, maxLength: 1024, headDim: 64, scale: 1 / 8 })
 */
export function attentionDecodeRef(
  out: FloatArray,
  q: FloatArray,
  kCache: FloatArray,
  vCache: FloatArray,
  lengths: Int32Array,
  p: DecodeParams,
): void {
  checkKvCacheParams('attentionDecodeRef', p);
  checkCacheIndices('attentionDecodeRef', 'lengths', lengths, p.batch, 1, p.maxLength);
  const { batch: B, heads: H, maxLength: M, headDim: hd, scale } = p;
  const s = new Float64Array(M);
  const acc = new Float64Array(hd);
  for (let b = 0; b < B; b++)
    for (let h = 0; h < H; h++) {
      const n = lengths[b];
      const qo = (b * H + h) * hd;
      const co = (b * H + h) * M * hd;
      let m = -Infinity;
      for (let j = 0; j < n; j++) {
        let dot = 0;
        for (let d = 0; d < hd; d++) dot += q[qo + d] * kCache[co + j * hd + d];
        s[j] = scale * dot;
        m = Math.max(m, s[j]);
      }
      let l = 0;
      acc.fill(0);
      for (let j = 0; j < n; j++) {
        const e = Math.exp(s[j] - m);
        l += e;
        for (let d = 0; d < hd; d++) acc[d] += e * vCache[co + j * hd + d];
      }
      for (let d = 0; d < hd; d++) out[qo + d] = acc[d] / l;
    }
}

/**
 * Writes x [B, heads, hd] into cache [B, heads, maxLength, hd] at cache[b, :, positions[b], :], in place, for
 * positions Int32Array [B] with 0 ≤ positions[b] < maxLength; every other entry is left as it was.
 * @example kvCacheWriteRef(kCache, kNew, Int32Array.from([4, 8]), { batch: 2, heads: 12, maxLength: 1024, headDim: 64 })
 */
export function kvCacheWriteRef(cache: FloatArray, x: FloatArray, positions: Int32Array, p: KvCacheParams): void {
  checkKvCacheParams('kvCacheWriteRef', p);
  checkCacheIndices('kvCacheWriteRef', 'positions', positions, p.batch, 0, p.maxLength - 1);
  const { batch: B, heads: H, maxLength: M, headDim: hd } = p;
  for (let b = 0; b < B; b++)
    for (let h = 0; h < H; h++) {
      const xo = (b * H + h) * hd;
      cache.set(x.subarray(xo, xo + hd), ((b * H + h) * M + positions[b]) * hd);
    }
}
