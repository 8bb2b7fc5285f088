// KV-cache decoding on the WebAssembly CPU runtime (src/wasm/assembly/attention-decode.ts): one chunk per
// (batch row, head), spread over the runtime's threads. kvCacheWrite stays on the reference (a copy of
// B·heads rows of hd floats per step: typed-array set, i.e. memcpy).
import { PARALLEL_MIN_WORK, SCRATCH_BYTES, type WasmRuntime } from '../../wasm/runtime.js';
import { checkCacheIndices, checkKvCacheParams, type DecodeParams } from './decode.ref.js';

/** Keys per block in the kernel (NB) plus its 4 spare floats: the scores' share of the scratch. */
const SCORE_FLOATS = 512 + 4;

/**
 * out [B, heads, hd] = softmax_j(scale·q·k_j)·v_j over j < lengths[b] (the contract of attentionDecodeRef) in
 * float32, for q [B, heads, hd], kCache, vCache [B, heads, maxLength, hd] and lengths Int32Array [B] with
 * 1 ≤ lengths[b] ≤ maxLength, all views of rt's memory. The same bits for any thread count.
 * @example attentionDecodeWasm(rt, out, q, kCache, vCache, lengths, { batch: 1, heads: 12, maxLength: 2048, headDim: 64, scale: 1 / 8 })
 */
export function attentionDecodeWasm(
  rt: WasmRuntime,
  out: Float32Array,
  q: Float32Array,
  kCache: Float32Array,
  vCache: Float32Array,
  lengths: Int32Array,
  p: DecodeParams,
): void {
  const fn = 'attentionDecodeWasm';
  checkKvCacheParams(fn, p);
  checkCacheIndices(fn, 'lengths', lengths, p.batch, 1, p.maxLength);
  if (!Number.isFinite(p.scale)) throw new RangeError(`${fn}: scale must be finite; got ${p.scale}`);
  const { batch: B, heads: H, maxLength: M, headDim: hd } = p;
  if (4 * (SCORE_FLOATS + Math.ceil(hd / 4) * 4) > SCRATCH_BYTES)
    throw new RangeError(`${fn}: headDim ${hd} is too large for the WebAssembly kernel's ${SCRATCH_BYTES}-byte scratch`);
  const n = B * H * hd;
  const args = [
    rt.arg(out, n, fn, 'out'),
    rt.arg(q, n, fn, 'q'),
    rt.arg(kCache, n * M, fn, 'kCache'),
    rt.arg(vCache, n * M, fn, 'vCache'),
    rt.arg(lengths, B, fn, 'lengths'),
    H,
    M,
    hd,
    p.scale,
  ];
  // ~4 flops per cached float at ~8 flops/ns
  let keys = 0;
  for (let b = 0; b < B; b++) keys += lengths[b];
  rt.run('attentionDecodeF32', args, B * H, (H * keys * hd) / 2 < PARALLEL_MIN_WORK);
}
