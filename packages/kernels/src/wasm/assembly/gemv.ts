// Small-M matmul (decode: a few rows of activations against a large weight) without packing B: B is read
// once, in place, and each chunk owns a strip of output columns of one batch for all M rows.
// Same contract as matmulCompute (matmul.ts), bit for bit: every output element is c = init (bias or +0);
// c = c + a·b for k = 0, 1, …, K−1 in f32 (a rounded product, then a rounded sum; no FMA), whatever the
// strip, tile or thread split. Each f32x4 lane is one output column and accumulates its k in order:
// - B stored [K, N]: rows of B are contiguous runs of output columns, so the strip is an axpy over them
//   (c[i, j..] += a[i, k]·B[k, j..]), four k at a time per load and store of c, which stays in L1;
// - B stored [N, K] (transB): 8 rows of B are 8 output columns; 4×4 blocks of them are transposed in
//   registers so that lane j of t_q holds B[j, k+q], and up to 4 rows of A share each transpose.
// All pointers are byte offsets into linear memory.
import { loadTail, storeTail } from './simd';

/**
 * out [batch, M, N] for the output columns of strip `chunk` (strips of nc columns, batch-major: chunk c =
 * batch · ⌈N/nc⌉ + strip), from A (stored [batch, M, K], or [batch, K, M] when transA), B (stored
 * [batch, K, N], or [batch, N, K] when transB) and bias [N] or 0. nc is a multiple of 8 for full tiles.
 */
export function matmulSmallM(
  out: usize,
  a: usize,
  b: usize,
  bias: usize,
  M: i32,
  N: i32,
  K: i32,
  transA: i32,
  transB: i32,
  nc: i32,
  chunk: i32,
  scratch: usize,
): void {
  const strips = (N + nc - 1) / nc;
  const bi = chunk / strips;
  const j0 = (chunk - bi * strips) * nc;
  const j1 = min(j0 + nc, N);
  const aB = a + <usize>bi * M * K * 4;
  const bB = b + <usize>bi * K * N * 4;
  const cB = out + <usize>bi * M * N * 4;
  // A[i, k] is at aB + i·ars + k·aks
  const ars: usize = transA ? 4 : <usize>K * 4;
  const aks: usize = transA ? <usize>M * 4 : 4;
  if (transB) columnsOfRows(cB, aB, ars, aks, bB, bias, M, N, K, j0, j1);
  else axpyStrip(cB, aB, ars, aks, bB, bias, M, N, K, j0, j1);
}

/** c[i, j0..j1] = bias[j0..j1] (or +0) for rows i < M; row stride N. */
function initStrip(c: usize, bias: usize, M: i32, N: i32, j0: i32, j1: i32): void {
  for (let i = 0; i < M; i++) {
    const ci = c + <usize>i * N * 4;
    let j = j0;
    for (; j + 4 <= j1; j += 4) v128.store(ci + <usize>j * 4, bias ? v128.load(bias + <usize>j * 4) : f32x4.splat(0));
    if (j < j1) storeTail(ci + <usize>j * 4, bias ? loadTail(bias + <usize>j * 4, j1 - j) : f32x4.splat(0), j1 - j);
  }
}

