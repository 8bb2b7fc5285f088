// The webgpu backend: WGSL kernels of @hippo/kernels on pooled GPU buffers. Ops only record dispatches;
// nothing waits until a tensor is read back.
import {
  DTypeError,
  GpuContext,
  adamw,
  binary,
  crossEntropyBackward,
  crossEntropyForward,
  embeddingBackward,
  embeddingForward,
  fftConvBackward,
  fftConvForward,
  fill,
  layerNormBackward,
  layerNormForward,
  matmul,
  reduce,
  softmaxBackward,
  softmaxForward,
  stridedCopy,
  checkStridedCopy,
  unary,
  unaryBackward,
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
import { dtypeOf, type AnyTypedArray, type DType } from '../dtype.js';
import {
  attentionDecode,
  causalAttentionBackward,
  causalAttentionForward,
  kvCacheWrite,
  rotary,
  rotaryBackward,
  type AttentionParams,
  type DecodeParams,
  type KvCacheParams,
  type RotaryParams,
} from '@hippo/kernels';
import {
  diagSsmState,
  diagSsmStep,
  shiftSsmState,
  shiftSsmStep,
  type DiagSsmParams,
  type DiagSsmStateParams,
  type ShiftSsmParams,
  type ShiftSsmStateParams,
} from '@hippo/kernels';
import {
  s4dKernelBackward,
  s4dKernelForward,
  shiftKernelBackward,
  shiftKernelForward,
  shiftKernelLength,
  type S4dKernelParams,
  type ShiftKernelParams,
} from '@hippo/kernels';
import type { Backend, Storage } from './backend.js';

export class GpuStorage implements Storage {
  released = false;
  constructor(
    readonly backend: WebGpuBackend,
    readonly dtype: DType,
    readonly size: number,
    readonly buffer: GPUBuffer,
  ) {}
}

function buf(s: Storage, fn: string, dtype: DType = 'f32'): GPUBuffer {
  const g = s as GpuStorage;
  if (g.dtype !== dtype) throw new DTypeError(fn, 'input', dtype, g.dtype);
  if (g.released) throw new Error(`${fn}: a tensor was used after dispose()`);
  return g.buffer;
}

export class WebGpuBackend implements Backend {
  readonly name = 'webgpu' as const;
  private zero: GPUBuffer | null = null;
  // storages dropped without dispose() return their buffers to the pool when collected
  private readonly finalizer = new FinalizationRegistry<GPUBuffer>((b) => this.ctx.release(b));

  constructor(readonly ctx: GpuContext) {}

  static async create(): Promise<WebGpuBackend> {
    return new WebGpuBackend(await GpuContext.create());
  }

  describe(): string {
    return `webgpu: ${this.ctx.describe()}`;
  }

  private alloc(dtype: DType, size: number): GpuStorage {
    if (dtype === 'f64') throw new DTypeError('webgpu', 'dtype', 'f32 or i32 (WGSL has no f64)', 'f64');
    const s = new GpuStorage(this, dtype, size, this.ctx.acquire(Math.max(4, size * 4)));
    this.finalizer.register(s, s.buffer, s);
    return s;
  }

  fromArray(data: AnyTypedArray): Storage {
    const s = this.alloc(dtypeOf(data), data.length);
    if (data.length > 0) this.ctx.upload(s.buffer, data);
    return s;
  }
  full(dtype: DType, size: number, value: number): Storage {
    const s = this.alloc(dtype, size);
    if (dtype === 'i32') this.ctx.upload(s.buffer, new Int32Array(size).fill(value));
    else fill(this.ctx, s.buffer, value, size);
    return s;
  }
  async read(s: Storage): Promise<AnyTypedArray> {
    const g = s as GpuStorage;
    if (g.released) throw new Error('read: a tensor was used after dispose()');
    const bytes = await this.ctx.read(g.buffer, g.size * 4);
    return g.dtype === 'i32' ? new Int32Array(bytes) : new Float32Array(bytes);
  }
  release(s: Storage): void {
    const g = s as GpuStorage;
    if (g.released) return;
    g.released = true;
    this.finalizer.unregister(g);
    this.ctx.release(g.buffer);
  }
  copy(s: Storage): Storage {
    const out = this.alloc(s.dtype, s.size);
    if (s.size > 0) this.ctx.copy(buf(s, 'copy', s.dtype), 0, out.buffer, 0, s.size * 4);
    return out;
  }

  write(s: Storage, data: AnyTypedArray): void {
    if (data.length > 0) this.ctx.upload(buf(s, 'write', s.dtype), data);
  }

  binary(op: BinaryOp, a: Storage, b: Storage, plan: BroadcastPlan): Storage {
    const out = this.alloc('f32', plan.size);
    binary(this.ctx, op, out.buffer, buf(a, op), buf(b, op), plan);
    return out;
  }
  expand(x: Storage, plan: BroadcastPlan): Storage {
    if (!this.zero) {
      this.zero = this.ctx.acquire(4);
      this.ctx.upload(this.zero, new Float32Array(1));
    }
    const out = this.alloc('f32', plan.size);
    binary(this.ctx, 'add', out.buffer, buf(x, 'expand'), this.zero, plan);
    return out;
  }
  unary(op: UnaryOp, x: Storage, p: UnaryParams): Storage {
    const out = this.alloc('f32', x.size);
    unary(this.ctx, op, out.buffer, buf(x, op), p);
    return out;
  }
  unaryBackward(op: UnaryOp, x: Storage, y: Storage, dy: Storage, p: UnaryParams): Storage {
    const out = this.alloc('f32', x.size);
    unaryBackward(this.ctx, op, out.buffer, buf(x, op), buf(y, op), buf(dy, op), p);
    return out;
  }
  reduce(op: ReduceOp, x: Storage, p: ReduceParams): Storage {
    const out = this.alloc('f32', p.outer * p.inner);
    reduce(this.ctx, op, out.buffer, buf(x, op), p);
    return out;
  }
  matmul(a: Storage, b: Storage, bias: Storage | null, p: MatmulParams): Storage {
    const out = this.alloc('f32', p.batch * p.M * p.N);
    matmul(this.ctx, out.buffer, buf(a, 'matmul'), buf(b, 'matmul'), bias ? buf(bias, 'matmul') : null, p);
    return out;
  }
  layerNormForward(x: Storage, weight: Storage, bias: Storage, p: LayerNormParams): [Storage, Storage, Storage] {
    const out = this.alloc('f32', x.size);
    const mean = this.alloc('f32', p.rows);
    const rstd = this.alloc('f32', p.rows);
    layerNormForward(this.ctx, out.buffer, mean.buffer, rstd.buffer, buf(x, 'layerNorm'), buf(weight, 'layerNorm'), buf(bias, 'layerNorm'), p);
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
    const dx = this.alloc('f32', x.size);
    const dw = this.alloc('f32', p.dim);
    const db = this.alloc('f32', p.dim);
    layerNormBackward(
      this.ctx,
      dx.buffer,
      dw.buffer,
      db.buffer,
      buf(dy, 'layerNorm'),
      buf(x, 'layerNorm'),
      buf(weight, 'layerNorm'),
      buf(mean, 'layerNorm'),
      buf(rstd, 'layerNorm'),
      p,
    );
    return [dx, dw, db];
  }
  softmaxForward(x: Storage, p: SoftmaxParams): Storage {
    const out = this.alloc('f32', x.size);
    softmaxForward(this.ctx, out.buffer, buf(x, 'softmax'), p);
    return out;
  }
  softmaxBackward(y: Storage, dy: Storage, p: SoftmaxParams): Storage {
    const dx = this.alloc('f32', y.size);
    softmaxBackward(this.ctx, dx.buffer, buf(y, 'softmax'), buf(dy, 'softmax'), p);
    return dx;
  }
  embeddingForward(weight: Storage, ids: Storage, p: EmbeddingParams): Storage {
    const out = this.alloc('f32', p.n * p.dim);
    embeddingForward(this.ctx, out.buffer, buf(weight, 'embedding'), buf(ids, 'embedding', 'i32'), p);
    return out;
  }
  embeddingBackward(dy: Storage, ids: Storage, p: EmbeddingParams): Storage {
    const dw = this.alloc('f32', p.vocab * p.dim);
    embeddingBackward(this.ctx, dw.buffer, buf(dy, 'embedding'), buf(ids, 'embedding', 'i32'), p);
    return dw;
  }
  crossEntropyForward(logits: Storage, targets: Storage, p: CrossEntropyParams): Storage {
    const losses = this.alloc('f32', p.rows);
    crossEntropyForward(this.ctx, losses.buffer, buf(logits, 'crossEntropy'), buf(targets, 'crossEntropy', 'i32'), p);
    return losses;
  }
  crossEntropyBackward(logits: Storage, targets: Storage, dlosses: Storage, p: CrossEntropyParams): Storage {
    const dl = this.alloc('f32', logits.size);
    crossEntropyBackward(
      this.ctx,
      dl.buffer,
      buf(logits, 'crossEntropy'),
      buf(targets, 'crossEntropy', 'i32'),
      buf(dlosses, 'crossEntropy'),
      p,
    );
    return dl;
  }
  adamw(param: Storage, grad: Storage, m: Storage, v: Storage, p: AdamWParams): void {
    adamw(this.ctx, buf(param, 'adamw'), buf(grad, 'adamw'), buf(m, 'adamw'), buf(v, 'adamw'), p);
  }
  fftConvForward(u: Storage, k: Storage, D: Storage, p: FftConvParams): Storage {
    const y = this.alloc('f32', u.size);
    fftConvForward(this.ctx, y.buffer, buf(u, 'fftConv'), buf(k, 'fftConv'), buf(D, 'fftConv'), p);
    return y;
  }
  fftConvBackward(dy: Storage, u: Storage, k: Storage, D: Storage, p: FftConvParams): [Storage, Storage, Storage] {
    const du = this.alloc('f32', u.size);
    const dk = this.alloc('f32', k.size);
    const dD = this.alloc('f32', D.size);
    fftConvBackward(
      this.ctx,
      du.buffer,
      dk.buffer,
      dD.buffer,
      buf(dy, 'fftConv'),
      buf(u, 'fftConv'),
      buf(k, 'fftConv'),
      buf(D, 'fftConv'),
      p,
    );
    return [du, dk, dD];
  }
  diagSsmState(z: Storage, A: Storage, p: DiagSsmStateParams): Storage {
    const state = this.alloc('f32', p.batch * p.channels * p.modes * 2);
    diagSsmState(this.ctx, state.buffer, buf(z, 'diagSsmState'), buf(A, 'diagSsmState'), p);
    return state;
  }
  diagSsmStep(state: Storage, z: Storage, A: Storage, W: Storage, D: Storage, p: DiagSsmParams): Storage {
    const y = this.alloc('f32', p.batch * p.channels);
    const fn = 'diagSsmStep';
    diagSsmStep(this.ctx, y.buffer, buf(state, fn), buf(z, fn), buf(A, fn), buf(W, fn), buf(D, fn), p);
    return y;
  }
  shiftSsmState(k: Storage, p: ShiftSsmStateParams): Storage {
    const state = this.alloc('f32', p.batch * p.channels * p.stateSize);
    shiftSsmState(this.ctx, state.buffer, buf(k, 'shiftSsmState'), p);
    return state;
  }
  shiftSsmStep(state: Storage, k: Storage, kernel: Storage, D: Storage, p: ShiftSsmParams): Storage {
    const y = this.alloc('f32', p.batch * p.channels);
    const fn = 'shiftSsmStep';
    shiftSsmStep(this.ctx, y.buffer, buf(state, fn), buf(k, fn), buf(kernel, fn), buf(D, fn), p);
    return y;
  }
  stridedCopy(dst: Storage, src: Storage, p: StridedCopyParams): void {
    // checked against the storages' sizes: pooled buffers are larger than the tensors they hold
    checkStridedCopy('stridedCopy', p, dst.size, src.size);
    stridedCopy(this.ctx, buf(dst, 'stridedCopy', dst.dtype), buf(src, 'stridedCopy', dst.dtype), p);
  }
  causalAttentionForward(q: Storage, k: Storage, v: Storage, p: AttentionParams): [Storage, Storage] {
    const [out, lse] = [this.alloc('f32', q.size), this.alloc('f32', p.batchHeads * p.length)];
    const fn = 'causalAttention';
    causalAttentionForward(this.ctx, out.buffer, lse.buffer, buf(q, fn), buf(k, fn), buf(v, fn), p);
    return [out, lse];
  }
  causalAttentionBackward(dout: Storage, q: Storage, k: Storage, v: Storage, out: Storage, lse: Storage, p: AttentionParams): [Storage, Storage, Storage] {
    const [dq, dk, dv] = [this.alloc('f32', q.size), this.alloc('f32', k.size), this.alloc('f32', v.size)];
    const fn = 'causalAttention';
    causalAttentionBackward(this.ctx, dq.buffer, dk.buffer, dv.buffer, buf(dout, fn), buf(q, fn), buf(k, fn), buf(v, fn), buf(out, fn), buf(lse, fn), p);
    return [dq, dk, dv];
  }
  attentionDecode(q: Storage, kCache: Storage, vCache: Storage, lengths: Storage, p: DecodeParams): Storage {
    const out = this.alloc('f32', q.size);
    const fn = 'attentionDecode';
    attentionDecode(this.ctx, out.buffer, buf(q, fn), buf(kCache, fn), buf(vCache, fn), buf(lengths, fn, 'i32'), p);
    return out;
  }
  kvCacheWrite(cache: Storage, x: Storage, positions: Storage, p: KvCacheParams): void {
    const fn = 'kvCacheWrite';
    kvCacheWrite(this.ctx, buf(cache, fn), buf(x, fn), buf(positions, fn, 'i32'), p);
  }
  rotary(x: Storage, p: RotaryParams): Storage {
    const out = this.alloc('f32', x.size);
    rotary(this.ctx, out.buffer, buf(x, 'rotary'), p);
    return out;
  }
  rotaryBackward(dy: Storage, p: RotaryParams): Storage {
    const dx = this.alloc('f32', dy.size);
    rotaryBackward(this.ctx, dx.buffer, buf(dy, 'rotary'), p);
    return dx;
  }
  s4dKernelForward(logDt: Storage, invAReal: Storage, AImag: Storage, B: Storage, C: Storage, p: S4dKernelParams): Storage {
    const K = this.alloc('f32', p.channels * p.length);
    const fn = 's4dKernel';
    s4dKernelForward(this.ctx, K.buffer, buf(logDt, fn), buf(invAReal, fn), buf(AImag, fn), buf(B, fn), buf(C, fn), p);
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
    const fn = 's4dKernel';
    const [a, b, c, d, e] = [logDt, invAReal, AImag, B, C].map((s) => this.alloc('f32', s.size));
    s4dKernelBackward(this.ctx, a.buffer, b.buffer, c.buffer, d.buffer, e.buffer, buf(dK, fn), buf(logDt, fn), buf(invAReal, fn), buf(AImag, fn), buf(B, fn), buf(C, fn), p);
    return [a, b, c, d, e];
  }
  shiftKernelForward(B: Storage, C: Storage, p: ShiftKernelParams): Storage {
    const k = this.alloc('f32', p.channels * shiftKernelLength(p));
    shiftKernelForward(this.ctx, k.buffer, buf(B, 'shiftKernel'), buf(C, 'shiftKernel'), p);
    return k;
  }
  shiftKernelBackward(dk: Storage, B: Storage, C: Storage, p: ShiftKernelParams): [Storage, Storage] {
    const [dB, dC] = [this.alloc('f32', B.size), this.alloc('f32', C.size)];
    const fn = 'shiftKernel';
    shiftKernelBackward(this.ctx, dB.buffer, dC.buffer, buf(dk, fn), buf(B, fn), buf(C, fn), p);
    return [dB, dC];
  }
}
