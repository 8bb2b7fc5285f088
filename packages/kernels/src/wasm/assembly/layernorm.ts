// Layer normalisation over the last axis of [rows, dim] (layerNormForwardRef / layerNormBackwardRef), in
// f64 lanes like the reference: the outputs differ from it only by the order of the row sums. The backward
// pass is two kernels: dx by blocks of rows, dweight and dbias by tiles of columns summed over the rows in
// order (so no thread ever adds into another's output).
import { hi64, hsum64, join32, lo64 } from './simd';

/** Columns per chunk of the parameter gradients: two f64 accumulators each in scratch (2 × 8 KiB). */
export const LN_COLS = 1024;

/** Σ row[i] over dim f32 values, in f64. */
function rowSum(row: usize, dim: i32): f64 {
  let s0 = f64x2.splat(0);
  let s1 = s0;
  let i = 0;
  for (; i + 4 <= dim; i += 4) {
    const v = v128.load(row + <usize>i * 4);
    s0 = f64x2.add(s0, lo64(v));
    s1 = f64x2.add(s1, hi64(v));
  }
  let s = hsum64(f64x2.add(s0, s1));
  for (; i < dim; i++) s += <f64>load<f32>(row + <usize>i * 4);
  return s;
}

/** Σ (row[i] − m)² in f64. */
function rowSqDev(row: usize, dim: i32, m: f64): f64 {
  const mv = f64x2.splat(m);
  let s0 = f64x2.splat(0);
  let s1 = s0;
  let i = 0;
  for (; i + 4 <= dim; i += 4) {
    const v = v128.load(row + <usize>i * 4);
    const a = f64x2.sub(lo64(v), mv);
    const b = f64x2.sub(hi64(v), mv);
    s0 = f64x2.add(s0, f64x2.mul(a, a));
    s1 = f64x2.add(s1, f64x2.mul(b, b));
  }
  let s = hsum64(f64x2.add(s0, s1));
  for (; i < dim; i++) {
    const d = <f64>load<f32>(row + <usize>i * 4) - m;
    s += d * d;
  }
  return s;
}

/** out = (x − mean)·rstd·weight + bias per row, writing mean [rows] and rstd [rows]; rows chunk·per .. +per. */
export function layerNormForwardF32(
  out: usize,
  mean: usize,
  rstd: usize,
  x: usize,
  weight: usize,
  bias: usize,
  rows: i32,
  dim: i32,
  eps: f64,
  per: i32,
  chunk: i32,
  scratch: usize,
): void {
  const r1 = min(chunk * per + per, rows);
  for (let r = chunk * per; r < r1; r++) {
    const row = x + <usize>r * dim * 4;
    const dst = out + <usize>r * dim * 4;
    const m = rowSum(row, dim) / <f64>dim;
    const rs = 1 / Math.sqrt(rowSqDev(row, dim, m) / <f64>dim + eps);
    const mv = f64x2.splat(m);
    const rv = f64x2.splat(rs);
    let i = 0;
    for (; i + 4 <= dim; i += 4) {
      const v = v128.load(row + <usize>i * 4);
      const w = v128.load(weight + <usize>i * 4);
      const b = v128.load(bias + <usize>i * 4);
      const lo = f64x2.add(f64x2.mul(f64x2.mul(f64x2.sub(lo64(v), mv), rv), lo64(w)), lo64(b));
      const hi = f64x2.add(f64x2.mul(f64x2.mul(f64x2.sub(hi64(v), mv), rv), hi64(w)), hi64(b));
      v128.store(dst + <usize>i * 4, join32(lo, hi));
    }
    for (; i < dim; i++) {
      const v = <f64>load<f32>(row + <usize>i * 4);
      store<f32>(dst + <usize>i * 4, <f32>((v - m) * rs * <f64>load<f32>(weight + <usize>i * 4) + <f64>load<f32>(bias + <usize>i * 4)));
    }
    store<f32>(mean + <usize>r * 4, <f32>m);
    store<f32>(rstd + <usize>r * 4, <f32>rs);
  }
}

/**
 * dx [rows, dim] = rstd·(g − mean(g) − x̂·mean(g·x̂)) with x̂ = (x − mean)·rstd, g = dy·weight, per row
 * (the saved f32 mean and rstd are used, as in the reference); rows chunk·per .. +per.
 */
