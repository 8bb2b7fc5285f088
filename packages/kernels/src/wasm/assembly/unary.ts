// Elementwise unary ops and their backward passes on f32 (unaryRef / unaryBackwardRef). Ops are numbered
// as in unary.wgsl: 0 neg, 1 exp, 2 log, 3 sqrt, 4 square, 5 relu, 6 gelu, 7 tanh, 8 sigmoid, 9 scale,
// 10 addScalar, 11 dropout. Where the reference's float64 arithmetic rounds once to f32 and that is cheap to
// repeat (neg, sqrt, square, relu, scale, addScalar, dropout and most backward passes) the result is exact;
// exp, log, tanh, sigmoid and GELU use the vector approximations of simd.ts (a few ulp).
import { exp4, geluBackward4, geluZ4, hi64, join32, lo64, loadTail, log4, sigmoid4, storeTail, tanh4 } from './simd';

const NEG = 0;
const EXP = 1;
const LOG = 2;
const SQRT = 3;
const SQUARE = 4;
const RELU = 5;
const GELU = 6;
const TANH = 7;
const SIGMOID = 8;
const SCALE = 9;
const ADD_SCALAR = 10;
const DROPOUT = 11;

/** f(x) on one vector; `alpha` is the scale factor or addend (applied in f64, as the reference does). */
// @ts-ignore: decorator
@inline
function forward4(op: i32, x: v128, alpha: f64): v128 {
  switch (op) {
    case NEG:
      return f32x4.neg(x);
    case EXP:
      return exp4(x);
    case LOG:
      return log4(x);
    case SQRT:
      return f32x4.sqrt(x);
    case SQUARE:
      return f32x4.mul(x, x);
    case RELU:
      return v128.and(x, f32x4.gt(x, f32x4.splat(0)));
    case GELU:
      return f32x4.mul(x, sigmoid4(geluZ4(x)));
    case TANH:
      return tanh4(x);
    case SIGMOID:
      return sigmoid4(x);
    case SCALE: {
      const a = f64x2.splat(alpha);
      return join32(f64x2.mul(a, lo64(x)), f64x2.mul(a, hi64(x)));
    }
    default: {
      const a = f64x2.splat(alpha);
      return join32(f64x2.add(lo64(x), a), f64x2.add(hi64(x), a));
    }
  }
}

/** dy·f'(x) on one vector, with y = f(x) where that is cheaper. */
// @ts-ignore: decorator
@inline
function backward4(op: i32, x: v128, y: v128, dy: v128, alpha: f64): v128 {
  switch (op) {
    case NEG:
      return f32x4.neg(dy);
    case EXP:
      return f32x4.mul(dy, y);
    case LOG:
      return f32x4.div(dy, x);
    case SQRT:
      return f32x4.div(f32x4.mul(f32x4.splat(0.5), dy), y);
    case SQUARE:
      return f32x4.mul(f32x4.add(x, x), dy);
    case RELU:
      return v128.and(dy, f32x4.gt(x, f32x4.splat(0)));
    case GELU:
      return geluBackward4(x, dy);
    case TANH: {
      // dy·(1−y)·(1+y) in f64, rounded once
      const one = f64x2.splat(1);
      const ylo = lo64(y);
      const yhi = hi64(y);
      const lo = f64x2.mul(f64x2.mul(lo64(dy), f64x2.sub(one, ylo)), f64x2.add(one, ylo));
      const hi = f64x2.mul(f64x2.mul(hi64(dy), f64x2.sub(one, yhi)), f64x2.add(one, yhi));
      return join32(lo, hi);
    }
    case SIGMOID: {
      const one = f64x2.splat(1);
      const ylo = lo64(y);
      const yhi = hi64(y);
      return join32(f64x2.mul(f64x2.mul(lo64(dy), ylo), f64x2.sub(one, ylo)), f64x2.mul(f64x2.mul(hi64(dy), yhi), f64x2.sub(one, yhi)));
    }
    case SCALE: {
      const a = f64x2.splat(alpha);
      return join32(f64x2.mul(a, lo64(dy)), f64x2.mul(a, hi64(dy)));
    }
    default:
      return dy; // addScalar
  }
}

/**
 * The stateless dropout hash of util/rng.ts (hashU32): a PCG-style permutation of seed ^ index·golden.
 * Keeps element i when hash / 2^32 ≥ p.
 */
// @ts-ignore: decorator
@inline
function hashU32(seed: u32, index: u32): u32 {
  let x = (index * 0x9e3779b9) ^ seed;
  x = x * 747796405 + 2891336453;
  const word = ((x >>> ((x >>> 28) + 4)) ^ x) * 277803737;
  return (word >>> 22) ^ word;
}

