// Test oracle: causal attention with the L×L score matrix materialised, softmax(scale·Q Kᵀ + mask)·V, in
// float64 — the textbook formula the fused references must reproduce.
import type { FloatArray } from '../../util/types.js';
import type { AttentionParams } from './attention.ref.js';

/** out [BH, L, hd] and lse [BH, L] the obvious way (scores as a full L×L matrix, −∞ above the diagonal). */
export function naiveCausalAttention(q: FloatArray, k: FloatArray, v: FloatArray, p: AttentionParams): { out: Float64Array; lse: Float64Array } {
  const { batchHeads: BH, length: L, headDim: hd, scale } = p;
  const out = new Float64Array(BH * L * hd);
  const lse = new Float64Array(BH * L);
  for (let bh = 0; bh < BH; bh++) {
    const S = new Float64Array(L * L);
    for (let i = 0; i < L; i++)
      for (let j = 0; j < L; j++) {
        let dot = 0;
        for (let d = 0; d < hd; d++) dot += q[(bh * L + i) * hd + d] * k[(bh * L + j) * hd + d];
        S[i * L + j] = j <= i ? scale * dot : -Infinity;
      }
    for (let i = 0; i < L; i++) {
      const row = S.subarray(i * L, (i + 1) * L);
      const m = Math.max(...row);
      const e = row.map((x) => Math.exp(x - m));
      const sum = e.reduce((a, b) => a + b, 0);
      lse[bh * L + i] = m + Math.log(sum);
      for (let d = 0; d < hd; d++) {
        let acc = 0;
        for (let j = 0; j < L; j++) acc += (e[j] / sum) * v[(bh * L + j) * hd + d];
        out[(bh * L + i) * hd + d] = acc;
      }
    }
  }
  return { out, lse };
}
