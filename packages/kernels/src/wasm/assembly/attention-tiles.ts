// The tile steps of the flash-style attention kernels (attention.ts): a block of rows packed four to a vector
// (interleaved) or transposed, a 4-row block of scores, and a 4-row block of weighted row sums. Both products
// use the 4×8 register tile of matmul.ts (8 f32x4 sums); scores come out with the 4 rows of a column in one
// vector, so the softmax steps treat 4 rows per instruction without horizontal operations. Every sum runs over
// its index in ascending order in f32, so a result depends on the tile sizes only, never on the thread.
import { transpose4 } from './matmul';
import { loadTail } from './simd';

/**
 * dst [hd, cp] = the first n rows (row stride hd) at src, transposed; columns n .. ⌈n/8⌉·8 are zeroed so that
 * the 8-wide score tiles see zeros past the last row.
 */
export function packTransposed(dst: usize, src: usize, n: i32, cp: i32, hd: i32): void {
  const ds = <usize>cp * 4;
  const rs = <usize>hd * 4;
  let c = 0;
  // 4 rows × 4 floats at a time by SIMD transposes when rows are 16-byte multiples
  if ((hd & 3) == 0) {
    for (; c + 4 <= n; c += 4) {
      const s = src + <usize>c * rs;
      for (let e = 0; e < hd; e += 4) {
        const o = <usize>e * 4;
        transpose4(dst + <usize>e * ds + <usize>c * 4, ds, v128.load(s + o), v128.load(s + rs + o), v128.load(s + rs * 2 + o), v128.load(s + rs * 3 + o));
      }
    }
  }
  for (; c < n; c++) {
    const s = src + <usize>c * rs;
    let d = dst + <usize>c * 4;
    for (let e = 0; e < hd; e++) {
      store<f32>(d, load<f32>(s + <usize>e * 4));
      d += ds;
    }
  }
  const n8 = min((n + 7) & ~7, cp);
  for (let e = 0; e < hd; e++) for (let c = n; c < n8; c++) store<f32>(dst + <usize>e * ds + <usize>c * 4, 0);
}

/**
 * dst [⌈n/4⌉, hd, 4] = the first n rows (row stride hd) at src, four rows interleaved per block (dst[b, d, r] =
 * row 4b + r), rows n .. ⌈n/4⌉·4 zero: a block's four values at d are then one 16-byte load.
 */
export function packInterleaved(dst: usize, src: usize, n: i32, hd: i32): void {
  const rs = <usize>hd * 4;
  const bs = <usize>hd * 16;
  for (let r0 = 0; r0 < n; r0 += 4) {
    const s = src + <usize>r0 * rs;
    const d = dst + <usize>(r0 / 4) * bs;
    let e = 0;
    if (r0 + 4 <= n) for (; e + 4 <= hd; e += 4) {
      const o = <usize>e * 4;
      transpose4(d + <usize>e * 16, 16, v128.load(s + o), v128.load(s + rs + o), v128.load(s + rs * 2 + o), v128.load(s + rs * 3 + o));
    }
    for (; e < hd; e++)
      for (let r = 0; r < 4; r++) store<f32>(d + <usize>e * 16 + <usize>r * 4, r0 + r < n ? load<f32>(s + <usize>r * rs + <usize>e * 4) : 0);
  }
}

/**
 * s[c, r] = scale · Σ_d A[r, d]·Bᵀ[d, c] for the 4 rows r of one block, columns c in [c0, c1) (multiples of 8):
 * a [hd, 4] one block of packInterleaved, bt [hd, cp] from packTransposed, s [cp, 4] (the rows of a column
 * interleaved, so the softmax works on 4 rows per vector).
 */
export function scoresBlock(s: usize, a: usize, bt: usize, cp: i32, c0: i32, c1: i32, hd: i32, scale: f32): void {
  const bs = <usize>cp * 4;
  const sc = f32x4.splat(scale);
  for (let c = c0; c < c1; c += 8) {
    let x00 = f32x4.splat(0);
    let x01 = x00;
    let x10 = x00;
    let x11 = x00;
    let x20 = x00;
    let x21 = x00;
    let x30 = x00;
    let x31 = x00;
    let b = bt + <usize>c * 4;
    let pa = a;
    for (let d = 0; d < hd; d++) {
      const b0 = v128.load(b);
      const b1 = v128.load(b, 16);
      let av = v128.load32_splat(pa);
      x00 = f32x4.add(x00, f32x4.mul(av, b0));
      x01 = f32x4.add(x01, f32x4.mul(av, b1));
      av = v128.load32_splat(pa, 4);
      x10 = f32x4.add(x10, f32x4.mul(av, b0));
      x11 = f32x4.add(x11, f32x4.mul(av, b1));
      av = v128.load32_splat(pa, 8);
      x20 = f32x4.add(x20, f32x4.mul(av, b0));
      x21 = f32x4.add(x21, f32x4.mul(av, b1));
      av = v128.load32_splat(pa, 12);
      x30 = f32x4.add(x30, f32x4.mul(av, b0));
      x31 = f32x4.add(x31, f32x4.mul(av, b1));
      b += bs;
      pa += 16;
    }
    const t = s + <usize>c * 16;
    transpose4(t, 16, f32x4.mul(x00, sc), f32x4.mul(x10, sc), f32x4.mul(x20, sc), f32x4.mul(x30, sc));
    transpose4(t + 64, 16, f32x4.mul(x01, sc), f32x4.mul(x11, sc), f32x4.mul(x21, sc), f32x4.mul(x31, sc));
  }
}

