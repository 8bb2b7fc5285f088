// Layout ops: permute / transpose (H3's [B,L,D] ↔ [B,D,L], attention's head split), slice (the last position,
// a window), concat (growing a sequence) and writeSlice (filling a cache in place). Tensors stay contiguous:
// each op copies a strided view of its input into a fresh tensor through the backends' stridedCopy.
import {
  DTypeError,
  STRIDED_COPY_MAX_RANK,
  ShapeError,
  contiguousStrides,
  simplifyStridedCopy,
  type StridedCopyParams,
} from '@hippo/kernels';
import { isGradEnabled } from '../autograd/scope.js';
import type { Storage } from '../backend/backend.js';
import { sizeOf } from '../dtype.js';
import type { Tensor } from '../tensor.js';
import { backendOf, record } from './record.js';

/** `axis` in [−rank, rank) as a dim in [0, rank), or a ShapeError naming fn and param. */
function normAxis(fn: string, param: string, axis: number, x: Tensor): number {
  const r = x.rank;
  if (!Number.isInteger(axis) || axis < -r || axis >= r)
    throw new ShapeError(fn, param, `an integer in [${-r}, ${r}) for a rank-${r} tensor [${x.shape}]`, `${axis}`);
  return axis < 0 ? axis + r : axis;
}

/** Runs one copy on dst after merging dims; a layout that still needs more than 6 dims is refused. */
function copy(fn: string, dst: Storage, src: Tensor, p: StridedCopyParams): void {
  const s = simplifyStridedCopy(p);
  if (s.shape.length > STRIDED_COPY_MAX_RANK)
    throw new ShapeError(fn, 'x', `a layout that merges to at most ${STRIDED_COPY_MAX_RANK} dims`, `[${src.shape}] (${s.shape.length} dims after merging)`);
  src.backend.stridedCopy(dst, src.storage, s);
}

/** The copy that reads x through `srcStrides` (over `shape`) from `srcOffset` into a new contiguous storage. */
function gather(fn: string, x: Tensor, shape: readonly number[], srcOffset: number, srcStrides: number[]): Storage {
  const out = x.backend.full(x.dtype, sizeOf(shape), 0);
  copy(fn, out, x, { shape: [...shape], srcOffset, srcStrides, dstOffset: 0, dstStrides: contiguousStrides(shape) });
  return out;
}

/** A zero tensor's storage of `shape` with each part written at `starts[i]` along `axis` (concat, slice's backward). */
function assemble(fn: string, parts: readonly Tensor[], shape: readonly number[], axis: number, starts: readonly number[]): Storage {
  const out = parts[0].backend.full(parts[0].dtype, sizeOf(shape), 0);
  const ds = contiguousStrides(shape);
  parts.forEach((part, i) => {
    const p = { shape: [...part.shape], srcOffset: 0, srcStrides: contiguousStrides(part.shape), dstOffset: starts[i] * ds[axis], dstStrides: ds };
    copy(fn, out, part, p);
  });
  return out;
}

function permuteAs(fn: string, x: Tensor, perm: readonly number[]): Tensor {
  backendOf(fn, x);
  const r = x.rank;
  const dims = perm.map((d) => (Number.isInteger(d) && d >= -r && d < r ? (d < 0 ? d + r : d) : NaN));
  if (perm.length !== r || new Set(dims).size !== r || dims.some(Number.isNaN))
    throw new ShapeError(fn, 'perm', `a permutation of [${[...x.shape.keys()]}] for x [${x.shape}]`, `[${perm}]`);
  const xs = contiguousStrides(x.shape);
  const shape = dims.map((d) => x.shape[d]);
  const inverse = new Array<number>(r);
  dims.forEach((d, i) => (inverse[d] = i));
  const out = gather(fn, x, shape, 0, dims.map((d) => xs[d]));
  return record(out, shape, fn, [x], (g) => [permuteAs(fn, g, inverse)]);
}

/**
 * Reorders the dims of x: out.shape[i] = x.shape[perm[i]] (negative entries count from the end). The gradient
 * is permuted back by the inverse permutation. Works on every dtype.
 * @example permute(x, [0, 2, 1]); // x [B, L, D] → [B, D, L]
 */
export function permute(x: Tensor, perm: readonly number[]): Tensor {
  return permuteAs('permute', x, perm);
}

/**
 * Swaps two dims of x (negative dims count from the end).
 * @example transpose(x, -1, -2); // x [B, L, D] → [B, D, L]
 */
export function transpose(x: Tensor, dim0: number, dim1: number): Tensor {
  const a = normAxis('transpose', 'dim0', dim0, x);
  const b = normAxis('transpose', 'dim1', dim1, x);
  const perm = [...x.shape.keys()];
  [perm[a], perm[b]] = [b, a];
  return permuteAs('transpose', x, perm);
}

/**
 * Elements start..end−1 of x along `axis`, as a new contiguous tensor (negative axis, start and end count from
 * the end; end defaults to the whole dim). The gradient is the output's gradient placed in zeros of x's shape.
 * @example slice(h, 1, -1); // h [B, L, D] → the last position [B, 1, D]
 */
