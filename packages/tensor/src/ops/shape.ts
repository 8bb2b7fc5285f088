// Shape ops. Tensors are always contiguous, so reshape is a view over the same storage.
import { ShapeError, planBroadcast, type BroadcastPlan } from '@hippo/kernels';
import { sizeOf } from '../dtype.js';
import type { Tensor } from '../tensor.js';
import { backendOf, record } from './record.js';
import { sum } from './reduce.js';

/** A view with a new shape of the same size; one dim may be -1 (inferred). */
export function reshape(x: Tensor, shape: readonly number[]): Tensor {
  backendOf('reshape', x);
  const known = shape.filter((d) => d !== -1);
  const infer = shape.length - known.length;
  if (infer > 1) throw new ShapeError('reshape', 'shape', 'at most one -1', `[${shape}]`);
  const resolved = infer ? shape.map((d) => (d === -1 ? x.size / sizeOf(known) : d)) : [...shape];
  if (sizeOf(resolved) !== x.size || resolved.some((d) => !Number.isInteger(d) || d < 0))
    throw new ShapeError('reshape', 'shape', `${x.size} elements like [${x.shape}]`, `[${shape}]`);
  const from = x.shape;
  return record(x.storage, resolved, 'reshape', [x], (g) => [reshape(g, from)]);
}

/** Plan that broadcasts `from` to `to` (the second operand is a scalar zero with stride 0). */
export function planExpand(fn: string, from: readonly number[], to: readonly number[]): BroadcastPlan {
  const plan = planBroadcast(fn, from, to);
  if (plan.outShape.join() !== [...to].join()) throw new ShapeError(fn, 'target', `broadcastable from [${from}]`, `[${to}]`);
  return { ...plan, bStrides: plan.bStrides.map(() => 0) };
}

/** Broadcasts x to `shape` (NumPy rules), materialising the result. */
export function expand(x: Tensor, shape: readonly number[]): Tensor {
  const backend = backendOf('expand', x);
  if (x.shape.join() === shape.join()) return x;
  const plan = planExpand('expand', x.shape, shape);
  const from = x.shape;
  return record(backend.expand(x.storage, plan), shape, 'expand', [x], (g) => [sumToShape(g, from)]);
}

/** Sums a broadcast gradient back down to `shape` (the inverse of expand). */
export function sumToShape(g: Tensor, shape: readonly number[]): Tensor {
  if (g.shape.join() === shape.join()) return g;
  const rank = g.shape.length;
  const padded = [...new Array<number>(rank - shape.length).fill(1), ...shape];
  let out = g;
  for (let axis = 0; axis < rank; axis++) {
    if (padded[axis] === 1 && out.shape[axis] !== 1) out = sum(out, axis, true);
  }
  return reshape(out, shape);
}
