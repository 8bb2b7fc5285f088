// Vector helpers shared by the kernels: exp, log, tanh, sigmoid and GELU on f32x4 (a few ulp; WebAssembly
// has no vector transcendental), f32x4 ↔ f64x2 conversion for the kernels that compute in float64 to match
// their TypeScript reference exactly, and loads/stores of a 1-3 element tail that never touch memory past
// the array. All inlined; no static data (constants become v128.const immediates).

/** log2(e). */
const LOG2E: f32 = 1.44269504;
// ln 2 split in two so that n·LN2_HI is exact for |n| < 2^8 (Cody & Waite's range reduction)
const LN2_HI: f32 = 0.693145751953125;
const LN2_LO: f32 = 1.42860677e-6;
/** 1.5·2^23: x + ROUND − ROUND rounds x to an integer, which the bits of x + ROUND hold exactly. */
const ROUND: f32 = 12582912;

/** e^x per lane, ≤ 2 ulp over the normal range; 0 below −104, +∞ above 89, NaN stays NaN. */
// @ts-ignore: decorator
@inline
export function exp4(x: v128): v128 {
  // pmin/pmax (b < a ? b : a) are one instruction each on x64, where min/max need NaN fix-ups; NaN stays NaN
  x = f32x4.pmax(f32x4.pmin(x, f32x4.splat(89)), f32x4.splat(-104));
  // n = round(x·log2 e): adding 1.5·2^23 rounds to an integer held in the low mantissa bits (|n| < 2^22)
  const t = f32x4.add(f32x4.mul(x, f32x4.splat(LOG2E)), f32x4.splat(ROUND));
  const n = f32x4.sub(t, f32x4.splat(ROUND));
  let r = f32x4.sub(x, f32x4.mul(n, f32x4.splat(LN2_HI)));
  r = f32x4.sub(r, f32x4.mul(n, f32x4.splat(LN2_LO)));
  // e^r for |r| ≤ ln2/2 by its Taylor series to degree 7: the remainder r⁸/8! < 6e-9 is below half an ulp
  let p = f32x4.splat(1.0 / 5040);
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.0 / 720));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.0 / 120));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.0 / 24));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.0 / 6));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(0.5));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1));
  // × 2^n in two halves, so n from −150 (subnormal results) to 128 (overflow to ∞) stays representable
  const ni = i32x4.sub(t, f32x4.splat(ROUND)); // the integer n from the bits
  const n1 = i32x4.shr_s(ni, 1);
  const n2 = i32x4.sub(ni, n1);
  const s1 = i32x4.shl(i32x4.add(n1, i32x4.splat(127)), 23);
  const s2 = i32x4.shl(i32x4.add(n2, i32x4.splat(127)), 23);
  return f32x4.mul(f32x4.mul(p, s1), s2);
}

/** ln x per lane, ≤ 2 ulp; −∞ at 0, NaN below 0 or for NaN, +∞ at +∞, subnormals handled. */
// @ts-ignore: decorator
@inline
export function log4(x: v128): v128 {
  const tiny = f32x4.lt(x, f32x4.splat(1.17549435e-38)); // subnormal (or ≤ 0, fixed up below): scale by 2^23
  const xs = v128.bitselect(f32x4.mul(x, f32x4.splat(8388608)), x, tiny);
  let e = i32x4.sub(i32x4.shr_u(xs, 23), i32x4.splat(127));
  e = i32x4.sub(e, v128.and(tiny, i32x4.splat(23)));
  // x = m·2^e with m in (√½, √2]
  let m = v128.or(v128.and(xs, i32x4.splat(0x7fffff)), i32x4.splat(0x3f800000));
  const big = f32x4.gt(m, f32x4.splat(1.41421356));
  m = v128.bitselect(f32x4.mul(m, f32x4.splat(0.5)), m, big);
  e = i32x4.sub(e, big); // big lanes are −1
  // ln m = 2·atanh(s), s = (m−1)/(m+1), |s| ≤ 0.172: the series to s⁹ leaves < 1e-9
  const s = f32x4.div(f32x4.sub(m, f32x4.splat(1)), f32x4.add(m, f32x4.splat(1)));
  const s2 = f32x4.mul(s, s);
  let p = f32x4.splat(2.0 / 9);
  p = f32x4.add(f32x4.mul(p, s2), f32x4.splat(2.0 / 7));
  p = f32x4.add(f32x4.mul(p, s2), f32x4.splat(2.0 / 5));
  p = f32x4.add(f32x4.mul(p, s2), f32x4.splat(2.0 / 3));
  p = f32x4.add(f32x4.mul(p, s2), f32x4.splat(2));
  const ef = f32x4.convert_i32x4_s(e);
  let r = f32x4.add(f32x4.mul(ef, f32x4.splat(LN2_HI)), f32x4.add(f32x4.mul(s, p), f32x4.mul(ef, f32x4.splat(LN2_LO))));
  r = v128.bitselect(f32x4.splat(-Infinity), r, f32x4.eq(x, f32x4.splat(0)));
  r = v128.bitselect(f32x4.splat(Infinity), r, f32x4.eq(x, f32x4.splat(Infinity)));
  return v128.bitselect(f32x4.splat(NaN), r, v128.not(f32x4.ge(x, f32x4.splat(0))));
}

