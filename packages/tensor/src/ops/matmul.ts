// Matrix products: batched matmul with transposed operands, and the fused linear layer y = x Wᵀ + b.
import { ShapeError, type MatmulParams } from '@hippo/kernels';
import type { Tensor } from '../tensor.js';
import { assertFloat, backendOf, record } from './record.js';
import { reshape } from './shape.js';
import { sum } from './reduce.js';

export interface MatmulOptions {
  transA?: boolean;
  transB?: boolean;
}

/**
 * op(a) · op(b) for rank-2 [M,K]·[K,N] or batched rank-3 [B,M,K]·[B,K,N] tensors; `transA`/`transB` read
 * a as [.., K, M] and b as [.., N, K]. Returns [M, N] or [B, M, N].
 */
export function matmul(a: Tensor, b: Tensor, opts: MatmulOptions = {}): Tensor {
  const backend = backendOf('matmul', a, b);
  assertFloat('matmul', 'a', a);
  assertFloat('matmul', 'b', b);
  const transA = opts.transA ?? false;
  const transB = opts.transB ?? false;
  if (a.rank !== b.rank || (a.rank !== 2 && a.rank !== 3))
    throw new ShapeError('matmul', 'b', `rank ${a.rank} (2 or 3, like a)`, `[${b.shape}] with a [${a.shape}]`);
  const batched = a.rank === 3;
  const batch = batched ? a.shape[0] : 1;
  const [ar, ac] = a.shape.slice(-2);
  const [br, bc] = b.shape.slice(-2);
  const [M, K] = transA ? [ac, ar] : [ar, ac];
  const [Kb, N] = transB ? [bc, br] : [br, bc];
  if (K !== Kb || (batched && b.shape[0] !== batch)) {
    const want = transB ? `[${batched ? `${batch}, ` : ''}N, ${K}]` : `[${batched ? `${batch}, ` : ''}${K}, N]`;
    throw new ShapeError('matmul', 'b', `${want} to match a [${a.shape}]${transA ? ' (transA)' : ''}`, `[${b.shape}]`);
  }
  const p: MatmulParams = { batch, M, N, K, transA, transB };
  const outShape = batched ? [batch, M, N] : [M, N];
  return record(backend.matmul(a.storage, b.storage, null, p), outShape, 'matmul', [a, b], (g) => {
    if (!transA && !transB) return [matmul(g, b, { transB: true }), matmul(a, g, { transA: true })];
    if (!transA && transB) return [matmul(g, b), matmul(g, a, { transA: true })];
    if (transA && !transB) return [matmul(b, g, { transB: true }), matmul(a, g)];
    return [matmul(b, g, { transA: true, transB: true }), matmul(g, a, { transA: true, transB: true })];
  });
}

/** y [..., out] = x [..., in] · weightᵀ (weight [out, in], PyTorch layout) + bias [out]. */
export function linear(x: Tensor, weight: Tensor, bias: Tensor | null = null): Tensor {
  const backend = bias ? backendOf('linear', x, weight, bias) : backendOf('linear', x, weight);
  assertFloat('linear', 'x', x);
  const [outF, inF] = weight.shape;
  if (weight.rank !== 2) throw new ShapeError('linear', 'weight', '[out, in]', `[${weight.shape}]`);
  if (x.shape[x.rank - 1] !== inF) throw new ShapeError('linear', 'x', `[..., ${inF}] to match weight [${weight.shape}]`, `[${x.shape}]`);
  if (bias && (bias.rank !== 1 || bias.shape[0] !== outF)) throw new ShapeError('linear', 'bias', `[${outF}]`, `[${bias.shape}]`);
  const rows = x.size / inF;
  const p: MatmulParams = { batch: 1, M: rows, N: outF, K: inF, transA: false, transB: true };
  const outShape = [...x.shape.slice(0, -1), outF];
  const inputs = bias ? [x, weight, bias] : [x, weight];
  return record(backend.matmul(x.storage, weight.storage, bias?.storage ?? null, p), outShape, 'linear', inputs, (g) => {
    const g2 = reshape(g, [rows, outF]);
    const x2 = reshape(x, [rows, inF]);
    const dx = reshape(matmul(g2, weight), x.shape);
    const dw = matmul(g2, x2, { transA: true });
    return bias ? [dx, dw, sum(g2, 0)] : [dx, dw];
  });
}