/**
 * o[r, d] += Σ_{c in [c0, c1)} p[c, r]·B[c, d] for the 4 rows r of one block and d < hd: o rows of hdp = ⌈hd/4⌉·4
 * floats, p [·, 4] as scoresBlock writes it, B row c at b + c·hd·4 (only rows c0 .. c1 − 1 and their first hd
 * floats are read).
 */
export function accumulateBlock(o: usize, hdp: i32, p: usize, b: usize, c0: i32, c1: i32, hd: i32): void {
  const os = <usize>hdp * 4;
  const bs = <usize>hd * 4;
  let d = 0;
  for (; d + 8 <= hd; d += 8) {
    const t = o + <usize>d * 4;
    let x00 = v128.load(t);
    let x01 = v128.load(t, 16);
    let x10 = v128.load(t + os);
    let x11 = v128.load(t + os, 16);
    let x20 = v128.load(t + os * 2);
    let x21 = v128.load(t + os * 2, 16);
    let x30 = v128.load(t + os * 3);
    let x31 = v128.load(t + os * 3, 16);
    let pp = p + <usize>c0 * 16;
    let bb = b + <usize>c0 * bs + <usize>d * 4;
    for (let c = c0; c < c1; c++) {
      const b0 = v128.load(bb);
      const b1 = v128.load(bb, 16);
      let pv = v128.load32_splat(pp);
      x00 = f32x4.add(x00, f32x4.mul(pv, b0));
      x01 = f32x4.add(x01, f32x4.mul(pv, b1));
      pv = v128.load32_splat(pp, 4);
      x10 = f32x4.add(x10, f32x4.mul(pv, b0));
      x11 = f32x4.add(x11, f32x4.mul(pv, b1));
      pv = v128.load32_splat(pp, 8);
      x20 = f32x4.add(x20, f32x4.mul(pv, b0));
      x21 = f32x4.add(x21, f32x4.mul(pv, b1));
      pv = v128.load32_splat(pp, 12);
      x30 = f32x4.add(x30, f32x4.mul(pv, b0));
      x31 = f32x4.add(x31, f32x4.mul(pv, b1));
      pp += 16;
      bb += bs;
    }
    v128.store(t, x00);
    v128.store(t, x01, 16);
    v128.store(t + os, x10);
    v128.store(t + os, x11, 16);
    v128.store(t + os * 2, x20);
    v128.store(t + os * 2, x21, 16);
    v128.store(t + os * 3, x30);
    v128.store(t + os * 3, x31, 16);
  }
  // 4 (or, at the very end, 1-3) columns of d at a time; loadTail never reads past B's row
  for (; d < hd; d += 4) {
    const k = min(4, hd - d);
    const t = o + <usize>d * 4;
    let x0 = v128.load(t);
    let x1 = v128.load(t + os);
    let x2 = v128.load(t + os * 2);
    let x3 = v128.load(t + os * 3);
    let pp = p + <usize>c0 * 16;
    let bb = b + <usize>c0 * bs + <usize>d * 4;
    for (let c = c0; c < c1; c++) {
      const bv = k == 4 ? v128.load(bb) : loadTail(bb, k);
      x0 = f32x4.add(x0, f32x4.mul(v128.load32_splat(pp), bv));
      x1 = f32x4.add(x1, f32x4.mul(v128.load32_splat(pp, 4), bv));
      x2 = f32x4.add(x2, f32x4.mul(v128.load32_splat(pp, 8), bv));
      x3 = f32x4.add(x3, f32x4.mul(v128.load32_splat(pp, 12), bv));
      pp += 16;
      bb += bs;
    }
    v128.store(t, x0);
    v128.store(t + os, x1);
    v128.store(t + os * 2, x2);
    v128.store(t + os * 3, x3);
  }
}

/** Zeros n floats at p (n a multiple of 4). */
export function zero4(p: usize, n: i32): void {
  for (let i = 0; i < n; i += 4) v128.store(p + <usize>i * 4, f32x4.splat(0));
}

/** dst[0..hd) = src[0..hd) · f (src padded to a multiple of 4 floats; dst is an output row of exactly hd). */
export function storeScaledRow(dst: usize, src: usize, hd: i32, f: f32): void {
  const fv = f32x4.splat(f);
  let d = 0;
  for (; d + 4 <= hd; d += 4) v128.store(dst + <usize>d * 4, f32x4.mul(v128.load(src + <usize>d * 4), fv));
  for (; d < hd; d++) store<f32>(dst + <usize>d * 4, load<f32>(src + <usize>d * 4) * f);
}

/** Lanes c + 0..3 < hi as an all-ones mask. */
// @ts-ignore: decorator
@inline
export function lanesBelow(c: i32, hi: i32): v128 {
  return i32x4.lt_s(i32x4.add(i32x4(0, 1, 2, 3), i32x4.splat(c)), i32x4.splat(hi));
}

/** Sum of the four f32 lanes, in the fixed order (0 + 1) + (2 + 3). */
// @ts-ignore: decorator
@inline
export function hsum32(v: v128): f32 {
  return f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1) + (f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3));
}
