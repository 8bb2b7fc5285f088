// Causal multi-head attention, the reference (the spec, the test oracle and the cpu backend's path):
// out_i = Σ_{j ≤ i} softmax_j(scale·q_i·k_j)·v_j per (batch·head) row block, as flash-attn's MHA computes it
// (H3 paper §3.3 keeps two such layers; softmax scale 1/√head_dim, design/h3-reference.md §6.3). The forward
// also returns lse_i = log Σ_{j ≤ i} exp(scale·q_i·k_j), which is all the backward needs to rebuild the
// probabilities P_ij = exp(scale·q_i·k_j − lse_i) without storing the L×L matrix (FlashAttention, Dao et al.
// 2022, Algorithm 2). Float64 inside, any float array outside.
import type { FloatArray } from '../../util/types.js';

export interface AttentionParams {
  /** Batch × heads: the independent attention problems. */
  batchHeads: number;
  /** Sequence length L (queries = keys). */
  length: number;
  /** Head dimension hd (≤ 128 on webgpu). */
  headDim: number;
  /** Softmax scale, usually 1/√hd. */
  scale: number;
}

/** Throws a RangeError naming `fn` unless the dims are positive integers and the scale finite. */
export function checkAttentionParams(fn: string, p: AttentionParams): void {
  for (const k of ['batchHeads', 'length', 'headDim'] as const)
    if (!(Number.isInteger(p[k]) && p[k] >= 1)) throw new RangeError(`${fn}: ${k} must be a positive integer; got ${p[k]}`);
  if (!Number.isFinite(p.scale)) throw new RangeError(`${fn}: scale must be finite; got ${p.scale}`);
}

/** The scaled scores s_j = scale·q_i·k_j for j ≤ i of query row i in block bh, into s[0..i]. */
function scores(s: Float64Array, q: FloatArray, k: FloatArray, bh: number, i: number, p: AttentionParams): void {
  const { length: L, headDim: hd, scale } = p;
  const qo = (bh * L + i) * hd;
  for (let j = 0; j <= i; j++) {
    const ko = (bh * L + j) * hd;
    let dot = 0;
    for (let d = 0; d < hd; d++) dot += q[qo + d] * k[ko + d];
    s[j] = scale * dot;
  }
}

/**
 * Overwrites out [BH, L, hd] = softmax(scale·q kᵀ + causal mask) v and lse [BH, L] = the log-sum-exp of each
 * query's scaled scores over keys j ≤ i, for q, k, v [BH, L, hd].
 * @example causalAttentionForwardRef(out, lse, q, k, v, { batchHeads: 2 * 12, length: 128, headDim: 64, scale: 1 / 8 })
 */
export function causalAttentionForwardRef(
  out: FloatArray,
  lse: FloatArray,
  q: FloatArray,
  k: FloatArray,
  v: FloatArray,
  p: AttentionParams,
): void {
  checkAttentionParams('causalAttentionForwardRef', p);
  const { batchHeads: BH, length: L, headDim: hd } = p;
  const s = new Float64Array(L); // one query's scores, then its unnormalised probabilities
  const acc = new Float64Array(hd);
  for (let bh = 0; bh < BH; bh++)
    for (let i = 0; i < L; i++) {
      scores(s, q, k, bh, i, p);
      let m = -Infinity;
      for (let j = 0; j <= i; j++) m = Math.max(m, s[j]);
      let l = 0;
      acc.fill(0);
      for (let j = 0; j <= i; j++) {
        const e = Math.exp(s[j] - m); // subtracting the row max keeps exp from overflowing
        l += e;
        const vo = (bh * L + j) * hd;
        for (let d = 0; d < hd; d++) acc[d] += e * v[vo + d];
      }
      const oo = (bh * L + i) * hd;
      for (let d = 0; d < hd; d++) out[oo + d] = acc[d] / l;
      lse[bh * L + i] = m + Math.log(l);
    }
}

/**
 * Overwrites dq, dk, dv [BH, L, hd] with the gradients of Σ dout ⊙ out for out = causalAttentionForwardRef(q, k, v),
 * from the saved out [BH, L, hd] and lse [BH, L]: with P_ij = exp(scale·q_i·k_j − lse_i), D_i = dout_i·out_i and
 * dS_ij = P_ij (dout_i·v_j − D_i): dv_j = Σ_i P_ij dout_i, dq_i = scale Σ_j dS_ij k_j, dk_j = scale Σ_i dS_ij q_i.
 * @example causalAttentionBackwardRef(dq, dk, dv, dout, q, k, v, out, lse, p)
 */
export function causalAttentionBackwardRef(
  dq: FloatArray,
  dk: FloatArray,
  dv: FloatArray,
  dout: FloatArray,
  q: FloatArray,
  k: FloatArray,
  v: FloatArray,
  out: FloatArray,
  lse: FloatArray,
  p: AttentionParams,
): void {
  checkAttentionParams('causalAttentionBackwardRef', p);
  const { batchHeads: BH, length: L, headDim: hd, scale } = p;
  const n = BH * L * hd;
  // float64 accumulators: dk and dv collect contributions from every later query
  const gq = new Float64Array(n);
  const gk = new Float64Array(n);
  const gv = new Float64Array(n);
  const s = new Float64Array(L);
  for (let bh = 0; bh < BH; bh++)
    for (let i = 0; i < L; i++) {
      scores(s, q, k, bh, i, p);
      const io = (bh * L + i) * hd;
      let Di = 0;
      for (let d = 0; d < hd; d++) Di += dout[io + d] * out[io + d];
      const lsei = lse[bh * L + i];
      for (let j = 0; j <= i; j++) {
        const P = Math.exp(s[j] - lsei);
        const jo = (bh * L + j) * hd;
        let dP = 0;
        for (let d = 0; d < hd; d++) {
          dP += dout[io + d] * v[jo + d];
          gv[jo + d] += P * dout[io + d];
        }
        const dS = scale * P * (dP - Di);
        for (let d = 0; d < hd; d++) {
          gq[io + d] += dS * k[jo + d];
          gk[jo + d] += dS * q[io + d];
        }
      }
    }
  dq.set(gq);
  dk.set(gk);
  dv.set(gv);
}
