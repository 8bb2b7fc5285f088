// Attention of one new token per sequence over a KV cache (the contract of decode.ref.ts): q, out [B, H, hd],
// kCache, vCache [B, H, M, hd], lengths i32 [B]. A chunk is one (b, h); it walks its first lengths[b] cache
// rows in blocks of NB keys with an online softmax (running max m, sum l), so any cache length fits scratch.
import { hsum32, lanesBelow, storeScaledRow, zero4 } from './attention-tiles';
import { exp4, hmax32, loadTail, max4 } from './simd';

/** Keys per block: their scores take 2 KiB of scratch and a block of V rows stays in L2. */
const NB: i32 = 512;

/** [Σa, Σb, Σc, Σd] of the lanes of four vectors. */
// @ts-ignore: decorator
@inline
function hsum4x4(a: v128, b: v128, c: v128, d: v128): v128 {
  const ab = f32x4.add(v128.shuffle<f32>(a, b, 0, 4, 1, 5), v128.shuffle<f32>(a, b, 2, 6, 3, 7));
  const cd = f32x4.add(v128.shuffle<f32>(c, d, 0, 4, 1, 5), v128.shuffle<f32>(c, d, 2, 6, 3, 7));
  return f32x4.add(v128.shuffle<f32>(ab, cd, 0, 1, 4, 5), v128.shuffle<f32>(ab, cd, 2, 3, 6, 7));
}

/** s[0..n) = scale · q·k_j for the n cache rows at k (row stride hd), four rows at a time. */
function decodeScores(s: usize, q: usize, k: usize, n: i32, hd: i32, scale: f32): void {
  const rs = <usize>hd * 4;
  const sc = f32x4.splat(scale);
  for (let j = 0; j < n; j += 4) {
    // rows past n repeat row n − 1 (read, never stored)
    const k0 = k + <usize>j * rs;
    const k1 = k + <usize>min(j + 1, n - 1) * rs;
    const k2 = k + <usize>min(j + 2, n - 1) * rs;
    const k3 = k + <usize>min(j + 3, n - 1) * rs;
    let a0 = f32x4.splat(0);
    let a1 = a0;
    let a2 = a0;
    let a3 = a0;
    let d = 0;
    for (; d + 4 <= hd; d += 4) {
      const o = <usize>d * 4;
      const qv = v128.load(q + o);
      a0 = f32x4.add(a0, f32x4.mul(qv, v128.load(k0 + o)));
      a1 = f32x4.add(a1, f32x4.mul(qv, v128.load(k1 + o)));
      a2 = f32x4.add(a2, f32x4.mul(qv, v128.load(k2 + o)));
      a3 = f32x4.add(a3, f32x4.mul(qv, v128.load(k3 + o)));
    }
    if (d < hd) {
      const o = <usize>d * 4;
      const e = hd - d;
      const qv = loadTail(q + o, e);
      a0 = f32x4.add(a0, f32x4.mul(qv, loadTail(k0 + o, e)));
      a1 = f32x4.add(a1, f32x4.mul(qv, loadTail(k1 + o, e)));
      a2 = f32x4.add(a2, f32x4.mul(qv, loadTail(k2 + o, e)));
      a3 = f32x4.add(a3, f32x4.mul(qv, loadTail(k3 + o, e)));
    }
    v128.store(s + <usize>j * 4, f32x4.mul(hsum4x4(a0, a1, a2, a3), sc));
  }
}

/** acc[0..hd) += Σ_{j<n} p[j]·v_j for the n cache rows at v (row stride hd); acc holds ⌈hd/4⌉·4 floats. */
function decodeAccumulate(acc: usize, p: usize, v: usize, n: i32, hd: i32): void {
  const rs = <usize>hd * 4;
  let d = 0;
  for (; d + 16 <= hd; d += 16) {
    const t = acc + <usize>d * 4;
    let x0 = v128.load(t);
    let x1 = v128.load(t, 16);
    let x2 = v128.load(t, 32);
    let x3 = v128.load(t, 48);
    let vv = v + <usize>d * 4;
    for (let j = 0; j < n; j++) {
      const pv = v128.load32_splat(p + <usize>j * 4);
      x0 = f32x4.add(x0, f32x4.mul(pv, v128.load(vv)));
      x1 = f32x4.add(x1, f32x4.mul(pv, v128.load(vv, 16)));
      x2 = f32x4.add(x2, f32x4.mul(pv, v128.load(vv, 32)));
      x3 = f32x4.add(x3, f32x4.mul(pv, v128.load(vv, 48)));
      vv += rs;
    }
    v128.store(t, x0);
    v128.store(t, x1, 16);
    v128.store(t, x2, 32);
    v128.store(t, x3, 48);
  }
  for (; d < hd; d += 4) {
    const e = min(4, hd - d);
    const t = acc + <usize>d * 4;
    let x = v128.load(t);
    let vv = v + <usize>d * 4;
    for (let j = 0; j < n; j++) {
      x = f32x4.add(x, f32x4.mul(v128.load32_splat(p + <usize>j * 4), e == 4 ? v128.load(vv) : loadTail(vv, e)));
      vv += rs;
    }
    v128.store(t, x);
  }
}

/**
 * out[b, h] = softmax_j(scale·q·k_j)·v_j over j < lengths[b], for chunk = b·H + h. scratch: scores [NB + 4],
 * accumulator [⌈hd/4⌉·4].
 */
export function attentionDecodeF32(
  out: usize,
  q: usize,
  kCache: usize,
  vCache: usize,
  lengths: usize,
  H: i32,
  M: i32,
  hd: i32,
  scale: f32,
  chunk: i32,
  scratch: usize,
): void {
  const n = load<i32>(lengths + <usize>(chunk / H) * 4);
  const hdp = (hd + 3) & ~3;
  const qo = q + <usize>chunk * hd * 4;
  const co = <usize>chunk * M * hd * 4;
  const s = scratch;
  const acc = s + <usize>(NB + 4) * 4;
  zero4(acc, hdp);
  let m: f32 = -Infinity;
  let l: f32 = 0;
  for (let j0 = 0; j0 < n; j0 += NB) {
    const nb = min(NB, n - j0);
    decodeScores(s, qo, kCache + co + <usize>j0 * hd * 4, nb, hd, scale);
    let mv = f32x4.splat(-Infinity);
    for (let j = 0; j < nb; j += 4) mv = max4(mv, v128.bitselect(v128.load(s + <usize>j * 4), f32x4.splat(-Infinity), lanesBelow(j, nb)));
    const mx = hmax32(mv);
    const mNew = mx > m ? mx : m;
    let sum = f32x4.splat(0);
    for (let j = 0; j < nb; j += 4) {
      const e = v128.and(exp4(f32x4.sub(v128.load(s + <usize>j * 4), f32x4.splat(mNew))), lanesBelow(j, nb));
      v128.store(s + <usize>j * 4, e);
      sum = f32x4.add(sum, e);
    }
    // m = −∞ on the first block: alpha underflows to 0 and l = 0, acc = 0 stay 0
    const alpha = f32x4.extract_lane(exp4(f32x4.splat(m - mNew)), 0);
    l = l * alpha + hsum32(sum);
    m = mNew;
    if (alpha != 1) for (let d = 0; d < hdp; d += 4) v128.store(acc + <usize>d * 4, f32x4.mul(v128.load(acc + <usize>d * 4), f32x4.splat(alpha)));
    decodeAccumulate(acc, s, vCache + co + <usize>j0 * hd * 4, nb, hd);
  }
  storeScaledRow(out + <usize>chunk * hd * 4, acc, hd, 1 / l);
}
