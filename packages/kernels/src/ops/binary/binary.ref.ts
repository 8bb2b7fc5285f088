// Reference elementwise binary ops with NumPy broadcasting: out[i] = a[ia(i)] ∘ b[ib(i)].
import type { FloatArray } from '../../util/types.js';
import type { BroadcastPlan } from './broadcast.js';

export type BinaryOp = 'add' | 'sub' | 'mul' | 'div';

/** out [plan.size] = a ∘ b, with a and b indexed through the plan's broadcast strides. */
export function binaryRef(op: BinaryOp, out: FloatArray, a: FloatArray, b: FloatArray, plan: BroadcastPlan): void {
  const { dims, aStrides, bStrides, size } = plan;
  const rank = dims.length;
  const idx = new Array<number>(rank).fill(0);
  let ia = 0;
  let ib = 0;
  for (let i = 0; i < size; i++) {
    const x = a[ia];
    const y = b[ib];
    out[i] = op === 'add' ? x + y : op === 'sub' ? x - y : op === 'mul' ? x * y : x / y;
    // odometer increment over the collapsed dims, innermost first
    for (let d = rank - 1; d >= 0; d--) {
      idx[d]++;
      ia += aStrides[d];
      ib += bStrides[d];
      if (idx[d] < dims[d]) break;
      ia -= aStrides[d] * dims[d];
      ib -= bStrides[d] * dims[d];
      idx[d] = 0;
    }
  }
}