/**
 * ln x for a finite x > 0 in f64, < 1 ulp: x = m·2^e with m in (√½, √2], ln m = 2·atanh(z), z = (m−1)/(m+1),
 * |z| ≤ 0.172, by the series to z²¹ (remainder < 1e-18). Written out because the standard library's log
 * brings lookup tables, i.e. static data (see build-wasm.mjs).
 */
export function ln64(x: f64): f64 {
  const bits = reinterpret<i64>(x);
  let e = <i32>((bits >>> 52) & 0x7ff) - 1023;
  let m = reinterpret<f64>((bits & 0xfffffffffffff) | 0x3ff0000000000000);
  if (m > 1.4142135623730951) {
    m *= 0.5;
    e += 1;
  }
  const z = (m - 1) / (m + 1);
  const z2 = z * z;
  let p: f64 = 2.0 / 21;
  for (let k = 19; k >= 1; k -= 2) p = p * z2 + 2.0 / <f64>k;
  return <f64>e * 0.6931471805599453 + z * p;
}

/** Logistic function per lane; exp only sees −|x|, so nothing overflows. */
// @ts-ignore: decorator
@inline
export function sigmoid4(x: v128): v128 {
  const e = exp4(f32x4.neg(f32x4.abs(x)));
  return sigmoidFromExp(x, e);
}

/** sigmoid(z) given e = exp(−|z|): 1/(1+e) for z ≥ 0, e/(1+e) otherwise (one division, then e·that). */
// @ts-ignore: decorator
@inline
export function sigmoidFromExp(z: v128, e: v128): v128 {
  const r = f32x4.div(f32x4.splat(1), f32x4.add(f32x4.splat(1), e));
  return v128.bitselect(r, f32x4.mul(e, r), f32x4.ge(z, f32x4.splat(0)));
}

/** tanh per lane: odd Taylor series below |x| = 0.4 (where 1 − 2/(e^2x + 1) would cancel), else that form. */
// @ts-ignore: decorator
@inline
export function tanh4(x: v128): v128 {
  const x2 = f32x4.mul(x, x);
  // tanh x = x + x³·q(x²); terms through x¹³, the next is < 2e-9 at 0.4
  let q = f32x4.splat(21844.0 / 6081075);
  q = f32x4.add(f32x4.mul(q, x2), f32x4.splat(-1382.0 / 155925));
  q = f32x4.add(f32x4.mul(q, x2), f32x4.splat(62.0 / 2835));
  q = f32x4.add(f32x4.mul(q, x2), f32x4.splat(-17.0 / 315));
  q = f32x4.add(f32x4.mul(q, x2), f32x4.splat(2.0 / 15));
  q = f32x4.add(f32x4.mul(q, x2), f32x4.splat(-1.0 / 3));
  const small = f32x4.add(x, f32x4.mul(f32x4.mul(x, x2), q));
  const ax = f32x4.abs(x);
  const e = exp4(f32x4.add(ax, ax));
  const large = f32x4.sub(f32x4.splat(1), f32x4.div(f32x4.splat(2), f32x4.add(e, f32x4.splat(1))));
  const signed = v128.or(large, v128.and(x, i32x4.splat(0x80000000))); // large ≥ 0: copy x's sign
  return v128.bitselect(small, signed, f32x4.lt(ax, f32x4.splat(0.4)));
}

