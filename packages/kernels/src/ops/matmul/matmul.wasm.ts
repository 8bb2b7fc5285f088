// matmul on the WebAssembly CPU runtime, two paths with the same bits (src/wasm/assembly/matmul.ts, gemv.ts):
// - packed: packs B into 8-column panels (in parallel), then computes blocks of 16-64 rows × 256 columns per
//   chunk with the 4×8 SIMD register tile;
// - small M (decode: a few rows against a big weight): reads B once in place, strips of output columns per
//   chunk, no packing, which would read and write all of B once more per call.
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
 * Largest M that takes the small-M path. Measured (bench/wasm-gemv.bench.ts, the threshold sweep, 1 and 2
 * threads): with B stored [N, K] (nn.Linear, the LM head) it is 1.1-1.5× faster than packing at M = 8,
 * 0.9-1.4× at M = 12 and 0.8-1.1× at M = 16 (it redoes its register transposes for every 4 rows of A); with
 * B stored [K, N] it is 1.2-1.9× faster at M = 8 and breaks even between M = 10 and 32 from run to run.
 */
export const SMALL_M_MAX = 8;
/** Output columns per small-M chunk: at most this (long contiguous runs of B rows when B is [K, N]) … */
const SMALL_NC_MAX = 512;
/** … and at least this; a multiple of the 8-column transB tile. */
const SMALL_NC_MIN = 32;

/** Which kernel computes a matmul: `auto` picks small-M for M ≤ SMALL_M_MAX, else packed. */
export type MatmulWasmPath = 'auto' | 'packed' | 'small-m';

/**
 * out [batch, M, N] = op(a) · op(b) (+ bias [N]) in float32, the contract of matmulRef: a [batch, M, K]
 * (transA: [batch, K, M]), b [batch, K, N] (transB: [batch, N, K]). All arrays are views of rt's memory.
 * Each output element is summed over k in order, in f32, by one thread: the same bits for any thread count,
 * and for M ≤ 8 (the no-packing path for decode) the same bits as for larger M.
 * @example
 * const rt = WasmRuntime.shared();
 * const a = rt.allocF32(2 * 3).fill(1), b = rt.allocF32(3 * 4).fill(2), out = rt.allocF32(2 * 4);
 * matmulWasm(rt, out, a, b, null, { batch: 1, M: 2, N: 4, K: 3, transA: false, transB: false }); // all 6
 */
export function matmulWasm(rt: WasmRuntime, out: Float32Array, a: Float32Array, b: Float32Array, bias: Float32Array | null, p: MatmulParams): void {
  matmulWasmPath(rt, out, a, b, bias, p, 'auto');
}

/** matmulWasm on a chosen path (tests and benchmarks compare the two paths on the same shapes). */
export function matmulWasmPath(
  rt: WasmRuntime,
  out: Float32Array,
  a: Float32Array,
  b: Float32Array,
  bias: Float32Array | null,
  p: MatmulParams,
  path: MatmulWasmPath,
): void {
  const { batch, M, N, K } = p;
  const outPtr = rt.arg(out, batch * M * N, 'matmul', 'out');
  const aPtr = rt.arg(a, batch * M * K, 'matmul', 'a');
  const bPtr = rt.arg(b, batch * K * N, 'matmul', 'b');
  const biasPtr = bias ? rt.arg(bias, N, 'matmul', 'bias') : 0;
  if (batch * M * N === 0) return;
  if (path === 'small-m' || (path === 'auto' && M <= SMALL_M_MAX)) smallM(rt, outPtr, aPtr, bPtr, biasPtr, p);
  else packed(rt, outPtr, aPtr, bPtr, biasPtr, p);
}

/** Packs B, then the 4×8 register tiles (byte addresses in rt's memory). */
function packed(rt: WasmRuntime, outPtr: number, aPtr: number, bPtr: number, biasPtr: number, p: MatmulParams): void {
  const { batch, M, N, K } = p;
  const panels = batch * Math.ceil(N / 8);
  const perChunk = Math.max(1, Math.floor(PACK_CHUNK / (8 * Math.max(K, 1))));
  rt.withTemp(panels * K * 32, (packedB) => {
    rt.run('matmulPackB', [packedB, bPtr, batch, K, N, +p.transB, perChunk], Math.ceil(panels / perChunk), batch * K * N < PARALLEL_MIN_WORK);
    // smaller row blocks where there would be few chunks: a thread that is late to a chunk then holds up the
    // others for less time (the block size does not change any result)
    let mc = MC;
    const chunksFor = (rows: number) => batch * Math.ceil(M / rows) * Math.ceil(N / NC);
    while (mc > MC_MIN && chunksFor(mc) < 8 * rt.threads) mc /= 2;
    // ~0.04 ns per flop on one thread
    rt.run('matmulCompute', [outPtr, aPtr, packedB, biasPtr, M, N, K, +p.transA, mc, NC], chunksFor(mc), (batch * M * N * K) / 16 < PARALLEL_MIN_WORK);
  });
}

/** Strips of output columns, B read in place (byte addresses in rt's memory). */
function smallM(rt: WasmRuntime, outPtr: number, aPtr: number, bPtr: number, biasPtr: number, p: MatmulParams): void {
  const { batch, M, N, K } = p;
  // about 4 strips per thread over the whole call, so a thread late to wake holds up the others little
  const stripsWanted = Math.ceil((4 * rt.threads) / batch);
  const nc = Math.min(SMALL_NC_MAX, Math.max(SMALL_NC_MIN, 8 * Math.ceil(N / stripsWanted / 8)));
  const chunks = batch * Math.ceil(N / nc);
  // measured on one thread: ~0.2 ns per element of B at M = 1 (read from L3), ~0.12 ns more per row of A
  rt.run('matmulSmallM', [outPtr, aPtr, bPtr, biasPtr, M, N, K, +p.transA, +p.transB, nc], chunks, (batch * N * K * (M + 1)) / 8 < PARALLEL_MIN_WORK);
}
