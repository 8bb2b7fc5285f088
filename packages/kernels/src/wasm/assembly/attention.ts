// Causal attention, flash-style (FlashAttention, Dao et al. 2022, Alg. 1-2; the contract of attention.ref.ts):
// q, k, v, out, dq, dk, dv [BH, L, hd], lse and delta [BH, L]. A chunk is one (bh, tile of R rows); it walks
// the tiles of C columns its rows attend to, 4 rows at a time (attention-tiles.ts), and never builds the L×L
// matrix. The forward keeps an online softmax per query row (running max m, sum l); the backward rebuilds
// P = exp(s − lse) in two passes so that every output row is owned by one chunk (no atomics): dq per query
// tile (which also writes delta = rowsum(dout ⊙ out)), then dk, dv per key tile. In a 4-row block the lanes of
// a vector are the 4 rows. Tile sizes come from the wrapper (ops/attention/attention.wasm.ts).
import { accumulateBlock, packInterleaved, packTransposed, scoresBlock, storeScaledRow, zero4 } from './attention-tiles';
import { exp4, log4, max4 } from './simd';

/** Lane r = x + r. */
// @ts-ignore: decorator
@inline
function iota(x: i32): v128 {
  return i32x4.add(i32x4(0, 1, 2, 3), i32x4.splat(x));
}

/**
 * Valid columns of each row (lane) of a query block against a key tile: row r sees keys j ≤ i, i.e.
 * first + r columns, at most nk; rows past the last query (r ≥ rb) none.
 */
// @ts-ignore: decorator
@inline
function causalCounts(first: i32, rb: i32, nk: i32): v128 {
  return v128.and(i32x4.min_s(iota(first), i32x4.splat(nk)), i32x4.gt_s(i32x4.splat(rb), iota(0)));
}

/**
 * The chunk's tile: t-th of R rows (the longest tiles first when `longFirst`, so the short ones fill the gaps
 * at the end), as [t, bh].
 */
// @ts-ignore: decorator
@inline
function tileOf(chunk: i32, BH: i32, L: i32, R: i32, longFirst: bool): i32 {
  const t = chunk / BH;
  return longFirst ? (L + R - 1) / R - 1 - t : t;
}

/**
 * One online-softmax step of a 4-row block: s [hi, 4] holds its scores against this key tile, row r (lane r)
 * having hr[r] valid columns (≤ hi; 0 for rows past L), all of them at c < hmin. Rewrites s as
 * p = exp(s − m_new), zero where invalid, and rescales the sums l and the 4 accumulator rows o (hdp floats
 * apart) by exp(m_old − m_new); m, l are f32x4 at ml.
 */
function softmaxStep(s: usize, hr: v128, hmin: i32, hi: i32, ml: usize, o: usize, hdp: i32): void {
  const ninf = f32x4.splat(-Infinity);
  let mx = ninf;
  let c = 0;
  for (; c < hmin; c++) mx = max4(mx, v128.load(s + <usize>c * 16));
  for (; c < hi; c++) mx = max4(mx, v128.bitselect(v128.load(s + <usize>c * 16), ninf, i32x4.gt_s(hr, i32x4.splat(c))));
  const mOld = v128.load(ml);
  const m = max4(mOld, mx); // a row without valid columns here keeps its max
  let sum = f32x4.splat(0);
  for (c = 0; c < hmin; c++) {
    const e = exp4(f32x4.sub(v128.load(s + <usize>c * 16), m));
    v128.store(s + <usize>c * 16, e);
    sum = f32x4.add(sum, e);
  }
  for (; c < hi; c++) {
    const e = v128.and(exp4(f32x4.sub(v128.load(s + <usize>c * 16), m)), i32x4.gt_s(hr, i32x4.splat(c)));
    v128.store(s + <usize>c * 16, e);
    sum = f32x4.add(sum, e);
  }
  // exactly 1 where the max did not move (also −∞ = −∞ before a row's first key); on the first tile
  // exp(−∞) underflows to 0, and l = 0, o = 0 stay 0
  let alpha = v128.bitselect(f32x4.splat(1), exp4(f32x4.sub(mOld, m)), f32x4.eq(mOld, m));
  v128.store(ml, m);
  v128.store(ml, f32x4.add(f32x4.mul(v128.load(ml, 16), alpha), sum), 16);
  for (let r = 0; r < 4; r++) {
    const a = f32x4.extract_lane(alpha, 0);
    alpha = v128.shuffle<f32>(alpha, alpha, 1, 2, 3, 0);
    if (a == 1) continue;
    const row = o + <usize>r * hdp * 4;
    for (let d = 0; d < hdp; d += 4) v128.store(row + <usize>d * 4, f32x4.mul(v128.load(row + <usize>d * 4), f32x4.splat(a)));
  }
}

