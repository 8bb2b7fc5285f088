// Reductions along one axis (or all elements): sum, mean, and max (max has no gradient here).
import { ShapeError, type ReduceOp } from '@hippo/kernels';
import { isGradEnabled } from '../autograd/scope.js';
import type { Tensor } from '../tensor.js';
import { assertFloat, backendOf, record } from './record.js';
import { expand, reshape } from './shape.js';
import { mulScalar } from './elementwise.js';

function reduceOp(op: ReduceOp, x: Tensor, axis: number | undefined, keepDim: boolean): Tensor {
  const backend = backendOf(op, x);
  assertFloat(op, 'x', x);
  let outer = 1;
  let n = x.size;
  let inner = 1;
  let outShape: number[] = [];
  let keptShape: number[] = x.shape.map(() => 1);
  if (axis !== undefined) {
    const ax = axis < 0 ? axis + x.rank : axis;
    if (!(ax >= 0 && ax < x.rank)) throw new ShapeError(op, 'axis', `in [-${x.rank}, ${x.rank})`, `${axis}`);
    outer = x.shape.slice(0, ax).reduce((a, b) => a * b, 1);
    n = x.shape[ax];
    inner = x.shape.slice(ax + 1).reduce((a, b) => a * b, 1);
    keptShape = x.shape.map((d, i) => (i === ax ? 1 : d));
    outShape = keepDim ? keptShape : x.shape.filter((_, i) => i !== ax);
  } else outShape = keepDim ? keptShape : [];
  const out = backend.reduce(op, x.storage, { outer, n, inner });
  if (op === 'max') {
    if (isGradEnabled() && x.requiresGrad) throw new Error('max: not differentiable in Hippo; call it inside noGrad()');
    return record(out, outShape, op, [], () => []);
  }
  return record(out, outShape, op, [x], (g) => {
    const spread = expand(reshape(g, keptShape), x.shape);
    return [op === 'mean' ? mulScalar(spread, 1 / n) : spread];
  });
}

/** Σ over `axis` (all elements when omitted). */
export function sum(x: Tensor, axis?: number, keepDim = false): Tensor {
  return reduceOp('sum', x, axis, keepDim);
}

/** Mean over `axis` (all elements when omitted). */
export function mean(x: Tensor, axis?: number, keepDim = false): Tensor {
  return reduceOp('mean', x, axis, keepDim);
}

/** Max over `axis` (all elements when omitted); not differentiable. */
export function max(x: Tensor, axis?: number, keepDim = false): Tensor {
  return reduceOp('max', x, axis, keepDim);
}
