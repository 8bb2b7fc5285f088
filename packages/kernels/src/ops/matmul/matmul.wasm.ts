// matmul on the WebAssembly CPU runtime: packs B into 8-column panels (in parallel), then computes blocks
// of 16-64 rows × 256 columns per chunk with the 4×8 SIMD register tile (src/wasm/assembly/matmul.ts).
import { PARALLEL_MIN_WORK, type WasmRuntime } from '../../wasm/runtime.js';
import type { MatmulParams } from './matmul.ref.js';

/** Rows per chunk at most (a multiple of the 4-row tile; the kernel packs mc × 256 of A into 64 KiB of scratch). */
const MC = 64;
/** Rows per chunk at least. */
const MC_MIN = 16;
/** Columns per chunk (a multiple of the 8-column panel); a 256 × K panel block stays in L2. */
const NC = 256;
/** Elements of B packed per chunk. */
const PACK_CHUNK = 1 << 16;

/**
 * out [batch, M, N] = op(a) · op(b) (+ bias [N]) in float32, the contract of matmulRef: a [batch, M, K]
 * (transA: [batch, K, M]), b [batch, K, N] (transB: [batch, N, K]). All arrays are views of rt's memory.
 * Each output element is summed over k in order, in f32, by one thread: the same bits for any thread count.
 * @example
 * const rt = WasmRuntime.shared();
 * const a = rt.allocF32(2 * 3).fill(1), b = rt.allocF32(3 * 4).fill(2), out = rt.allocF32(2 * 4);
 * matmulWasm(rt, out, a, b, null, { batch: 1, M: 2, N: 4, K: 3, transA: false, transB: false }); // all 6
 */
export function matmulWasm(rt: WasmRuntime, out: Float32Array, a: Float32Array, b: Float32Array, bias: Float32Array | null, p: MatmulParams): void {
  const { batch, M, N, K } = p;
  const outPtr = rt.arg(out, batch * M * N, 'matmul', 'out');
  const aPtr = rt.arg(a, batch * M * K, 'matmul', 'a');
  const bPtr = rt.arg(b, batch * K * N, 'matmul', 'b');
  const biasPtr = bias ? rt.arg(bias, N, 'matmul', 'bias') : 0;
  if (batch * M * N === 0) return;
  const panels = batch * Math.ceil(N / 8);
  const perChunk = Math.max(1, Math.floor(PACK_CHUNK / (8 * Math.max(K, 1))));
  rt.withTemp(panels * K * 32, (packed) => {
    rt.run('matmulPackB', [packed, bPtr, batch, K, N, +p.transB, perChunk], Math.ceil(panels / perChunk), batch * K * N < PARALLEL_MIN_WORK);
    // smaller row blocks where there would be few chunks: a thread that is late to a chunk then holds up the
    // others for less time (the block size does not change any result)
    let mc = MC;
    const chunksFor = (rows: number) => batch * Math.ceil(M / rows) * Math.ceil(N / NC);
    while (mc > MC_MIN && chunksFor(mc) < 8 * rt.threads) mc /= 2;
    // ~0.04 ns per flop on one thread
    rt.run('matmulCompute', [outPtr, aPtr, packed, biasPtr, M, N, K, +p.transA, mc, NC], chunksFor(mc), (batch * M * N * K) / 16 < PARALLEL_MIN_WORK);
  });
}