/**
 * out and lse for query rows [t·R, t·R + R) of block bh, chunk = (⌈L/R⌉ − 1 − t)·BH + bh. scratch: q tile
 * [R/4, hd, 4], kᵀ tile [hd, C], scores [R/4, C, 4], accumulators [R, hdp], (m, l) [R/4, 2, 4].
 */
export function attentionForwardF32(
  out: usize,
  lse: usize,
  q: usize,
  k: usize,
  v: usize,
  BH: i32,
  L: i32,
  hd: i32,
  scale: f32,
  R: i32,
  C: i32,
  chunk: i32,
  scratch: usize,
): void {
  const bh = chunk % BH;
  const i0 = tileOf(chunk, BH, L, R, true) * R;
  const nr = min(R, L - i0);
  const hdp = (hd + 3) & ~3;
  const base = <usize>bh * L * hd * 4;
  const qp = scratch;
  const kt = qp + <usize>R * hd * 4;
  const s = kt + <usize>hd * C * 4;
  const acc = s + <usize>R * C * 4;
  const ml = acc + <usize>R * hdp * 4;
  packInterleaved(qp, q + base + <usize>i0 * hd * 4, nr, hd);
  zero4(acc, R * hdp);
  for (let r0 = 0; r0 < R; r0 += 4) {
    v128.store(ml + <usize>r0 * 8, f32x4.splat(-Infinity));
    v128.store(ml + <usize>r0 * 8, f32x4.splat(0), 16);
  }
  for (let j0 = 0; j0 < i0 + nr; j0 += C) {
    const nk = min(C, i0 + nr - j0);
    packTransposed(kt, k + base + <usize>j0 * hd * 4, nk, C, hd);
    for (let r0 = 0; r0 < nr; r0 += 4) {
      const rb = min(4, nr - r0);
      const first = i0 + r0 - j0 + 1;
      const hi = min(nk, first + rb - 1);
      if (hi <= 0) continue;
      const hr = causalCounts(first, rb, nk);
      const hmin = rb == 4 ? max(0, min(nk, first)) : 0;
      const sb = s + <usize>r0 * C * 4;
      scoresBlock(sb, qp + <usize>r0 * hd * 4, kt, C, 0, (hi + 7) & ~7, hd, scale);
      softmaxStep(sb, hr, hmin, hi, ml + <usize>r0 * 8, acc + <usize>r0 * hdp * 4, hdp);
      accumulateBlock(acc + <usize>r0 * hdp * 4, hdp, sb, v + base + <usize>j0 * hd * 4, 0, hi, hd);
    }
  }
  for (let r0 = 0; r0 < nr; r0 += 4) {
    // lse = m + ln l and 1/l of the block's rows, written over (m, l) to be read back per row
    const at = ml + <usize>r0 * 8;
    const l = v128.load(at, 16);
    v128.store(at, f32x4.add(v128.load(at), log4(l)));
    v128.store(at, f32x4.div(f32x4.splat(1), l), 16);
    for (let r = 0; r < min(4, nr - r0); r++) {
      const i = i0 + r0 + r;
      storeScaledRow(out + base + <usize>i * hd * 4, acc + <usize>(r0 + r) * hdp * 4, hd, load<f32>(at + <usize>r * 4, 16));
      store<f32>(lse + (<usize>bh * L + i) * 4, load<f32>(at + <usize>r * 4));
    }
  }
}

/** Σ_d a[d]·b[d] over hd floats, in f32 lanes (the same order for every row). */
function dotRow(a: usize, b: usize, hd: i32): f32 {
  let acc = f32x4.splat(0);
  let d = 0;
  for (; d + 4 <= hd; d += 4) acc = f32x4.add(acc, f32x4.mul(v128.load(a + <usize>d * 4), v128.load(b + <usize>d * 4)));
  let x = f32x4.extract_lane(acc, 0) + f32x4.extract_lane(acc, 1) + (f32x4.extract_lane(acc, 2) + f32x4.extract_lane(acc, 3));
  for (; d < hd; d++) x += load<f32>(a + <usize>d * 4) * load<f32>(b + <usize>d * 4);
  return x;
}

