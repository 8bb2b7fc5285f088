// The cpu backend: the reference kernels of @hippo/kernels on typed arrays. float32 for training and
// inference, float64 for gradient checks (every kernel is generic over the array type).
import {
  DTypeError,
  adamwRef,
  binaryRef,
  crossEntropyBackwardRef,
  crossEntropyForwardRef,
  embeddingBackwardRef,
  embeddingForwardRef,
  fftConvBackwardRef,
  fftConvForwardRef,
  layerNormBackwardRef,
  layerNormForwardRef,
  matmulRef,
  reduceRef,
  softmaxBackwardRef,
  softmaxForwardRef,
  stridedCopyRef,
  unaryBackwardRef,
  unaryRef,
  type FloatArray,
  type AdamWParams,
  type BinaryOp,
  type BroadcastPlan,
  type CrossEntropyParams,
  type EmbeddingParams,
  type FftConvParams,
  type LayerNormParams,
  type MatmulParams,
  type ReduceOp,
  type ReduceParams,
  type SoftmaxParams,
  type StridedCopyParams,
  type UnaryOp,
  type UnaryParams,
} from '@hippo/kernels';
import { allocArray, dtypeOf, type AnyTypedArray, type DType } from '../dtype.js';
import {
  attentionDecodeRef,
  causalAttentionBackwardRef,
  causalAttentionForwardRef,
  kvCacheWriteRef,
  rotaryBackwardRef,
  rotaryRef,
  type AttentionParams,
  type DecodeParams,
  type KvCacheParams,
  type RotaryParams,
} from '@hippo/kernels';
import {
  diagSsmStateRef,
  diagSsmStepRef,
  shiftSsmStateRef,
  shiftSsmStepRef,
  type DiagSsmParams,
  type DiagSsmStateParams,
  type ShiftSsmParams,
  type ShiftSsmStateParams,
} from '@hippo/kernels';
import {
  s4dKernelBackwardRef,
  s4dKernelRef,
  shiftKernelBackwardRef,
  shiftKernelLength,
  shiftKernelRef,
  type S4dKernelParams,
  type ShiftKernelParams,
} from '@hippo/kernels';
import type { Backend, Storage } from './backend.js';

export class CpuStorage implements Storage {
  readonly dtype: DType;
  constructor(
    readonly backend: CpuBackend,
    readonly data: AnyTypedArray,
  ) {
    this.dtype = dtypeOf(data);
  }
  get size(): number {
    return this.data.length;
  }
}

function f(s: Storage, fn: string): FloatArray {
  const d = (s as CpuStorage).data;
  if (d instanceof Int32Array) throw new DTypeError(fn, 'input', 'f32 or f64', 'i32');
  return d;
}
function ints(s: Storage, fn: string): Int32Array {
  const d = (s as CpuStorage).data;
  if (!(d instanceof Int32Array)) throw new DTypeError(fn, 'ids', 'i32', s.dtype);
  return d;
}

export class CpuBackend implements Backend {
  readonly name = 'cpu' as const;

  describe(): string {
    return 'cpu (TypeScript reference kernels)';
  }

  private out(like: Storage, n: number): CpuStorage {
    return new CpuStorage(this, allocArray(like.dtype, n));
  }
  private wrap(data: AnyTypedArray): CpuStorage {
    return new CpuStorage(this, data);
  }

  fromArray(data: AnyTypedArray): Storage {
    return this.wrap(data.slice());
  }
  full(dtype: DType, size: number, value: number): Storage {
    return this.wrap(allocArray(dtype, size).fill(value));
  }
  async read(s: Storage): Promise<AnyTypedArray> {
    return (s as CpuStorage).data.slice();
  }
  release(): void {
    // garbage-collected
  }
  copy(s: Storage): Storage {
    return this.wrap((s as CpuStorage).data.slice());
  }
  write(s: Storage, data: AnyTypedArray): void {
    (s as CpuStorage).data.set(data);
  }

