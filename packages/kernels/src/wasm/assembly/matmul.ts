// Batched matmul out[b] = op(A[b]) · op(B[b]) (+ bias) in f32 with WebAssembly SIMD (same contract as matmulRef).
// B is packed once into panels of 8 columns ([panel][K][8], zero-padded), each chunk packs its rows of A
// into 4-row tiles per k block (either layout becomes one sequential stream), and a 4×8 register tile
// accumulates 8 f32x4 sums.
// Every output element is c = init; c = c + a·b for k = 0, 1, …, K−1 in f32 whatever the tiling or thread
// split, so results are bit-identical for any thread count. All pointers are byte offsets into linear memory.

/** Rows of the register tile. */
const MR: i32 = 4;
/** Columns of the register tile (two f32x4) and of a packed B panel. */
const NR: i32 = 8;
/** Depth of one k block: a 4×KC slice of A (4 KiB) and a KC×8 panel of B (8 KiB) stay in L1. */
const KC: i32 = 256;

// How a tile's accumulators start on its first k block.
const INIT_LOAD: i32 = 0; // from C (later k blocks)
const INIT_ZERO: i32 = 1;
const INIT_BIAS: i32 = 2; // bias[j..j+8] on every row

/**
 * The 4×8 micro-kernel: C[0..4, 0..8] (row stride ldc bytes) = init + Σ_k A[r, k] · Bpanel[k, 0..8] over kc steps.
 * A[r, k] is at a + r·ars + k·aks; the panel holds 8 floats per k. Inlined: a call per tile costs up to 20%.
 */
// @ts-ignore: decorator
@inline
function tile4x8(a: usize, ars: usize, aks: usize, bp: usize, kc: i32, c: usize, ldc: usize, init: i32, bias: usize): void {
  let c00: v128, c01: v128, c10: v128, c11: v128, c20: v128, c21: v128, c30: v128, c31: v128;
  if (init == INIT_LOAD) {
    c00 = v128.load(c);
    c01 = v128.load(c, 16);
    c10 = v128.load(c + ldc);
    c11 = v128.load(c + ldc, 16);
    c20 = v128.load(c + ldc * 2);
    c21 = v128.load(c + ldc * 2, 16);
    c30 = v128.load(c + ldc * 3);
    c31 = v128.load(c + ldc * 3, 16);
  } else if (init == INIT_BIAS) {
    c00 = v128.load(bias);
    c01 = v128.load(bias, 16);
    c10 = c00;
    c11 = c01;
    c20 = c00;
    c21 = c01;
    c30 = c00;
    c31 = c01;
  } else {
    c00 = f32x4.splat(0);
    c01 = c00;
    c10 = c00;
    c11 = c00;
    c20 = c00;
    c21 = c00;
    c30 = c00;
    c31 = c00;
  }
  const a1 = ars;
  const a2 = ars * 2;
  const a3 = ars * 3;
  for (let k = 0; k < kc; k++) {
    const b0 = v128.load(bp);
    const b1 = v128.load(bp, 16);
    let av = v128.load32_splat(a);
    c00 = f32x4.add(c00, f32x4.mul(av, b0));
    c01 = f32x4.add(c01, f32x4.mul(av, b1));
    av = v128.load32_splat(a + a1);
    c10 = f32x4.add(c10, f32x4.mul(av, b0));
    c11 = f32x4.add(c11, f32x4.mul(av, b1));
    av = v128.load32_splat(a + a2);
    c20 = f32x4.add(c20, f32x4.mul(av, b0));
    c21 = f32x4.add(c21, f32x4.mul(av, b1));
    av = v128.load32_splat(a + a3);
    c30 = f32x4.add(c30, f32x4.mul(av, b0));
    c31 = f32x4.add(c31, f32x4.mul(av, b1));
    a += aks;
    bp += 32;
  }
  v128.store(c, c00);
  v128.store(c, c01, 16);
  v128.store(c + ldc, c10);
  v128.store(c + ldc, c11, 16);
  v128.store(c + ldc * 2, c20);
  v128.store(c + ldc * 2, c21, 16);
  v128.store(c + ldc * 3, c30);
  v128.store(c + ldc * 3, c31, 16);
}

/**
 * Packs B panels [p0, p1) of every batch (global panel index g = batch·P + panel, P = ⌈N/8⌉) into bp as
 * [g][K][8]: panel column jj of k is B[k, 8·panel + jj] (stored [K, N], or [N, K] when transB), 0 past N.
 * Chunk c packs global panels [c·perChunk, (c+1)·perChunk).
 */