/** √(2/π) and the cubic coefficient of the GELU tanh approximation (as GELU_C, GELU_K of unary.ref.ts). */
const GELU_C: f32 = 0.7978845608;
const GELU_K: f32 = 0.044715;

/** z = 2·√(2/π)·(x + 0.044715x³): gelu(x) = x·sigmoid(z). */
// @ts-ignore: decorator
@inline
export function geluZ4(x: v128): v128 {
  const x3 = f32x4.mul(f32x4.mul(x, x), x);
  return f32x4.mul(f32x4.splat(2 * GELU_C), f32x4.add(x, f32x4.mul(f32x4.splat(GELU_K), x3)));
}

/** gelu'(x)·dy = dy·(sigmoid(z) + x·z'·e/(1+e)²), e = exp(−|z|), as unaryBackwardRef. */
// @ts-ignore: decorator
@inline
export function geluBackward4(x: v128, dy: v128): v128 {
  const z = geluZ4(x);
  const e = exp4(f32x4.neg(f32x4.abs(z)));
  const dz = f32x4.mul(f32x4.splat(2 * GELU_C), f32x4.add(f32x4.splat(1), f32x4.mul(f32x4.splat(3 * GELU_K), f32x4.mul(x, x))));
  const d1 = f32x4.add(f32x4.splat(1), e);
  const slope = f32x4.add(sigmoidFromExp(z, e), f32x4.div(f32x4.mul(f32x4.mul(x, dz), e), f32x4.mul(d1, d1)));
  return f32x4.mul(dy, slope);
}

/** Lanes 0-1 of an f32x4 as f64x2. */
// @ts-ignore: decorator
@inline
export function lo64(v: v128): v128 {
  return f64x2.promote_low_f32x4(v);
}

/** Lanes 2-3 of an f32x4 as f64x2. */
// @ts-ignore: decorator
@inline
export function hi64(v: v128): v128 {
  return f64x2.promote_low_f32x4(v128.shuffle<f32>(v, v, 2, 3, 2, 3));
}

/** Two f64x2 rounded back into one f32x4 (lo → lanes 0-1). */
// @ts-ignore: decorator
@inline
export function join32(lo: v128, hi: v128): v128 {
  return v128.shuffle<f32>(f32x4.demote_f64x2_zero(lo), f32x4.demote_f64x2_zero(hi), 0, 1, 4, 5);
}

/** The first k (1-3) f32 at p in lanes 0..k−1, zeros above; reads nothing past p + 4k. */
// @ts-ignore: decorator
@inline
export function loadTail(p: usize, k: i32): v128 {
  let v = v128.load32_lane(p, f32x4.splat(0), 0);
  if (k > 1) v = v128.load32_lane(p + 4, v, 1);
  if (k > 2) v = v128.load32_lane(p + 8, v, 2);
  return v;
}

/** Stores lanes 0..k−1 (k 1-3) of v at p. */
// @ts-ignore: decorator
@inline
export function storeTail(p: usize, v: v128, k: i32): void {
  v128.store32_lane(p, v, 0);
  if (k > 1) v128.store32_lane(p + 4, v, 1);
  if (k > 2) v128.store32_lane(p + 8, v, 2);
}

/** Sum of the two f64 lanes. */
// @ts-ignore: decorator
@inline
export function hsum64(v: v128): f64 {
  return f64x2.extract_lane(v, 0) + f64x2.extract_lane(v, 1);
}

/** Largest of the four f32 lanes and −∞, comparing with `>` as the references do (NaN lanes never win). */
// @ts-ignore: decorator
@inline
export function hmax32(v: v128): f32 {
  let m: f32 = -Infinity;
  const a = f32x4.extract_lane(v, 0);
  const b = f32x4.extract_lane(v, 1);
  const c = f32x4.extract_lane(v, 2);
  const d = f32x4.extract_lane(v, 3);
  if (a > m) m = a;
  if (b > m) m = b;
  if (c > m) m = c;
  if (d > m) m = d;
  return m;
}

/** Lane-wise m = x > m ? x : m (the references' running max). */
// @ts-ignore: decorator
@inline
export function max4(m: v128, x: v128): v128 {
  return v128.bitselect(x, m, f32x4.gt(x, m));
}
