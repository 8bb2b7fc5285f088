// Softmax over the last axis of [rows, dim] (softmaxForwardRef / softmaxBackwardRef), one chunk = a block
// of rows. Forward: row max, e = exp(x − max) in f32 vectors (≤ 2 ulp), their sum in f64, y = e·(1/sum).
// Backward: dot = Σ dy·y in f64, dx = y·(dy − dot) in f64 rounded once.
import { exp4, hi64, hmax32, hsum64, join32, lo64, loadTail, max4, storeTail } from './simd';

/** The row's max with the references' `x > m` comparison. */
export function rowMax(row: usize, dim: i32): f32 {
  let m = f32x4.splat(-Infinity);
  let j = 0;
  for (; j + 4 <= dim; j += 4) m = max4(m, v128.load(row + <usize>j * 4));
  let s = hmax32(m);
  for (; j < dim; j++) {
    const v = load<f32>(row + <usize>j * 4);
    if (v > s) s = v;
  }
  return s;
}

/** dst[j] = exp(src[j] − shift) for j < dim; returns Σ dst[j] accumulated in f64. dst may be src. */
export function expShiftSum(dst: usize, src: usize, dim: i32, shift: f32): f64 {
  const sh = f32x4.splat(shift);
  let s0 = f64x2.splat(0);
  let s1 = s0;
  let j = 0;
  for (; j + 4 <= dim; j += 4) {
    const e = exp4(f32x4.sub(v128.load(src + <usize>j * 4), sh));
    v128.store(dst + <usize>j * 4, e);
    s0 = f64x2.add(s0, lo64(e));
    s1 = f64x2.add(s1, hi64(e));
  }
  const k = dim - j;
  if (k > 0) {
    const e = exp4(f32x4.sub(loadTail(src + <usize>j * 4, k), sh));
    storeTail(dst + <usize>j * 4, e, k);
    // lanes ≥ k hold exp(0 − shift): mask them out of the sum
    const keep = i32x4.lt_s(i32x4(0, 1, 2, 3), i32x4.splat(k));
    const m = v128.and(e, keep);
    s0 = f64x2.add(s0, lo64(m));
    s1 = f64x2.add(s1, hi64(m));
  }
  return hsum64(f64x2.add(s0, s1));
}

/** out [rows, dim] = softmax(x) per row, rows chunk·per .. min(rows, (chunk+1)·per). */
export function softmaxForwardF32(out: usize, x: usize, rows: i32, dim: i32, per: i32, chunk: i32, scratch: usize): void {
  const r1 = min(chunk * per + per, rows);
  for (let r = chunk * per; r < r1; r++) {
    const o = <usize>r * dim * 4;
    const sum = expShiftSum(out + o, x + o, dim, rowMax(x + o, dim));
    const inv = f32x4.splat(<f32>(1 / sum));
    let j = 0;
    for (; j + 4 <= dim; j += 4) v128.store(out + o + <usize>j * 4, f32x4.mul(v128.load(out + o + <usize>j * 4), inv));
    for (; j < dim; j++) store<f32>(out + o + <usize>j * 4, load<f32>(out + o + <usize>j * 4) * f32x4.extract_lane(inv, 0));
  }
}

/** dx [rows, dim] = y ⊙ (dy − Σ dy·y) per row, from the forward output y; rows as softmaxForwardF32. */
export function softmaxBackwardF32(dx: usize, y: usize, dy: usize, rows: i32, dim: i32, per: i32, chunk: i32, scratch: usize): void {
  const r1 = min(chunk * per + per, rows);
  for (let r = chunk * per; r < r1; r++) {
    const o = <usize>r * dim * 4;
    let d0 = f64x2.splat(0);
    let d1 = d0;
    let j = 0;
    for (; j + 4 <= dim; j += 4) {
      const a = v128.load(dy + o + <usize>j * 4);
      const b = v128.load(y + o + <usize>j * 4);
      d0 = f64x2.add(d0, f64x2.mul(lo64(a), lo64(b)));
      d1 = f64x2.add(d1, f64x2.mul(hi64(a), hi64(b)));
    }
    let dot = hsum64(f64x2.add(d0, d1));
    for (let t = j; t < dim; t++) dot += <f64>load<f32>(dy + o + <usize>t * 4) * <f64>load<f32>(y + o + <usize>t * 4);
    const dv = f64x2.splat(dot);
    for (j = 0; j + 4 <= dim; j += 4) {
      const a = v128.load(dy + o + <usize>j * 4);
      const b = v128.load(y + o + <usize>j * 4);
      v128.store(dx + o + <usize>j * 4, join32(f64x2.mul(lo64(b), f64x2.sub(lo64(a), dv)), f64x2.mul(hi64(b), f64x2.sub(hi64(a), dv))));
    }
    for (; j < dim; j++) {
      const yv = <f64>load<f32>(y + o + <usize>j * 4);
      store<f32>(dx + o + <usize>j * 4, <f32>(yv * (<f64>load<f32>(dy + o + <usize>j * 4) - dot)));
    }
  }
}