/**
 * dq and delta for query rows [t·R, t·R + R) of block bh (chunks as attentionForwardF32): delta_i = dout_i·out_i,
 * then over the key tiles j ≤ i: P = exp(s − lse_i), dS = scale·P·(dP − delta_i) with dP = dout_i·v_j, and
 * dq_i += dS·k_j. scratch: q and dout tiles [R/4, hd, 4], kᵀ and vᵀ tiles [hd, C], s and dP [R/4, C, 4],
 * dq accumulators [R, hdp], (lse, delta) [R/4, 2, 4].
 */
export function attentionBackwardDqF32(
  dq: usize,
  delta: usize,
  dout: usize,
  q: usize,
  k: usize,
  v: usize,
  out: usize,
  lse: usize,
  BH: i32,
  L: i32,
  hd: i32,
  scale: f32,
  R: i32,
  C: i32,
  chunk: i32,
  scratch: usize,
): void {
  const bh = chunk % BH;
  const i0 = tileOf(chunk, BH, L, R, true) * R;
  const nr = min(R, L - i0);
  const hdp = (hd + 3) & ~3;
  const base = <usize>bh * L * hd * 4;
  const rows = <usize>bh * L * 4; // byte offset of block bh in lse and delta
  const qp = scratch;
  const gp = qp + <usize>R * hd * 4;
  const kt = gp + <usize>R * hd * 4;
  const vt = kt + <usize>hd * C * 4;
  const s = vt + <usize>hd * C * 4;
  const dp = s + <usize>R * C * 4;
  const acc = dp + <usize>R * C * 4;
  const ld = acc + <usize>R * hdp * 4;
  zero4(ld, 2 * R);
  for (let r = 0; r < nr; r++) {
    const i = i0 + r;
    const o = base + <usize>i * hd * 4;
    const D = dotRow(dout + o, out + o, hd);
    store<f32>(delta + rows + <usize>i * 4, D);
    const at = ld + <usize>(r & ~3) * 8 + <usize>(r & 3) * 4;
    store<f32>(at, load<f32>(lse + rows + <usize>i * 4));
    store<f32>(at, D, 16);
  }
  const a = base + <usize>i0 * hd * 4;
  packInterleaved(qp, q + a, nr, hd);
  packInterleaved(gp, dout + a, nr, hd);
  zero4(acc, R * hdp);
  const sc = f32x4.splat(scale);
  for (let j0 = 0; j0 < i0 + nr; j0 += C) {
    const nk = min(C, i0 + nr - j0);
    packTransposed(kt, k + base + <usize>j0 * hd * 4, nk, C, hd);
    packTransposed(vt, v + base + <usize>j0 * hd * 4, nk, C, hd);
    for (let r0 = 0; r0 < nr; r0 += 4) {
      const rb = min(4, nr - r0);
      const first = i0 + r0 - j0 + 1;
      const hi = min(nk, first + rb - 1);
      if (hi <= 0) continue;
      const hr = causalCounts(first, rb, nk);
      const hmin = rb == 4 ? max(0, min(nk, first)) : 0;
      const c1 = (hi + 7) & ~7;
      const sb = s + <usize>r0 * C * 4;
      const db = dp + <usize>r0 * C * 4;
      scoresBlock(sb, qp + <usize>r0 * hd * 4, kt, C, 0, c1, hd, scale);
      scoresBlock(db, gp + <usize>r0 * hd * 4, vt, C, 0, c1, hd, 1);
      const lv = v128.load(ld + <usize>r0 * 8);
      const dv = v128.load(ld + <usize>r0 * 8, 16);
      for (let c = 0; c < hi; c++) {
        const o = <usize>c * 16;
        const p = exp4(f32x4.sub(v128.load(sb + o), lv));
        const ds = f32x4.mul(f32x4.mul(sc, p), f32x4.sub(v128.load(db + o), dv));
        v128.store(sb + o, c < hmin ? ds : v128.and(ds, i32x4.gt_s(hr, i32x4.splat(c))));
      }
      accumulateBlock(acc + <usize>r0 * hdp * 4, hdp, sb, k + base + <usize>j0 * hd * 4, 0, hi, hd);
    }
  }
  for (let r = 0; r < nr; r++) storeScaledRow(dq + base + <usize>(i0 + r) * hd * 4, acc + <usize>r * hdp * 4, hd, 1);
}

