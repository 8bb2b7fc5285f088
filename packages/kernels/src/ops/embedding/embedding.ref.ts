// Reference token embedding: a row gather forward, a scatter-add of the output gradient backward.
import type { FloatArray } from '../../util/types.js';

export interface EmbeddingParams {
  /** Number of tokens. */
  n: number;
  /** Embedding width. */
  dim: number;
  /** Rows in the table. */
  vocab: number;
}

/** out [n, dim] = weight [vocab, dim] rows at ids [n]. Ids are validated by the caller (0 ≤ id < vocab). */
export function embeddingForwardRef(out: FloatArray, weight: FloatArray, ids: Int32Array, p: EmbeddingParams): void {
  const { n, dim } = p;
  for (let i = 0; i < n; i++) {
    const src = ids[i] * dim;
    const dst = i * dim;
    for (let d = 0; d < dim; d++) out[dst + d] = weight[src + d];
  }
}

/** dweight [vocab, dim] = Σ over tokens i with ids[i] = v of dy [n, dim] row i (overwrites dweight). */
export function embeddingBackwardRef(dweight: FloatArray, dy: FloatArray, ids: Int32Array, p: EmbeddingParams): void {
  const { n, dim, vocab } = p;
  dweight.fill(0, 0, vocab * dim);
  for (let i = 0; i < n; i++) {
    const dst = ids[i] * dim;
    const src = i * dim;
    for (let d = 0; d < dim; d++) dweight[dst + d] += dy[src + d];
  }
}