/** B stored [K, N]: c[i, j0..j1] += Σ_k a[i, k]·B[k, j0..j1] in k order, reading each row slice of B once. */
function axpyStrip(c: usize, a: usize, ars: usize, aks: usize, b: usize, bias: usize, M: i32, N: i32, K: i32, j0: i32, j1: i32): void {
  initStrip(c, bias, M, N, j0, j1);
  const rs = <usize>N * 4; // bytes between rows of B and of c
  const vecEnd = j0 + ((j1 - j0) & ~3);
  const tail = j1 - vecEnd;
  let k = 0;
  // four rows of B per pass: c is loaded and stored once per 4 products; rows i > 0 find the slices in L1
  for (; k + 4 <= K; k += 4) {
    const bk = b + <usize>k * rs;
    for (let i = 0; i < M; i++) {
      const ap = a + <usize>i * ars + <usize>k * aks;
      const a0 = v128.load32_splat(ap);
      const a1 = v128.load32_splat(ap + aks);
      const a2 = v128.load32_splat(ap + aks * 2);
      const a3 = v128.load32_splat(ap + aks * 3);
      const ci = c + <usize>i * rs;
      for (let j = j0; j < vecEnd; j += 4) axpy4(ci + <usize>j * 4, bk + <usize>j * 4, rs, a0, a1, a2, a3, 4);
      if (tail) axpy4(ci + <usize>vecEnd * 4, bk + <usize>vecEnd * 4, rs, a0, a1, a2, a3, tail);
    }
  }
  for (; k < K; k++) {
    const bk = b + <usize>k * rs;
    for (let i = 0; i < M; i++) {
      const av = v128.load32_splat(a + <usize>i * ars + <usize>k * aks);
      const ci = c + <usize>i * rs;
      for (let j = j0; j < vecEnd; j += 4) axpy1(ci + <usize>j * 4, bk + <usize>j * 4, av, 4);
      if (tail) axpy1(ci + <usize>vecEnd * 4, bk + <usize>vecEnd * 4, av, tail);
    }
  }
}

/** n (1-4) f32 at p: a full vector, or lanes 0..n−1 with zeros above (reading nothing past them). */
// @ts-ignore: decorator
@inline
function loadN(p: usize, n: i32): v128 {
  return n == 4 ? v128.load(p) : loadTail(p, n);
}

/** Stores lanes 0..n−1 (n 1-4) of v at p. */
// @ts-ignore: decorator
@inline
function storeN(p: usize, v: v128, n: i32): void {
  if (n == 4) v128.store(p, v);
  else storeTail(p, v, n);
}

/** n lanes of c at cp += a0·B[k] + a1·B[k+1] + a2·B[k+2] + a3·B[k+3] in that order; B[k] at bp, rows rs bytes apart. */
// @ts-ignore: decorator
@inline
function axpy4(cp: usize, bp: usize, rs: usize, a0: v128, a1: v128, a2: v128, a3: v128, n: i32): void {
  let v = loadN(cp, n);
  v = f32x4.add(v, f32x4.mul(a0, loadN(bp, n)));
  v = f32x4.add(v, f32x4.mul(a1, loadN(bp + rs, n)));
  v = f32x4.add(v, f32x4.mul(a2, loadN(bp + rs * 2, n)));
  v = f32x4.add(v, f32x4.mul(a3, loadN(bp + rs * 3, n)));
  storeN(cp, v, n);
}

/** n lanes of c at cp += av·B[k] (at bp). */
// @ts-ignore: decorator
@inline
function axpy1(cp: usize, bp: usize, av: v128, n: i32): void {
  storeN(cp, f32x4.add(loadN(cp, n), f32x4.mul(av, loadN(bp, n))), n);
}

/**
 * B stored [N, K] (transB): output column j is row j of B. Tiles of up to 4 rows of A × 8 columns (two
 * groups of 4 lanes); the last columns in a group of 4, then one at a time.
 */
function columnsOfRows(c: usize, a: usize, ars: usize, aks: usize, b: usize, bias: usize, M: i32, N: i32, K: i32, j0: i32, j1: i32): void {
  const rs = <usize>K * 4; // bytes between rows of B
  const ldc = <usize>N * 4;
  let j = j0;
  for (; j + 8 <= j1; j += 8) rowTiles(c + <usize>j * 4, ldc, a, ars, aks, b + <usize>j * rs, rs, bias ? bias + <usize>j * 4 : 0, M, K, 2);
  if (j + 4 <= j1) {
    rowTiles(c + <usize>j * 4, ldc, a, ars, aks, b + <usize>j * rs, rs, bias ? bias + <usize>j * 4 : 0, M, K, 1);
    j += 4;
  }
  // 1-3 columns left: scalar, the same operations in the same order as one lane
  for (; j < j1; j++) {
    const bj = b + <usize>j * rs;
    for (let i = 0; i < M; i++) {
      const ai = a + <usize>i * ars;
      let s: f32 = bias ? load<f32>(bias + <usize>j * 4) : 0;
      for (let k = 0; k < K; k++) s = s + load<f32>(ai + <usize>k * aks) * load<f32>(bj + <usize>k * 4);
      store<f32>(c + <usize>i * ldc + <usize>j * 4, s);
    }
  }
}