/**
 * dk and dv for key rows [t·R, t·R + R) of block bh, chunk = t·BH + bh (the first keys have the most queries,
 * so they go first), over the query tiles i ≥ j: dv_j += P·dout_i, dk_j += dS·q_i with P and dS as in
 * attentionBackwardDqF32 (delta from it). scratch: k and v tiles [R/4, hd, 4], qᵀ and doutᵀ tiles [hd, C],
 * s and dP [R/4, C, 4], dk and dv accumulators [R, hdp] each, lse and delta of the query tile [C] each.
 */
export function attentionBackwardDkvF32(
  dk: usize,
  dv: usize,
  delta: usize,
  dout: usize,
  q: usize,
  k: usize,
  v: usize,
  lse: usize,
  BH: i32,
  L: i32,
  hd: i32,
  scale: f32,
  R: i32,
  C: i32,
  chunk: i32,
  scratch: usize,
): void {
  const bh = chunk % BH;
  const j0 = tileOf(chunk, BH, L, R, false) * R;
  const nr = min(R, L - j0);
  const hdp = (hd + 3) & ~3;
  const base = <usize>bh * L * hd * 4;
  const rows = <usize>bh * L * 4;
  const kp = scratch;
  const vp = kp + <usize>R * hd * 4;
  const qt = vp + <usize>R * hd * 4;
  const gt = qt + <usize>hd * C * 4;
  const s = gt + <usize>hd * C * 4;
  const dp = s + <usize>R * C * 4;
  const ak = dp + <usize>R * C * 4;
  const av = ak + <usize>R * hdp * 4;
  const lc = av + <usize>R * hdp * 4;
  const dc = lc + <usize>C * 4;
  packInterleaved(kp, k + base + <usize>j0 * hd * 4, nr, hd);
  packInterleaved(vp, v + base + <usize>j0 * hd * 4, nr, hd);
  zero4(ak, R * hdp);
  zero4(av, R * hdp);
  const sc = f32x4.splat(scale);
  for (let i0 = j0 - (j0 % C); i0 < L; i0 += C) {
    const nc = min(C, L - i0);
    const qa = q + base + <usize>i0 * hd * 4;
    const ga = dout + base + <usize>i0 * hd * 4;
    packTransposed(qt, qa, nc, C, hd);
    packTransposed(gt, ga, nc, C, hd);
    memory.copy(lc, lse + rows + <usize>i0 * 4, <usize>nc * 4);
    memory.copy(dc, delta + rows + <usize>i0 * 4, <usize>nc * 4);
    for (let r0 = 0; r0 < nr; r0 += 4) {
      // key j sees queries i ≥ j: from column j − i0 on; later blocks start further right
      const lo = max(0, j0 + r0 - i0);
      if (lo >= nc) break;
      const rb = min(4, nr - r0);
      // each row's first column; rows past L get none (nc)
      const lr = v128.bitselect(iota(j0 + r0 - i0), i32x4.splat(nc), i32x4.gt_s(i32x4.splat(rb), iota(0)));
      const full = rb == 4 ? j0 + r0 + 3 - i0 : nc; // from here on every row is valid
      const sb = s + <usize>r0 * C * 4;
      const db = dp + <usize>r0 * C * 4;
      scoresBlock(sb, kp + <usize>r0 * hd * 4, qt, C, lo & ~7, (nc + 7) & ~7, hd, scale);
      scoresBlock(db, vp + <usize>r0 * hd * 4, gt, C, lo & ~7, (nc + 7) & ~7, hd, 1);
      for (let c = lo; c < nc; c++) {
        const o = <usize>c * 16;
        const p = exp4(f32x4.sub(v128.load(sb + o), v128.load32_splat(lc + <usize>c * 4)));
        const ds = f32x4.mul(f32x4.mul(sc, p), f32x4.sub(v128.load(db + o), v128.load32_splat(dc + <usize>c * 4)));
        if (c >= full) {
          v128.store(sb + o, p);
          v128.store(db + o, ds);
        } else {
          const keep = i32x4.le_s(lr, i32x4.splat(c));
          v128.store(sb + o, v128.and(p, keep));
          v128.store(db + o, v128.and(ds, keep));
        }
      }
      accumulateBlock(av + <usize>r0 * hdp * 4, hdp, sb, ga, lo, nc, hd);
      accumulateBlock(ak + <usize>r0 * hdp * 4, hdp, db, qa, lo, nc, hd);
    }
  }
  for (let r = 0; r < nr; r++) {
    const o = base + <usize>(j0 + r) * hd * 4;
    storeScaledRow(dk + o, ak + <usize>r * hdp * 4, hd, 1);
    storeScaledRow(dv + o, av + <usize>r * hdp * 4, hd, 1);
  }
}
