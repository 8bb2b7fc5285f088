// Shared plumbing of every op: backend agreement checks and recording the autograd node.
import { DTypeError } from '@hippo/kernels';
import type { Backend, Storage } from '../backend/backend.js';
import { isGradEnabled } from '../autograd/scope.js';
import { Tensor } from '../tensor.js';

/** The common backend of the inputs (all live), or a DTypeError naming the op and both backends. */
export function backendOf(fn: string, ...inputs: Tensor[]): Backend {
  const backend = inputs[0].backend;
  for (const t of inputs) {
    t.assertLive(fn);
    if (t.backend !== backend) throw new DTypeError(fn, 'inputs', `all on ${backend.name}`, `one on ${t.backend.name}`);
  }
  return backend;
}

/** Requires a floating-point tensor. */
export function assertFloat(fn: string, param: string, t: Tensor): void {
  if (t.dtype === 'i32') throw new DTypeError(fn, param, 'f32 or f64', 'i32');
}

/** Wraps an op's output storage; records `backward` when grad is enabled and an input requires it. */
export function record(
  storage: Storage,
  shape: readonly number[],
  name: string,
  inputs: Tensor[],
  backward: (grad: Tensor) => (Tensor | null)[],
): Tensor {
  const t = new Tensor(storage, shape);
  if (isGradEnabled() && inputs.some((i) => i.requiresGrad)) {
    t.requiresGrad = true;
    t.gradFn = { name, inputs, backward };
  }
  return t;
}
