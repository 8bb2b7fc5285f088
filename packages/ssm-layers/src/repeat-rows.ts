// Copying recurrent states: repeating a batch's rows for several continuations of one prompt, and owning
// copies of the per-generation constants so that each state can be disposed on its own.
import { Tensor, expand, keep, noGrad, reshape, tidy } from '@hippo/tensor';

/** t [batch·k, ...] → [batch·n·k, ...]: each item's k rows repeated n times in place (item-major). */
export function repeatRows(t: Tensor, batch: number, n: number): Tensor {
  const per = t.size / batch;
  return keep(noGrad(() => tidy(() => reshape(expand(reshape(t, [batch, 1, per]), [batch, n, per]), [t.shape[0] * n, ...t.shape.slice(1)]))));
}

/** A kept copy of t with its own storage. */
export function ownCopy(t: Tensor): Tensor {
  return keep(new Tensor(t.backend.copy(t.storage), t.shape));
}
