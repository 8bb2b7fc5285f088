// Fused neural-network ops: layernorm, softmax, embedding lookup and softmax-cross-entropy.
import { DTypeError, ShapeError } from '@hippo/kernels';
import { Tensor } from '../tensor.js';
import { assertFloat, backendOf, record } from './record.js';

/** LayerNorm over the last dim: x [..., D], weight [D], bias [D] (PyTorch semantics: biased variance). */
export function layerNorm(x: Tensor, weight: Tensor, bias: Tensor, eps = 1e-5): Tensor {
  const backend = backendOf('layerNorm', x, weight, bias);
  assertFloat('layerNorm', 'x', x);
  const dim = x.shape[x.rank - 1];
  if (weight.shape.join() !== `${dim}`) throw new ShapeError('layerNorm', 'weight', `[${dim}] to match x [${x.shape}]`, `[${weight.shape}]`);
  if (bias.shape.join() !== `${dim}`) throw new ShapeError('layerNorm', 'bias', `[${dim}] to match x [${x.shape}]`, `[${bias.shape}]`);
  const p = { rows: x.size / dim, dim, eps };
  const [out, mu, rstd] = backend.layerNormForward(x.storage, weight.storage, bias.storage, p);
  const y = record(out, x.shape, 'layerNorm', [x, weight, bias], (g) => {
    const [dx, dw, db] = backend.layerNormBackward(g.storage, x.storage, weight.storage, mu, rstd, p);
    backend.release(mu);
    backend.release(rstd);
    return [new Tensor(dx, x.shape), new Tensor(dw, [dim]), new Tensor(db, [dim])];
  });
  // mean and rstd live until backward consumes them, or go now when nothing was recorded
  if (!y.gradFn) {
    backend.release(mu);
    backend.release(rstd);
  }
  return y;
}

/** Softmax over the last dim. */
export function softmax(x: Tensor): Tensor {
  const backend = backendOf('softmax', x);
  assertFloat('softmax', 'x', x);
  const dim = x.shape[x.rank - 1];
  const p = { rows: x.size / dim, dim };
  const y = backend.softmaxForward(x.storage, p);
  return record(y, x.shape, 'softmax', [x], (g) => [new Tensor(backend.softmaxBackward(y, g.storage, p), x.shape)]);
}

function idsOf(fn: string, backend: Tensor['backend'], ids: Int32Array | Tensor, bound: number): Tensor {
  if (ids instanceof Tensor) {
    if (ids.dtype !== 'i32') throw new DTypeError(fn, 'ids', 'i32', ids.dtype);
    return ids;
  }
  for (let i = 0; i < ids.length; i++) {
    if (!(ids[i] >= -1 && ids[i] < bound))
      throw new RangeError(`${fn}: id ${ids[i]} at position ${i} is outside [0, ${bound})`);
  }
  return Tensor.fromArray(backend, ids, [ids.length]);
}

/**
 * Embedding lookup: weight [V, D] rows at `ids` → [...idsShape, D]. Host ids (Int32Array) are range-checked;
 * `shape` gives their logical shape (default [n]).
 */
export function embedding(weight: Tensor, ids: Int32Array | Tensor, shape?: readonly number[]): Tensor {
  const backend = backendOf('embedding', weight);
  if (weight.rank !== 2) throw new ShapeError('embedding', 'weight', '[vocab, dim]', `[${weight.shape}]`);
  const [vocab, dim] = weight.shape;
  const idT = idsOf('embedding', backend, ids, vocab);
  const idShape = shape ?? (ids instanceof Tensor ? ids.shape : [ids.length]);
  const p = { n: idT.size, dim, vocab };
  const out = backend.embeddingForward(weight.storage, idT.storage, p);
  const ownIds = idT !== ids;
  const y = record(out, [...idShape, dim], 'embedding', [weight], (g) => {
    const dw = new Tensor(backend.embeddingBackward(g.storage, idT.storage, p), [vocab, dim]);
    if (ownIds) idT.dispose();
    return [dw];
  });
  if (ownIds) {
    if (y.gradFn) idT.keep();
    else idT.dispose();
  }
  return y;
}

/**
 * Mean softmax-cross-entropy of logits [..., V] against targets (Int32Array, one per row; −1 = ignore),
 * averaged over the non-ignored rows (PyTorch's ignore_index semantics). Fused: probabilities are never stored.
 */
export function crossEntropy(logits: Tensor, targets: Int32Array): Tensor {
  const backend = backendOf('crossEntropy', logits);
  assertFloat('crossEntropy', 'logits', logits);
  const vocab = logits.shape[logits.rank - 1];
  const rows = logits.size / vocab;
  if (targets.length !== rows)
    throw new ShapeError('crossEntropy', 'targets', `${rows} entries (one per row of logits [${logits.shape}])`, `${targets.length}`);
  let count = 0;
  for (let i = 0; i < rows; i++) {
    if (targets[i] >= 0) count++;
    if (!(targets[i] >= -1 && targets[i] < vocab))
      throw new RangeError(`crossEntropy: target ${targets[i]} at row ${i} is outside [0, ${vocab}) (−1 = ignore)`);
  }
  const tT = Tensor.fromArray(backend, targets, [rows]);
  const p = { rows, vocab };
  const losses = backend.crossEntropyForward(logits.storage, tT.storage, p);
  const scale = 1 / Math.max(count, 1);
  const total = backend.reduce('sum', losses, { outer: 1, n: rows, inner: 1 });
  backend.release(losses);
  const lossStorage = backend.unary('scale', total, { n: 1, alpha: scale });
  backend.release(total);
  const loss = record(lossStorage, [], 'crossEntropy', [logits], (g) => {
    // every counted row's loss has weight g/count
    const spread = backend.expand(g.storage, { outShape: [rows], dims: [rows], aStrides: [0], bStrides: [0], size: rows });
    const dl = backend.unary('scale', spread, { n: rows, alpha: scale });
    backend.release(spread);
    const dlogits = backend.crossEntropyBackward(logits.storage, tT.storage, dl, p);
    backend.release(dl);
    tT.dispose();
    return [new Tensor(dlogits, logits.shape)];
  });
  if (loss.gradFn) tT.keep();
  else tT.dispose();
  return loss;
}
