// Elementwise unary ops; one backend kernel computes every op's derivative (dx = dy · f'(x)).
import type { UnaryOp, UnaryParams } from '@hippo/kernels';
import { Tensor } from '../tensor.js';
import { assertFloat, backendOf, record } from './record.js';

export function unaryOp(op: UnaryOp, x: Tensor, extra: Omit<UnaryParams, 'n'> = {}): Tensor {
  const backend = backendOf(op, x);
  assertFloat(op, 'x', x);
  const p: UnaryParams = { n: x.size, ...extra };
  const y = backend.unary(op, x.storage, p);
  const out = record(y, x.shape, op, [x], (g) => [
    new Tensor(backend.unaryBackward(op, x.storage, y, g.storage, p), x.shape),
  ]);
  return out;
}

export const exp = (x: Tensor) => unaryOp('exp', x);
export const log = (x: Tensor) => unaryOp('log', x);
export const sqrt = (x: Tensor) => unaryOp('sqrt', x);
export const square = (x: Tensor) => unaryOp('square', x);
export const relu = (x: Tensor) => unaryOp('relu', x);
/** GELU, tanh approximation (GPT-2, H3): 0.5x(1 + tanh(√(2/π)(x + 0.044715x³))). */
export const gelu = (x: Tensor) => unaryOp('gelu', x);
export const tanh = (x: Tensor) => unaryOp('tanh', x);
export const sigmoid = (x: Tensor) => unaryOp('sigmoid', x);

/**
 * Inverted dropout with drop probability p: the mask is a counter hash of (seed, index), identical on every
 * backend, so a seed replays exactly. p = 0 returns x unchanged.
 */
export function dropout(x: Tensor, p: number, seed: number): Tensor {
  if (!(p >= 0 && p < 1)) throw new RangeError(`dropout: p must be in [0, 1); got ${p}`);
  if (p === 0) return x;
  return unaryOp('dropout', x, { alpha: p, seed: seed >>> 0 });
}
