// Softmax cross-entropy over the last axis of logits [rows, vocab] (crossEntropyForwardRef / BackwardRef),
// one chunk = a block of rows. exp in f32 vectors, sums and the loss in f64 (Σ exp ≥ 1, so ln64's range suffices); a target < 0 ignores its row.
import { ln64 } from './simd';
import { expShiftSum, rowMax } from './softmax';

/** losses[r] = max + ln Σ exp(x − max) − x[target] (0 for ignored rows); scratch holds one row of exps. */
export function crossEntropyForwardF32(losses: usize, logits: usize, targets: usize, rows: i32, vocab: i32, per: i32, chunk: i32, scratch: usize): void {
  const r1 = min(chunk * per + per, rows);
  for (let r = chunk * per; r < r1; r++) {
    const t = load<i32>(targets + <usize>r * 4);
    if (t < 0) {
      store<f32>(losses + <usize>r * 4, 0);
      continue;
    }
    const row = logits + <usize>r * vocab * 4;
    const m = rowMax(row, vocab);
    const s = sumExp(row, vocab, m, scratch);
    store<f32>(losses + <usize>r * 4, <f32>(<f64>m + ln64(s) - <f64>load<f32>(row + <usize>t * 4)));
  }
}

/** Σ exp(row − m) in f64, computed a scratch-sized slice at a time (the exps are not kept). */
function sumExp(row: usize, vocab: i32, m: f32, scratch: usize): f64 {
  const slice = 8192; // 32 KiB of the 64 KiB scratch
  let s: f64 = 0;
  for (let j = 0; j < vocab; j += slice) s += expShiftSum(scratch, row + <usize>j * 4, min(slice, vocab - j), m);
  return s;
}

/**
 * dlogits[r] = (softmax(logits[r]) − onehot(target)) · dlosses[r], 0 for ignored rows. The exps are written
 * to dlogits first, then scaled; the target's entry is redone in f64.
 */
export function crossEntropyBackwardF32(
  dlogits: usize,
  logits: usize,
  targets: usize,
  dlosses: usize,
  rows: i32,
  vocab: i32,
  per: i32,
  chunk: i32,
  scratch: usize,
): void {
  const r1 = min(chunk * per + per, rows);
  for (let r = chunk * per; r < r1; r++) {
    const o = <usize>r * vocab * 4;
    const t = load<i32>(targets + <usize>r * 4);
    if (t < 0) {
      memory.fill(dlogits + o, 0, <usize>vocab * 4);
      continue;
    }
    const row = logits + o;
    const out = dlogits + o;
    const s = expShiftSum(out, row, vocab, rowMax(row, vocab));
    const et = <f64>load<f32>(out + <usize>t * 4);
    const g = <f64>load<f32>(dlosses + <usize>r * 4);
    // e·(g/s) with g/s rounded to f32 once: one f32 product per entry (≤ 1 ulp from the reference's (e/s)·g)
    const c = f32x4.splat(<f32>(g / s));
    let j = 0;
    for (; j + 4 <= vocab; j += 4) v128.store(out + <usize>j * 4, f32x4.mul(v128.load(out + <usize>j * 4), c));
    for (; j < vocab; j++) store<f32>(out + <usize>j * 4, load<f32>(out + <usize>j * 4) * f32x4.extract_lane(c, 0));
    // the target's entry again, with the one-hot subtracted before scaling
    store<f32>(out + <usize>t * 4, <f32>((et / s - 1) * g));
  }
}
