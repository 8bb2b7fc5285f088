// Reductions over the middle axis of x viewed as [outer, n, inner] → out [outer, inner] (reduceRef), ops
// 0 sum, 1 mean, 2 max. Sums accumulate in f64 like the reference. With inner > 1 a chunk owns a tile of
// columns and adds rows in the reference's order (bit-identical); with inner = 1 each row is summed in
// eight f64 lanes (the same f64 sum up to reassociation, so the f32 result differs only in rare ties).
import { hmax32, hsum64, hi64, lo64, max4 } from './simd';

const MEAN = 1;
const MAX = 2;
/** Columns per chunk when inner > 1: 1024 f64 accumulators (8 KiB of scratch). */
export const REDUCE_COLS = 1024;

/** Row reductions (inner = 1): out[o] for o in chunk·per .. min(outer, (chunk+1)·per). */
export function reduceRowsF32(op: i32, out: usize, x: usize, outer: i32, n: i32, per: i32, chunk: i32, scratch: usize): void {
  const o1 = min(chunk * per + per, outer);
  for (let o = chunk * per; o < o1; o++) {
    const row = x + <usize>o * n * 4;
    let j = 0;
    let r: f64;
    if (op == MAX) {
      let m = f32x4.splat(-Infinity);
      for (; j + 4 <= n; j += 4) m = max4(m, v128.load(row + <usize>j * 4));
      let s = hmax32(m);
      for (; j < n; j++) {
        const v = load<f32>(row + <usize>j * 4);
        if (v > s) s = v;
      }
      r = s;
    } else {
      let s0 = f64x2.splat(0);
      let s1 = s0;
      let s2 = s0;
      let s3 = s0;
      for (; j + 8 <= n; j += 8) {
        const v = v128.load(row + <usize>j * 4);
        const w = v128.load(row + <usize>j * 4, 16);
        s0 = f64x2.add(s0, lo64(v));
        s1 = f64x2.add(s1, hi64(v));
        s2 = f64x2.add(s2, lo64(w));
        s3 = f64x2.add(s3, hi64(w));
      }
      let s = hsum64(f64x2.add(f64x2.add(s0, s1), f64x2.add(s2, s3)));
      for (; j < n; j++) s += <f64>load<f32>(row + <usize>j * 4);
      r = op == MEAN ? s / <f64>n : s;
    }
    store<f32>(out + <usize>o * 4, <f32>r);
  }
}

/**
 * Column reductions (inner > 1): chunk = (o, tile of REDUCE_COLS columns) in row-major order; rows j = 0..n−1
 * are accumulated in order into f64 (sum, mean) or f32 (max) lanes held in scratch.
 */
export function reduceColsF32(op: i32, out: usize, x: usize, outer: i32, n: i32, inner: i32, chunk: i32, scratch: usize): void {
  const tiles = (inner + REDUCE_COLS - 1) / REDUCE_COLS;
  const o = chunk / tiles;
  const k0 = (chunk - o * tiles) * REDUCE_COLS;
  const w = min(REDUCE_COLS, inner - k0);
  const base = x + (<usize>o * n * inner + k0) * 4;
  const dst = out + (<usize>o * inner + k0) * 4;
  if (op == MAX) {
    for (let k = 0; k < w; k++) store<f32>(scratch + <usize>k * 4, -Infinity);
    for (let j = 0; j < n; j++) {
      const row = base + <usize>j * inner * 4;
      let k = 0;
      for (; k + 4 <= w; k += 4) v128.store(scratch + <usize>k * 4, max4(v128.load(scratch + <usize>k * 4), v128.load(row + <usize>k * 4)));
      for (; k < w; k++) {
        const v = load<f32>(row + <usize>k * 4);
        if (v > load<f32>(scratch + <usize>k * 4)) store<f32>(scratch + <usize>k * 4, v);
      }
    }
    memory.copy(dst, scratch, <usize>w * 4);
    return;
  }
  memory.fill(scratch, 0, <usize>w * 8);
  for (let j = 0; j < n; j++) {
    const row = base + <usize>j * inner * 4;
    let k = 0;
    for (; k + 4 <= w; k += 4) {
      const v = v128.load(row + <usize>k * 4);
      const acc = scratch + <usize>k * 8;
      v128.store(acc, f64x2.add(v128.load(acc), lo64(v)));
      v128.store(acc, f64x2.add(v128.load(acc, 16), hi64(v)), 16);
    }
    for (; k < w; k++) store<f64>(scratch + <usize>k * 8, load<f64>(scratch + <usize>k * 8) + <f64>load<f32>(row + <usize>k * 4));
  }
  const div: f64 = op == MEAN ? <f64>n : 1;
  for (let k = 0; k < w; k++) {
    const s = load<f64>(scratch + <usize>k * 8);
    store<f32>(dst + <usize>k * 4, <f32>(op == MEAN ? s / div : s));
  }
}