/** v·keep/(1−p) in f64 rounded once, or 0 where element i is dropped (forward and backward alike). */
function dropout(out: usize, v: usize, i0: i32, i1: i32, p: f64, seed: u32): void {
  const threshold = p * 4294967296.0;
  const keep = 1 - p;
  for (let i = i0; i < i1; i++) {
    const kept = <f64>hashU32(seed, <u32>i) >= threshold;
    store<f32>(out + <usize>i * 4, kept ? <f32>(<f64>load<f32>(v + <usize>i * 4) / keep) : 0);
  }
}

/** The forward loop over [i0, i1) for one op; inlined with a constant op, so each op gets its own loop. */
// @ts-ignore: decorator
@inline
function forwardLoop(op: i32, out: usize, x: usize, i0: i32, i1: i32, alpha: f64): void {
  let i = i0;
  for (; i + 4 <= i1; i += 4) v128.store(out + <usize>i * 4, forward4(op, v128.load(x + <usize>i * 4), alpha));
  const k = i1 - i;
  if (k > 0) storeTail(out + <usize>i * 4, forward4(op, loadTail(x + <usize>i * 4, k), alpha), k);
}

/** The backward loop over [i0, i1) for one op (see forwardLoop). */
// @ts-ignore: decorator
@inline
function backwardLoop(op: i32, dx: usize, x: usize, y: usize, dy: usize, i0: i32, i1: i32, alpha: f64): void {
  let i = i0;
  for (; i + 4 <= i1; i += 4) {
    const o = <usize>i * 4;
    v128.store(dx + o, backward4(op, v128.load(x + o), v128.load(y + o), v128.load(dy + o), alpha));
  }
  const k = i1 - i;
  if (k > 0) {
    const o = <usize>i * 4;
    storeTail(dx + o, backward4(op, loadTail(x + o, k), loadTail(y + o, k), loadTail(dy + o, k), alpha), k);
  }
}

/** out[i] = f(x[i]) for i in chunk·per .. min(n, (chunk+1)·per). alpha: scale / addend / drop probability. */
export function unaryF32(op: i32, out: usize, x: usize, n: i32, alpha: f64, seed: u32, per: i32, chunk: i32, scratch: usize): void {
  const i0 = chunk * per;
  const i1 = min(i0 + per, n);
  // one switch outside the loop; each case inlines a loop specialised to its op
  switch (op) {
    case NEG: forwardLoop(NEG, out, x, i0, i1, alpha); break;
    case EXP: forwardLoop(EXP, out, x, i0, i1, alpha); break;
    case LOG: forwardLoop(LOG, out, x, i0, i1, alpha); break;
    case SQRT: forwardLoop(SQRT, out, x, i0, i1, alpha); break;
    case SQUARE: forwardLoop(SQUARE, out, x, i0, i1, alpha); break;
    case RELU: forwardLoop(RELU, out, x, i0, i1, alpha); break;
    case GELU: forwardLoop(GELU, out, x, i0, i1, alpha); break;
    case TANH: forwardLoop(TANH, out, x, i0, i1, alpha); break;
    case SIGMOID: forwardLoop(SIGMOID, out, x, i0, i1, alpha); break;
    case SCALE: forwardLoop(SCALE, out, x, i0, i1, alpha); break;
    case ADD_SCALAR: forwardLoop(ADD_SCALAR, out, x, i0, i1, alpha); break;
    default: dropout(out, x, i0, i1, alpha, seed);
  }
}

/** dx[i] = dy[i]·f'(x[i]) (y = f(x) given too) over the chunk's range, as unaryF32. */
export function unaryBackwardF32(
  op: i32,
  dx: usize,
  x: usize,
  y: usize,
  dy: usize,
  n: i32,
  alpha: f64,
  seed: u32,
  per: i32,
  chunk: i32,
  scratch: usize,
): void {
  const i0 = chunk * per;
  const i1 = min(i0 + per, n);
  switch (op) {
    case NEG: backwardLoop(NEG, dx, x, y, dy, i0, i1, alpha); break;
    case EXP: backwardLoop(EXP, dx, x, y, dy, i0, i1, alpha); break;
    case LOG: backwardLoop(LOG, dx, x, y, dy, i0, i1, alpha); break;
    case SQRT: backwardLoop(SQRT, dx, x, y, dy, i0, i1, alpha); break;
    case SQUARE: backwardLoop(SQUARE, dx, x, y, dy, i0, i1, alpha); break;
    case RELU: backwardLoop(RELU, dx, x, y, dy, i0, i1, alpha); break;
    case GELU: backwardLoop(GELU, dx, x, y, dy, i0, i1, alpha); break;
    case TANH: backwardLoop(TANH, dx, x, y, dy, i0, i1, alpha); break;
    case SIGMOID: backwardLoop(SIGMOID, dx, x, y, dy, i0, i1, alpha); break;
    case SCALE: backwardLoop(SCALE, dx, x, y, dy, i0, i1, alpha); break;
    case ADD_SCALAR: backwardLoop(ADD_SCALAR, dx, x, y, dy, i0, i1, alpha); break;
    default: dropout(dx, dy, i0, i1, alpha, seed);
  }
}
