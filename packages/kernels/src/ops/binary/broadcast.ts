// NumPy broadcasting, planned once per call and shared by the reference and the WGSL kernel.
import { ShapeError } from '../../errors.js';

/** Up to this many dims after collapsing; enough for any shape Hippo uses. */
export const MAX_RANK = 8;

/** Element strides (0 on broadcast dims) of both inputs over the output shape. */
export interface BroadcastPlan {
  /** The logical output shape. */
  outShape: number[];
  /** The output shape after merging dims; the strides below index these. */
  dims: number[];
  aStrides: number[];
  bStrides: number[];
  /** Number of output elements. */
  size: number;
}

/** The broadcast shape of a and b (NumPy rules), or a ShapeError naming both. */
export function broadcastShape(fn: string, a: readonly number[], b: readonly number[]): number[] {
  const rank = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < rank; i++) {
    const da = a[a.length - rank + i] ?? 1;
    const db = b[b.length - rank + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) throw new ShapeError(fn, 'b', `broadcastable with a [${a}]`, `[${b}]`);
    out.push(da === 1 ? db : da);
  }
  return out;
}

/** Plans a broadcast, merging adjacent dims that are contiguous in both inputs (fewer index divisions). */
export function planBroadcast(fn: string, a: readonly number[], b: readonly number[]): BroadcastPlan {
  const outShape = broadcastShape(fn, a, b);
  const rank = outShape.length;
  const stridesFor = (s: readonly number[]) => {
    const st = new Array<number>(rank).fill(0);
    let acc = 1;
    for (let i = rank - 1; i >= 0; i--) {
      const d = s[s.length - rank + i] ?? 1;
      st[i] = d === 1 ? 0 : acc;
      acc *= d;
    }
    return st;
  };
  const as = stridesFor(a);
  const bs = stridesFor(b);
  const shape: number[] = [];
  const sa: number[] = [];
  const sb: number[] = [];
  for (let i = 0; i < rank; i++) {
    if (outShape[i] === 1) continue;
    const last = shape.length - 1;
    // dim i merges into the previous kept dim when each input is either contiguous across both or broadcast in both
    if (last >= 0 && sa[last] === as[i] * outShape[i] && sb[last] === bs[i] * outShape[i]) {
      shape[last] *= outShape[i];
      sa[last] = as[i];
      sb[last] = bs[i];
    } else {
      shape.push(outShape[i]);
      sa.push(as[i]);
      sb.push(bs[i]);
    }
  }
  if (shape.length > MAX_RANK) throw new ShapeError(fn, 'a', `at most ${MAX_RANK} non-mergeable dims`, `[${outShape}]`);
  return { outShape, dims: shape, aStrides: sa, bStrides: sb, size: outShape.reduce((x, y) => x * y, 1) };
}