export function matmulPackB(bp: usize, b: usize, batch: i32, K: i32, N: i32, transB: i32, perChunk: i32, chunk: i32, scratch: usize): void {
  const P = (N + NR - 1) / NR;
  const g0 = chunk * perChunk;
  const g1 = min(g0 + perChunk, batch * P);
  for (let g = g0; g < g1; g++) {
    const bi = g / P;
    const j0 = (g - bi * P) * NR;
    const src = b + <usize>bi * K * N * 4;
    const dst = bp + <usize>g * K * NR * 4;
    const cols = min(NR, N - j0);
    if (!transB) packRows(dst, src, K, N, j0, cols);
    else packCols(dst, src, K, j0, cols);
  }
}

/** Panel from B stored [K, N]: row k of the panel is B[k, j0..j0+cols], zero-padded to 8. */
function packRows(dst: usize, src: usize, K: i32, N: i32, j0: i32, cols: i32): void {
  const zero = f32x4.splat(0);
  for (let k = 0; k < K; k++) {
    const s = src + (<usize>k * N + j0) * 4;
    const d = dst + <usize>k * NR * 4;
    if (cols == NR) {
      v128.store(d, v128.load(s));
      v128.store(d, v128.load(s, 16), 16);
    } else {
      v128.store(d, zero);
      v128.store(d, zero, 16);
      for (let jj = 0; jj < cols; jj++) store<f32>(d + jj * 4, load<f32>(s + jj * 4));
    }
  }
}

/** Panel from B stored [N, K] (transB): row k of the panel is B[j0..j0+cols, k], zero-padded; 4×4 SIMD transposes. */
function packCols(dst: usize, src: usize, K: i32, j0: i32, cols: i32): void {
  const row = src + <usize>j0 * K * 4; // stored row j0 = panel column 0
  const rs = <usize>K * 4;
  let k = 0;
  if (cols == NR) {
    for (; k + 4 <= K; k += 4) {
      const s = row + <usize>k * 4;
      const d = dst + <usize>k * NR * 4;
      transpose4(d, 32, v128.load(s), v128.load(s + rs), v128.load(s + rs * 2), v128.load(s + rs * 3));
      transpose4(d + 16, 32, v128.load(s + rs * 4), v128.load(s + rs * 5), v128.load(s + rs * 6), v128.load(s + rs * 7));
    }
  }
  for (; k < K; k++) {
    const d = dst + <usize>k * NR * 4;
    for (let jj = 0; jj < NR; jj++) store<f32>(d + jj * 4, jj < cols ? load<f32>(row + <usize>jj * rs + <usize>k * 4) : 0);
  }
}

/** Writes the 4×4 transpose of rows r0..r3 as four 16-byte columns `stride` bytes apart. */
// @ts-ignore: decorator
@inline
export function transpose4(d: usize, stride: usize, r0: v128, r1: v128, r2: v128, r3: v128): void {
  const lo01 = v128.shuffle<f32>(r0, r1, 0, 4, 1, 5);
  const lo23 = v128.shuffle<f32>(r2, r3, 0, 4, 1, 5);
  const hi01 = v128.shuffle<f32>(r0, r1, 2, 6, 3, 7);
  const hi23 = v128.shuffle<f32>(r2, r3, 2, 6, 3, 7);
  v128.store(d, v128.shuffle<f32>(lo01, lo23, 0, 1, 4, 5));
  v128.store(d + stride, v128.shuffle<f32>(lo01, lo23, 2, 3, 6, 7));
  v128.store(d + stride * 2, v128.shuffle<f32>(hi01, hi23, 0, 1, 4, 5));
  v128.store(d + stride * 3, v128.shuffle<f32>(hi01, hi23, 2, 3, 6, 7));
}

/**
 * Packs rows [i0, i1) × k [k0, k0 + kc) of A into dst as 4-row tiles [tile][k][4] (rows past M are zeros),
 * so the micro-kernel reads A as one sequential stream whatever the layout: A[i, k] is at
 * a + i·K·4 + k·4, or a + k·M·4 + i·4 when transA (a power-of-two M would otherwise alias in the cache).
 */