/** All M rows for G (1 or 2, a constant) groups of 4 columns: tiles of 4 rows, then the 1-3 left. */
// @ts-ignore: decorator
@inline
function rowTiles(c: usize, ldc: usize, a: usize, ars: usize, aks: usize, b: usize, rs: usize, bias: usize, M: i32, K: i32, G: i32): void {
  let i = 0;
  for (; i + 4 <= M; i += 4) tileT(c + <usize>i * ldc, ldc, a + <usize>i * ars, ars, aks, b, rs, bias, K, 4, G);
  const left = M - i;
  const ci = c + <usize>i * ldc;
  const ai = a + <usize>i * ars;
  if (left == 3) tileT(ci, ldc, ai, ars, aks, b, rs, bias, K, 3, G);
  else if (left == 2) tileT(ci, ldc, ai, ars, aks, b, rs, bias, K, 2, G);
  else if (left == 1) tileT(ci, ldc, ai, ars, aks, b, rs, bias, K, 1, G);
}

/**
 * The transB register tile: R (1-4) rows of A × 4·G columns, G (1-2) groups of 4 rows of B (both constants,
 * so the unused accumulators fold away). c[r, 0..4G] = init + Σ_k A[r, k]·B[0..4G, k], k in order.
 */
// @ts-ignore: decorator
@inline
function tileT(c: usize, ldc: usize, a: usize, ars: usize, aks: usize, b: usize, rs: usize, bias: usize, K: i32, R: i32, G: i32): void {
  const zero = f32x4.splat(0);
  const init0 = bias ? v128.load(bias) : zero;
  const init1 = G > 1 && bias ? v128.load(bias, 16) : zero;
  // c{row}{group}
  let c00 = init0, c10 = init0, c20 = init0, c30 = init0;
  let c01 = init1, c11 = init1, c21 = init1, c31 = init1;
  const b1 = b + rs * 4; // the second group's rows
  let k = 0;
  for (; k + 4 <= K; k += 4) {
    const ak = a + <usize>k * aks;
    let s = b + <usize>k * 4;
    let r0 = v128.load(s);
    let r1 = v128.load(s + rs);
    let r2 = v128.load(s + rs * 2);
    let r3 = v128.load(s + rs * 3);
    // t_q (lane j = B[j, k+q]) from the 4×4 transpose
    let lo01 = v128.shuffle<f32>(r0, r1, 0, 4, 1, 5);
    let lo23 = v128.shuffle<f32>(r2, r3, 0, 4, 1, 5);
    let hi01 = v128.shuffle<f32>(r0, r1, 2, 6, 3, 7);
    let hi23 = v128.shuffle<f32>(r2, r3, 2, 6, 3, 7);
    let t0 = v128.shuffle<f32>(lo01, lo23, 0, 1, 4, 5);
    let t1 = v128.shuffle<f32>(lo01, lo23, 2, 3, 6, 7);
    let t2 = v128.shuffle<f32>(hi01, hi23, 0, 1, 4, 5);
    let t3 = v128.shuffle<f32>(hi01, hi23, 2, 3, 6, 7);
    c00 = madd4(c00, ak, aks, t0, t1, t2, t3);
    if (R > 1) c10 = madd4(c10, ak + ars, aks, t0, t1, t2, t3);
    if (R > 2) c20 = madd4(c20, ak + ars * 2, aks, t0, t1, t2, t3);
    if (R > 3) c30 = madd4(c30, ak + ars * 3, aks, t0, t1, t2, t3);
    if (G > 1) {
      s = b1 + <usize>k * 4;
      r0 = v128.load(s);
      r1 = v128.load(s + rs);
      r2 = v128.load(s + rs * 2);
      r3 = v128.load(s + rs * 3);
      lo01 = v128.shuffle<f32>(r0, r1, 0, 4, 1, 5);
      lo23 = v128.shuffle<f32>(r2, r3, 0, 4, 1, 5);
      hi01 = v128.shuffle<f32>(r0, r1, 2, 6, 3, 7);
      hi23 = v128.shuffle<f32>(r2, r3, 2, 6, 3, 7);
      t0 = v128.shuffle<f32>(lo01, lo23, 0, 1, 4, 5);
      t1 = v128.shuffle<f32>(lo01, lo23, 2, 3, 6, 7);
      t2 = v128.shuffle<f32>(hi01, hi23, 0, 1, 4, 5);
      t3 = v128.shuffle<f32>(hi01, hi23, 2, 3, 6, 7);
      c01 = madd4(c01, ak, aks, t0, t1, t2, t3);
      if (R > 1) c11 = madd4(c11, ak + ars, aks, t0, t1, t2, t3);
      if (R > 2) c21 = madd4(c21, ak + ars * 2, aks, t0, t1, t2, t3);
      if (R > 3) c31 = madd4(c31, ak + ars * 3, aks, t0, t1, t2, t3);
    }
  }
  // K mod 4 left: gather lane j = B[j, k] directly
  for (; k < K; k++) {
    const ak = a + <usize>k * aks;
    const t = gather4(b + <usize>k * 4, rs);
    c00 = f32x4.add(c00, f32x4.mul(v128.load32_splat(ak), t));
    if (R > 1) c10 = f32x4.add(c10, f32x4.mul(v128.load32_splat(ak + ars), t));
    if (R > 2) c20 = f32x4.add(c20, f32x4.mul(v128.load32_splat(ak + ars * 2), t));
    if (R > 3) c30 = f32x4.add(c30, f32x4.mul(v128.load32_splat(ak + ars * 3), t));
    if (G > 1) {
      const u = gather4(b1 + <usize>k * 4, rs);
      c01 = f32x4.add(c01, f32x4.mul(v128.load32_splat(ak), u));
      if (R > 1) c11 = f32x4.add(c11, f32x4.mul(v128.load32_splat(ak + ars), u));
      if (R > 2) c21 = f32x4.add(c21, f32x4.mul(v128.load32_splat(ak + ars * 2), u));
      if (R > 3) c31 = f32x4.add(c31, f32x4.mul(v128.load32_splat(ak + ars * 3), u));
    }
  }
  v128.store(c, c00);
  if (R > 1) v128.store(c + ldc, c10);
  if (R > 2) v128.store(c + ldc * 2, c20);
  if (R > 3) v128.store(c + ldc * 3, c30);
  if (G > 1) {
    v128.store(c, c01, 16);
    if (R > 1) v128.store(c + ldc, c11, 16);
    if (R > 2) v128.store(c + ldc * 2, c21, 16);
    if (R > 3) v128.store(c + ldc * 3, c31, 16);
  }
}

/** c + a0·t0 + a1·t1 + a2·t2 + a3·t3 in that order, a_q = A[r, k+q] at ap + q·aks (splat). */
// @ts-ignore: decorator
@inline
function madd4(c: v128, ap: usize, aks: usize, t0: v128, t1: v128, t2: v128, t3: v128): v128 {
  c = f32x4.add(c, f32x4.mul(v128.load32_splat(ap), t0));
  c = f32x4.add(c, f32x4.mul(v128.load32_splat(ap + aks), t1));
  c = f32x4.add(c, f32x4.mul(v128.load32_splat(ap + aks * 2), t2));
  return f32x4.add(c, f32x4.mul(v128.load32_splat(ap + aks * 3), t3));
}

/** Lanes B[0..4, k] from 4 rows rs bytes apart (s = &B[0, k]). */
// @ts-ignore: decorator
@inline
function gather4(s: usize, rs: usize): v128 {
  let v = v128.load32_splat(s);
  v = v128.load32_lane(s + rs, v, 1);
  v = v128.load32_lane(s + rs * 2, v, 2);
  return v128.load32_lane(s + rs * 3, v, 3);
}
