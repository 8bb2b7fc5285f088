// Reference softmax cross-entropy over the last axis, fused so probabilities are never stored for the loss:
// loss = logsumexp(x) − x[t], with the row max subtracted before exp so large logits cannot overflow.
import type { FloatArray } from '../../util/types.js';

export interface CrossEntropyParams {
  rows: number;
  vocab: number;
}

function rowMax(x: FloatArray, base: number, vocab: number): number {
  let m = -Infinity;
  for (let j = 0; j < vocab; j++) if (x[base + j] > m) m = x[base + j];
  return m;
}

/** losses [rows] = logsumexp(logits[r]) − logits[r, targets[r]] for logits [rows, vocab]; a target < 0 gives loss 0. */
export function crossEntropyForwardRef(losses: FloatArray, logits: FloatArray, targets: Int32Array, p: CrossEntropyParams): void {
  const { rows, vocab } = p;
  for (let r = 0; r < rows; r++) {
    const t = targets[r];
    if (t < 0) {
      losses[r] = 0;
      continue;
    }
    const base = r * vocab;
    const m = rowMax(logits, base, vocab);
    let s = 0;
    for (let j = 0; j < vocab; j++) s += Math.exp(logits[base + j] - m);
    losses[r] = m + Math.log(s) - logits[base + t];
  }
}

/** dlogits [rows, vocab] = (softmax(logits[r]) − onehot(targets[r])) · dlosses[r]; rows with a target < 0 get 0. Overwrites dlogits. */
export function crossEntropyBackwardRef(
  dlogits: FloatArray,
  logits: FloatArray,
  targets: Int32Array,
  dlosses: FloatArray,
  p: CrossEntropyParams,
): void {
  const { rows, vocab } = p;
  for (let r = 0; r < rows; r++) {
    const base = r * vocab;
    const t = targets[r];
    if (t < 0) {
      dlogits.fill(0, base, base + vocab);
      continue;
    }
    const m = rowMax(logits, base, vocab);
    // dlogits holds exp(x − m) until the sum is known
    let s = 0;
    for (let j = 0; j < vocab; j++) {
      const e = Math.exp(logits[base + j] - m);
      dlogits[base + j] = e;
      s += e;
    }
    const g = dlosses[r];
    for (let j = 0; j < vocab; j++) dlogits[base + j] = (dlogits[base + j] / s - (j === t ? 1 : 0)) * g;
  }
}