function packA(dst: usize, a: usize, M: i32, K: i32, transA: i32, i0: i32, i1: i32, k0: i32, kc: i32): void {
  const zero = f32x4.splat(0);
  for (let i = i0; i < i1; i += MR) {
    const d = dst + <usize>((i - i0) / MR) * kc * 16;
    const rows = min(MR, M - i);
    let k = 0;
    if (transA && rows == MR) {
      for (; k < kc; k++) v128.store(d + <usize>k * 16, v128.load(a + (<usize>(k0 + k) * M + i) * 4));
    } else if (rows == MR) {
      const r0 = a + (<usize>i * K + k0) * 4;
      const rs = <usize>K * 4;
      for (; k + 4 <= kc; k += 4) {
        const s = r0 + <usize>k * 4;
        transpose4(d + <usize>k * 16, 16, v128.load(s), v128.load(s + rs), v128.load(s + rs * 2), v128.load(s + rs * 3));
      }
    }
    // what the vector loops left: edge rows (zero-padded to 4) and a k remainder
    for (; k < kc; k++) {
      const dk = d + <usize>k * 16;
      v128.store(dk, zero);
      for (let r = 0; r < rows; r++) {
        const at = transA ? <usize>(k0 + k) * M + i + r : <usize>(i + r) * K + k0 + k;
        store<f32>(dk + r * 4, load<f32>(a + at * 4));
      }
    }
  }
}

/** Bytes of scratch matmulCompute needs: an edge tile of C, then the packed A block of mc × KC. */
const EDGE_BYTES: usize = MR * NR * 4;

/**
 * out [batch, M, N] for one block of mc rows × nc columns (both multiples of the tile) of one batch, from A
 * (stored [batch, M, K], or [batch, K, M] when transA) and the panels packed by matmulPackB; bias [N] or 0.
 * Chunk c = (batch, row block, column block) in row-major order. scratch: 128 + mc·1024 bytes.
 */
export function matmulCompute(
  out: usize,
  a: usize,
  bp: usize,
  bias: usize,
  M: i32,
  N: i32,
  K: i32,
  transA: i32,
  mc: i32,
  nc: i32,
  chunk: i32,
  scratch: usize,
): void {
  const rowBlocks = (M + mc - 1) / mc;
  const colBlocks = (N + nc - 1) / nc;
  const bi = chunk / (rowBlocks * colBlocks);
  const rem = chunk - bi * rowBlocks * colBlocks;
  const i0 = (rem / colBlocks) * mc;
  const j0 = (rem % colBlocks) * nc;
  const i1 = min(i0 + mc, M);
  const j1 = min(j0 + nc, N);
  const P = (N + NR - 1) / NR;
  const aBatch = a + <usize>bi * M * K * 4;
  const cBatch = out + <usize>bi * M * N * 4;
  const ldc = <usize>N * 4;
  const packed = scratch + EDGE_BYTES;
  // K = 0 still runs one (empty) block so the output gets its bias or zeros
  for (let k0 = 0; k0 < K || k0 == 0; k0 += KC) {
    const kc = min(KC, K - k0);
    const init = k0 > 0 ? INIT_LOAD : bias ? INIT_BIAS : INIT_ZERO;
    packA(packed, aBatch, M, K, transA, i0, i1, k0, kc);
    for (let j = j0; j < j1; j += NR) {
      const panel = bp + ((<usize>bi * P + j / NR) * K + k0) * NR * 4;
      const cols = min(NR, N - j);
      for (let i = i0; i < i1; i += MR) {
        const aTile = packed + <usize>((i - i0) / MR) * kc * 16;
        const c = cBatch + <usize>i * ldc + <usize>j * 4;
        const rows = min(MR, M - i);
        if (rows == MR && cols == NR) {
          tile4x8(aTile, 4, 16, panel, kc, c, ldc, init, bias + <usize>j * 4);
        } else {
          edgeTile(aTile, panel, kc, c, ldc, init, bias + <usize>j * 4, rows, cols, scratch);
        }
      }
    }
  }
}

/**
 * A tile cut by the matrix edge: runs the same micro-kernel on a 4×8 copy in scratch (rows past M are zero
 * rows of the packed A, columns past N zero panel columns), then copies back the rows × cols that exist.
 */
function edgeTile(aTile: usize, panel: usize, kc: i32, c: usize, ldc: usize, init: i32, bias: usize, rows: i32, cols: i32, scratch: usize): void {
  const zero = f32x4.splat(0);
  for (let r = 0; r < MR; r++) {
    const s = scratch + <usize>r * NR * 4;
    v128.store(s, zero);
    v128.store(s, zero, 16);
    if (r >= rows) continue;
    for (let jj = 0; jj < cols; jj++) {
      const v: f32 = init == INIT_LOAD ? load<f32>(c + <usize>r * ldc + jj * 4) : init == INIT_BIAS ? load<f32>(bias + jj * 4) : 0;
      store<f32>(s + jj * 4, v);
    }
  }
  tile4x8(aTile, 4, 16, panel, kc, scratch, NR * 4, INIT_LOAD, 0);
  for (let r = 0; r < rows; r++) {
    for (let jj = 0; jj < cols; jj++) store<f32>(c + <usize>r * ldc + jj * 4, load<f32>(scratch + <usize>(r * NR + jj) * 4));
  }
}