export function slice(x: Tensor, axis: number, start: number, end?: number): Tensor {
  backendOf('slice', x);
  const a = normAxis('slice', 'axis', axis, x);
  const n = x.shape[a];
  const s = start < 0 ? start + n : start;
  const e = end === undefined ? n : end < 0 ? end + n : end;
  if (!Number.isInteger(s) || !Number.isInteger(e) || s < 0 || s > e || e > n)
    throw new ShapeError('slice', 'start/end', `0 ≤ start ≤ end ≤ ${n} along axis ${a} of x [${x.shape}]`, `start ${start}, end ${end ?? n}`);
  const shape = x.shape.map((d, i) => (i === a ? e - s : d));
  const xs = contiguousStrides(x.shape);
  const from = x.shape;
  const out = gather('slice', x, shape, s * xs[a], xs);
  return record(out, shape, 'slice', [x], (g) => [padSlice(g, from, a, s)]);
}

/** g placed at `start` along `axis` in zeros of `shape`: slice's backward (whose own backward is the slice). */
function padSlice(g: Tensor, shape: readonly number[], axis: number, start: number): Tensor {
  const out = assemble('slice', [g], shape, axis, [start]);
  return record(out, shape, 'padSlice', [g], (gg) => [slice(gg, axis, start, start + g.shape[axis])]);
}

/**
 * Joins tensors along `axis` (negative counts from the end); all other dims must agree. Each input's gradient
 * is its slice of the output's gradient.
 * @example concat([cache, kNew], 1); // [B, L, D] and [B, 1, D] → [B, L + 1, D]
 */
export function concat(xs: readonly Tensor[], axis: number): Tensor {
  if (xs.length === 0) throw new ShapeError('concat', 'xs', 'at least one tensor', '[]');
  backendOf('concat', ...xs);
  const first = xs[0];
  const a = normAxis('concat', 'axis', axis, first);
  const starts: number[] = [];
  let total = 0;
  xs.forEach((x, i) => {
    if (x.dtype !== first.dtype) throw new DTypeError('concat', `xs[${i}]`, `${first.dtype} like xs[0]`, x.dtype);
    if (x.rank !== first.rank || x.shape.some((d, j) => j !== a && d !== first.shape[j])) {
      const want = first.shape.map((d, j) => (j === a ? '*' : d));
      throw new ShapeError('concat', `xs[${i}]`, `[${want}] (xs[0] [${first.shape}] except along axis ${a})`, `[${x.shape}]`);
    }
    starts.push(total);
    total += x.shape[a];
  });
  const shape = first.shape.map((d, j) => (j === a ? total : d));
  const out = assemble('concat', xs, shape, a, starts);
  return record(out, shape, 'concat', [...xs], (g) => xs.map((x, i) => (x.requiresGrad ? slice(g, a, starts[i], starts[i] + x.shape[a]) : null)));
}

/**
 * Writes src into dst along `axis` from `start` (negative counts from the end), in place, and returns dst:
 * the only in-place tensor op, for caches (attention's KV cache, generation buffers). Not differentiable:
 * throws if dst requires grad, or if src requires grad while grad recording is on (wrap the call in
 * noGrad). Every tensor viewing dst's storage (reshapes) sees the write, so never write into a tensor that
 * a recorded graph still needs for its backward.
 * @example noGrad(() => writeSlice(kCache, kNew, 1, t)); // kCache [B, Lmax, D], kNew [B, 1, D]
 */
export function writeSlice(dst: Tensor, src: Tensor, axis: number, start: number): Tensor {
  backendOf('writeSlice', dst, src);
  if (dst.requiresGrad)
    throw new Error(`writeSlice: dst ${dst} requires grad; an in-place write would corrupt its gradient (use concat for a differentiable result)`);
  if (src.requiresGrad && isGradEnabled())
    throw new Error(`writeSlice: src ${src} requires grad while grad recording is on; writeSlice is not differentiable — call it inside noGrad(() => …)`);
  if (src.dtype !== dst.dtype) throw new DTypeError('writeSlice', 'src', `${dst.dtype} like dst`, src.dtype);
  if (src.storage === dst.storage) throw new Error('writeSlice: src and dst share storage (one is a reshape of the other)');
  const a = normAxis('writeSlice', 'axis', axis, dst);
  if (src.rank !== dst.rank || src.shape.some((d, j) => j !== a && d !== dst.shape[j])) {
    const want = dst.shape.map((d, j) => (j === a ? '*' : d));
    throw new ShapeError('writeSlice', 'src', `[${want}] (dst [${dst.shape}] except along axis ${a})`, `[${src.shape}]`);
  }
  const n = dst.shape[a];
  const len = src.shape[a];
  const s = start < 0 ? start + n : start;
  if (!Number.isInteger(s) || s < 0 || s + len > n)
    throw new ShapeError('writeSlice', 'start', `an integer with 0 ≤ start and start + ${len} ≤ ${n} along axis ${a} of dst [${dst.shape}]`, `${start}`);
  const ds = contiguousStrides(dst.shape);
  copy('writeSlice', dst.storage, src, { shape: [...src.shape], srcOffset: 0, srcStrides: contiguousStrides(src.shape), dstOffset: s * ds[a], dstStrides: ds });
  return dst;
}
