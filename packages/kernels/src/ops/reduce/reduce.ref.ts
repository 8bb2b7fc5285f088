// Reference reductions over the middle axis of x viewed as [outer, n, inner] → out [outer, inner].
// Accumulates in float64 (a JS number) for both array types, so float32 sums stay accurate for large n.
import type { FloatArray } from '../../util/types.js';

export type ReduceOp = 'sum' | 'mean' | 'max';

/** x is viewed as [outer, n, inner] and reduced over n; inner = 1 reduces the last axis. */
export interface ReduceParams {
  outer: number;
  n: number;
  inner: number;
}

/** out [outer, inner] = op over j of x[o, j, k]. 'mean' = sum / n; 'max' of n = 0 is −∞. */
export function reduceRef(op: ReduceOp, out: FloatArray, x: FloatArray, p: ReduceParams): void {
  const { outer, n, inner } = p;
  const isMax = op === 'max';
  if (inner === 1) {
    for (let o = 0; o < outer; o++) {
      const base = o * n;
      let acc = isMax ? -Infinity : 0;
      if (isMax) for (let j = 0; j < n; j++) acc = x[base + j] > acc ? x[base + j] : acc;
      else for (let j = 0; j < n; j++) acc += x[base + j];
      out[o] = op === 'mean' ? acc / n : acc;
    }
    return;
  }
  // walk x in memory order, accumulating one [inner] row at a time
  const acc = new Float64Array(inner);
  for (let o = 0; o < outer; o++) {
    acc.fill(isMax ? -Infinity : 0);
    for (let j = 0; j < n; j++) {
      const row = (o * n + j) * inner;
      if (isMax) for (let k = 0; k < inner; k++) acc[k] = x[row + k] > acc[k] ? x[row + k] : acc[k];
      else for (let k = 0; k < inner; k++) acc[k] += x[row + k];
    }
    for (let k = 0; k < inner; k++) out[o * inner + k] = op === 'mean' ? acc[k] / n : acc[k];
  }
}