  binary(op: BinaryOp, a: Storage, b: Storage, plan: BroadcastPlan): Storage {
    const out = this.out(a, plan.size);
    binaryRef(op, out.data as FloatArray, f(a, op), f(b, op), plan);
    return out;
  }
  expand(x: Storage, plan: BroadcastPlan): Storage {
    const out = this.out(x, plan.size);
    const zero = allocArray(x.dtype, 1) as FloatArray;
    binaryRef('add', out.data as FloatArray, f(x, 'expand'), zero, plan);
    return out;
  }
  unary(op: UnaryOp, x: Storage, p: UnaryParams): Storage {
    const out = this.out(x, x.size);
    unaryRef(op, out.data as FloatArray, f(x, op), p);
    return out;
  }
  unaryBackward(op: UnaryOp, x: Storage, y: Storage, dy: Storage, p: UnaryParams): Storage {
    const out = this.out(x, x.size);
    unaryBackwardRef(op, out.data as FloatArray, f(x, op), f(y, op), f(dy, op), p);
    return out;
  }
  reduce(op: ReduceOp, x: Storage, p: ReduceParams): Storage {
    const out = this.out(x, p.outer * p.inner);
    reduceRef(op, out.data as FloatArray, f(x, op), p);
    return out;
  }
  matmul(a: Storage, b: Storage, bias: Storage | null, p: MatmulParams): Storage {
    const out = this.out(a, p.batch * p.M * p.N);
    matmulRef(out.data as FloatArray, f(a, 'matmul'), f(b, 'matmul'), bias ? f(bias, 'matmul') : null, p);
    return out;
  }
  layerNormForward(x: Storage, weight: Storage, bias: Storage, p: LayerNormParams): [Storage, Storage, Storage] {
    const out = this.out(x, x.size);
    const mean = this.out(x, p.rows);
    const rstd = this.out(x, p.rows);
    layerNormForwardRef(out.data as FloatArray, mean.data as FloatArray, rstd.data as FloatArray, f(x, 'layerNorm'), f(weight, 'layerNorm'), f(bias, 'layerNorm'), p);
    return [out, mean, rstd];
  }
  layerNormBackward(
    dy: Storage,
    x: Storage,
    weight: Storage,
    mean: Storage,
    rstd: Storage,
    p: LayerNormParams,
  ): [Storage, Storage, Storage] {
    const dx = this.out(x, x.size);
    const dw = this.out(x, p.dim);
    const db = this.out(x, p.dim);
    layerNormBackwardRef(
      dx.data as FloatArray,
      dw.data as FloatArray,
      db.data as FloatArray,
      f(dy, 'layerNorm'),
      f(x, 'layerNorm'),
      f(weight, 'layerNorm'),
      f(mean, 'layerNorm'),
      f(rstd, 'layerNorm'),
      p,
    );
    return [dx, dw, db];
  }
  softmaxForward(x: Storage, p: SoftmaxParams): Storage {
    const out = this.out(x, x.size);
    softmaxForwardRef(out.data as FloatArray, f(x, 'softmax'), p);
    return out;
  }
  softmaxBackward(y: Storage, dy: Storage, p: SoftmaxParams): Storage {
    const dx = this.out(y, y.size);
    softmaxBackwardRef(dx.data as FloatArray, f(y, 'softmax'), f(dy, 'softmax'), p);
    return dx;
  }
  embeddingForward(weight: Storage, ids: Storage, p: EmbeddingParams): Storage {
    const out = this.out(weight, p.n * p.dim);
    embeddingForwardRef(out.data as FloatArray, f(weight, 'embedding'), ints(ids, 'embedding'), p);
    return out;
  }
  embeddingBackward(dy: Storage, ids: Storage, p: EmbeddingParams): Storage {
    const dw = this.out(dy, p.vocab * p.dim);
    embeddingBackwardRef(dw.data as FloatArray, f(dy, 'embedding'), ints(ids, 'embedding'), p);
    return dw;
  }
  crossEntropyForward(logits: Storage, targets: Storage, p: CrossEntropyParams): Storage {
    const losses = this.out(logits, p.rows);
    crossEntropyForwardRef(losses.data as FloatArray, f(logits, 'crossEntropy'), ints(targets, 'crossEntropy'), p);
    return losses;
  }
  crossEntropyBackward(logits: Storage, targets: Storage, dlosses: Storage, p: CrossEntropyParams): Storage {
    const dl = this.out(logits, logits.size);
    crossEntropyBackwardRef(dl.data as FloatArray, f(logits, 'crossEntropy'), ints(targets, 'crossEntropy'), f(dlosses, 'crossEntropy'), p);
    return dl;
  }
  adamw(param: Storage, grad: Storage, m: Storage, v: Storage, p: AdamWParams): void {
    adamwRef(f(param, 'adamw'), f(grad, 'adamw'), f(m, 'adamw'), f(v, 'adamw'), p);
  }
  fftConvForward(u: Storage, k: Storage, D: Storage, p: FftConvParams): Storage {
    const y = this.out(u, u.size);
    fftConvForwardRef(y.data as FloatArray, f(u, 'fftConv'), f(k, 'fftConv'), f(D, 'fftConv'), p);
    return y;
  }
  fftConvBackward(dy: Storage, u: Storage, k: Storage, D: Storage, p: FftConvParams): [Storage, Storage, Storage] {
    const du = this.out(u, u.size);
    const dk = this.out(k, k.size);
    const dD = this.out(D, D.size);
    fftConvBackwardRef(
      du.data as FloatArray,
      dk.data as FloatArray,
      dD.data as FloatArray,
      f(dy, 'fftConv'),
      f(u, 'fftConv'),
      f(k, 'fftConv'),
      f(D, 'fftConv'),
      p,
    );
    return [du, dk, dD];
  }
  diagSsmState(z: Storage, A: Storage, p: DiagSsmStateParams): Storage {
    const state = this.out(z, p.batch * p.channels * p.modes * 2);
    diagSsmStateRef(state.data as FloatArray, f(z, 'diagSsmState'), f(A, 'diagSsmState'), p);
    return state;
  }
  diagSsmStep(state: Storage, z: Storage, A: Storage, W: Storage, D: Storage, p: DiagSsmParams): Storage {
    const y = this.out(z, p.batch * p.channels);
    const fn = 'diagSsmStep';
    diagSsmStepRef(y.data as FloatArray, f(state, fn), f(z, fn), f(A, fn), f(W, fn), f(D, fn), p);
    return y;
  }
  shiftSsmState(k: Storage, p: ShiftSsmStateParams): Storage {
    const state = this.out(k, p.batch * p.channels * p.stateSize);
    shiftSsmStateRef(state.data as FloatArray, f(k, 'shiftSsmState'), p);
    return state;
  }
  shiftSsmStep(state: Storage, k: Storage, kernel: Storage, D: Storage, p: ShiftSsmParams): Storage {
    const y = this.out(k, p.batch * p.channels);
    const fn = 'shiftSsmStep';
    shiftSsmStepRef(y.data as FloatArray, f(state, fn), f(k, fn), f(kernel, fn), f(D, fn), p);
    return y;
  }
  stridedCopy(dst: Storage, src: Storage, p: StridedCopyParams): void {
    if (dst.dtype !== src.dtype) throw new DTypeError('stridedCopy', 'src', `${dst.dtype} like dst`, src.dtype);
    stridedCopyRef((dst as CpuStorage).data, (src as CpuStorage).data, p);
  }
  causalAttentionForward(q: Storage, k: Storage, v: Storage, p: AttentionParams): [Storage, Storage] {
    const out = this.out(q, q.size);
    const lse = this.out(q, p.batchHeads * p.length);
    const fn = 'causalAttention';
    causalAttentionForwardRef(out.data as FloatArray, lse.data as FloatArray, f(q, fn), f(k, fn), f(v, fn), p);
    return [out, lse];
  }
  causalAttentionBackward(dout: Storage, q: Storage, k: Storage, v: Storage, out: Storage, lse: Storage, p: AttentionParams): [Storage, Storage, Storage] {
    const [dq, dk, dv] = [this.out(q, q.size), this.out(k, k.size), this.out(v, v.size)];
    const fn = 'causalAttention';
    causalAttentionBackwardRef(
      dq.data as FloatArray,
      dk.data as FloatArray,
      dv.data as FloatArray,
      f(dout, fn),
      f(q, fn),
      f(k, fn),
      f(v, fn),
      f(out, fn),
      f(lse, fn),
      p,
    );
    return [dq, dk, dv];
  }
  attentionDecode(q: Storage, kCache: Storage, vCache: Storage, lengths: Storage, p: DecodeParams): Storage {
    const out = this.out(q, q.size);
    const fn = 'attentionDecode';
    attentionDecodeRef(out.data as FloatArray, f(q, fn), f(kCache, fn), f(vCache, fn), ints(lengths, fn), p);
    return out;
  }
  kvCacheWrite(cache: Storage, x: Storage, positions: Storage, p: KvCacheParams): void {
    kvCacheWriteRef(f(cache, 'kvCacheWrite'), f(x, 'kvCacheWrite'), ints(positions, 'kvCacheWrite'), p);
  }
  rotary(x: Storage, p: RotaryParams): Storage {
    const out = this.out(x, x.size);
    rotaryRef(out.data as FloatArray, f(x, 'rotary'), p);
    return out;
  }
  rotaryBackward(dy: Storage, p: RotaryParams): Storage {
    const dx = this.out(dy, dy.size);
    rotaryBackwardRef(dx.data as FloatArray, f(dy, 'rotary'), p);
    return dx;
  }
  s4dKernelForward(logDt: Storage, invAReal: Storage, AImag: Storage, B: Storage, C: Storage, p: S4dKernelParams): Storage {
    const K = this.out(logDt, p.channels * p.length);
    const fn = 's4dKernel';
    s4dKernelRef(K.data as FloatArray, f(logDt, fn), f(invAReal, fn), f(AImag, fn), f(B, fn), f(C, fn), p);
    return K;
  }
  s4dKernelBackward(
    dK: Storage,
    logDt: Storage,
    invAReal: Storage,
    AImag: Storage,
    B: Storage,
    C: Storage,
    p: S4dKernelParams,
  ): [Storage, Storage, Storage, Storage, Storage] {
    const grads = [logDt, invAReal, AImag, B, C].map((s) => this.out(s, s.size)) as [CpuStorage, CpuStorage, CpuStorage, CpuStorage, CpuStorage];
    const fn = 's4dKernel';
    const [a, b, c, d, e] = grads.map((g) => g.data as FloatArray);
    s4dKernelBackwardRef(a, b, c, d, e, f(dK, fn), f(logDt, fn), f(invAReal, fn), f(AImag, fn), f(B, fn), f(C, fn), p);
    return grads;
  }
  shiftKernelForward(B: Storage, C: Storage, p: ShiftKernelParams): Storage {
    const k = this.out(B, p.channels * shiftKernelLength(p));
    shiftKernelRef(k.data as FloatArray, f(B, 'shiftKernel'), f(C, 'shiftKernel'), p);
    return k;
  }
  shiftKernelBackward(dk: Storage, B: Storage, C: Storage, p: ShiftKernelParams): [Storage, Storage] {
    const [dB, dC] = [this.out(B, B.size), this.out(C, C.size)];
    const fn = 'shiftKernel';
    shiftKernelBackwardRef(dB.data as FloatArray, dC.data as FloatArray, f(dk, fn), f(B, fn), f(C, fn), p);
    return [dB, dC];
  }
}
