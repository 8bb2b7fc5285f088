// Elementwise binary ops with broadcasting, and scalar forms. Gradients of broadcast inputs are summed back
// to the input's shape.
import { planBroadcast, type BinaryOp } from '@hippo/kernels';
import type { Tensor } from '../tensor.js';
import { assertFloat, backendOf, record } from './record.js';
import { sumToShape } from './shape.js';
import { unaryOp } from './unary.js';

function binaryOp(op: BinaryOp, a: Tensor, b: Tensor, backward: (g: Tensor) => [Tensor, Tensor]): Tensor {
  const backend = backendOf(op, a, b);
  assertFloat(op, 'a', a);
  assertFloat(op, 'b', b);
  const plan = planBroadcast(op, a.shape, b.shape);
  return record(backend.binary(op, a.storage, b.storage, plan), plan.outShape, op, [a, b], (g) => {
    const [ga, gb] = backward(g);
    return [sumToShape(ga, a.shape), sumToShape(gb, b.shape)];
  });
}

/** a + b, broadcast. */
export function add(a: Tensor, b: Tensor): Tensor {
  return binaryOp('add', a, b, (g) => [g, g]);
}

/** a − b, broadcast. */
export function sub(a: Tensor, b: Tensor): Tensor {
  return binaryOp('sub', a, b, (g) => [g, neg(g)]);
}

/** a ⊙ b, broadcast. */
export function mul(a: Tensor, b: Tensor): Tensor {
  return binaryOp('mul', a, b, (g) => [mul(g, b), mul(g, a)]);
}

/** a / b, broadcast. */
export function div(a: Tensor, b: Tensor): Tensor {
  return binaryOp('div', a, b, (g) => {
    const ga = div(g, b);
    return [ga, neg(div(mul(ga, a), b))];
  });
}

/** −x. */
export function neg(x: Tensor): Tensor {
  return unaryOp('neg', x);
}

/** alpha·x. */
export function mulScalar(x: Tensor, alpha: number): Tensor {
  return unaryOp('scale', x, { alpha });
}

/** x + alpha. */
export function addScalar(x: Tensor, alpha: number): Tensor {
  return unaryOp('addScalar', x, { alpha });
}
