// Token embedding on the WebAssembly CPU runtime (src/wasm/assembly/embedding.ts): a gather by blocks of
// tokens; the scatter-add backward by tiles of 256 columns, each adding every token in order.
import { PARALLEL_MIN_WORK, type WasmRuntime } from '../../wasm/runtime.js';
import type { EmbeddingParams } from './embedding.ref.js';

/** Columns per backward chunk (EMB_COLS there). */
const COLS = 256;

/** Throws unless every id is a row of the table: the kernels address weight rows by id. */
function checkIds(ids: Int32Array, n: number, vocab: number): void {
  for (let i = 0; i < n; i++) {
    if (!(ids[i] >= 0 && ids[i] < vocab)) throw new RangeError(`embedding: id ${ids[i]} at position ${i} is outside [0, ${vocab})`);
  }
}

/**
 * out [n, dim] = weight [vocab, dim] rows at ids [n], as embeddingForwardRef.
 * @example embeddingForwardWasm(rt, out, weight, ids, { n: ids.length, dim: 64, vocab: 1000 });
 */
export function embeddingForwardWasm(rt: WasmRuntime, out: Float32Array, weight: Float32Array, ids: Int32Array, p: EmbeddingParams): void {
  const { n, dim, vocab } = p;
  const idsPtr = rt.arg(ids, n, 'embedding', 'ids');
  checkIds(ids, n, vocab);
  const args = [rt.arg(out, n * dim, 'embedding', 'out'), rt.arg(weight, vocab * dim, 'embedding', 'weight'), idsPtr, n, dim];
  rt.runItems('embeddingForwardF32', args, n, Math.max(1, Math.floor((1 << 14) / Math.max(dim, 1))), dim);
}

/** dweight [vocab, dim] = scatter-add of dy [n, dim] rows to ids (overwrites dweight), bit-identical to embeddingBackwardRef. */
export function embeddingBackwardWasm(rt: WasmRuntime, dweight: Float32Array, dy: Float32Array, ids: Int32Array, p: EmbeddingParams): void {
  const { n, dim, vocab } = p;
  const idsPtr = rt.arg(ids, n, 'embedding backward', 'ids');
  checkIds(ids, n, vocab);
  const dwPtr = rt.arg(dweight, vocab * dim, 'embedding backward', 'dweight');
  dweight.fill(0, 0, vocab * dim);
  const args = [dwPtr, rt.arg(dy, n * dim, 'embedding backward', 'dy'), idsPtr, n, dim];
  rt.run('embeddingBackwardF32', args, Math.ceil(dim / COLS), n * dim < PARALLEL_MIN_WORK);
}