export function layerNormBackwardRowsF32(
  dx: usize,
  dy: usize,
  x: usize,
  weight: usize,
  mean: usize,
  rstd: usize,
  rows: i32,
  dim: i32,
  per: i32,
  chunk: i32,
  scratch: usize,
): void {
  const r1 = min(chunk * per + per, rows);
  for (let r = chunk * per; r < r1; r++) {
    const o = <usize>r * dim * 4;
    const m = <f64>load<f32>(mean + <usize>r * 4);
    const rs = <f64>load<f32>(rstd + <usize>r * 4);
    const mv = f64x2.splat(m);
    const rv = f64x2.splat(rs);
    let g0 = f64x2.splat(0);
    let g1 = g0;
    let gx0 = g0;
    let gx1 = g0;
    let i = 0;
    for (; i + 4 <= dim; i += 4) {
      const xv = v128.load(x + o + <usize>i * 4);
      const d = v128.load(dy + o + <usize>i * 4);
      const w = v128.load(weight + <usize>i * 4);
      const glo = f64x2.mul(lo64(d), lo64(w));
      const ghi = f64x2.mul(hi64(d), hi64(w));
      g0 = f64x2.add(g0, glo);
      g1 = f64x2.add(g1, ghi);
      gx0 = f64x2.add(gx0, f64x2.mul(glo, f64x2.mul(f64x2.sub(lo64(xv), mv), rv)));
      gx1 = f64x2.add(gx1, f64x2.mul(ghi, f64x2.mul(f64x2.sub(hi64(xv), mv), rv)));
    }
    let sumG = hsum64(f64x2.add(g0, g1));
    let sumGX = hsum64(f64x2.add(gx0, gx1));
    for (let t = i; t < dim; t++) {
      const g = <f64>load<f32>(dy + o + <usize>t * 4) * <f64>load<f32>(weight + <usize>t * 4);
      sumG += g;
      sumGX += g * ((<f64>load<f32>(x + o + <usize>t * 4) - m) * rs);
    }
    const meanG = f64x2.splat(sumG / <f64>dim);
    const meanGX = f64x2.splat(sumGX / <f64>dim);
    for (i = 0; i + 4 <= dim; i += 4) {
      const xv = v128.load(x + o + <usize>i * 4);
      const d = v128.load(dy + o + <usize>i * 4);
      const w = v128.load(weight + <usize>i * 4);
      const lo = f64x2.mul(rv, f64x2.sub(f64x2.sub(f64x2.mul(lo64(d), lo64(w)), meanG), f64x2.mul(f64x2.mul(f64x2.sub(lo64(xv), mv), rv), meanGX)));
      const hi = f64x2.mul(rv, f64x2.sub(f64x2.sub(f64x2.mul(hi64(d), hi64(w)), meanG), f64x2.mul(f64x2.mul(f64x2.sub(hi64(xv), mv), rv), meanGX)));
      v128.store(dx + o + <usize>i * 4, join32(lo, hi));
    }
    for (; i < dim; i++) {
      const xh = (<f64>load<f32>(x + o + <usize>i * 4) - m) * rs;
      const g = <f64>load<f32>(dy + o + <usize>i * 4) * <f64>load<f32>(weight + <usize>i * 4);
      store<f32>(dx + o + <usize>i * 4, <f32>(rs * (g - sumG / <f64>dim - xh * (sumGX / <f64>dim))));
    }
  }
}

/**
 * dweight [dim] = Σ_rows dy·x̂ and dbias [dim] = Σ_rows dy for the tile of LN_COLS columns of this chunk,
 * rows added in order in f64 (as the reference), rounded once.
 */
export function layerNormBackwardColsF32(
  dweight: usize,
  dbias: usize,
  dy: usize,
  x: usize,
  mean: usize,
  rstd: usize,
  rows: i32,
  dim: i32,
  chunk: i32,
  scratch: usize,
): void {
  const c0 = chunk * LN_COLS;
  const w = min(LN_COLS, dim - c0);
  const dwAcc = scratch;
  const dbAcc = scratch + <usize>LN_COLS * 8;
  memory.fill(scratch, 0, <usize>LN_COLS * 16);
  for (let r = 0; r < rows; r++) {
    const o = (<usize>r * dim + c0) * 4;
    const mv = f64x2.splat(<f64>load<f32>(mean + <usize>r * 4));
    const rv = f64x2.splat(<f64>load<f32>(rstd + <usize>r * 4));
    let i = 0;
    for (; i + 4 <= w; i += 4) {
      const xv = v128.load(x + o + <usize>i * 4);
      const d = v128.load(dy + o + <usize>i * 4);
      const a = dwAcc + <usize>i * 8;
      const b = dbAcc + <usize>i * 8;
      v128.store(a, f64x2.add(v128.load(a), f64x2.mul(lo64(d), f64x2.mul(f64x2.sub(lo64(xv), mv), rv))));
      v128.store(a, f64x2.add(v128.load(a, 16), f64x2.mul(hi64(d), f64x2.mul(f64x2.sub(hi64(xv), mv), rv))), 16);
      v128.store(b, f64x2.add(v128.load(b), lo64(d)));
      v128.store(b, f64x2.add(v128.load(b, 16), hi64(d)), 16);
    }
    for (; i < w; i++) {
      const m = f64x2.extract_lane(mv, 0);
      const rs = f64x2.extract_lane(rv, 0);
      const d = <f64>load<f32>(dy + o + <usize>i * 4);
      const xh = (<f64>load<f32>(x + o + <usize>i * 4) - m) * rs;
      store<f64>(dwAcc + <usize>i * 8, load<f64>(dwAcc + <usize>i * 8) + d * xh);
      store<f64>(dbAcc + <usize>i * 8, load<f64>(dbAcc + <usize>i * 8) + d);
    }
  }
  for (let i = 0; i < w; i++) {
    store<f32>(dweight + <usize>(c0 + i) * 4, <f32>load<f64>(dwAcc + <usize>i * 8));
    store<f32>(dbias + <usize>(c0 + i) * 4, <f32>load<f64>(dbAcc + <usize>i * 8));
  }
}
