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
  type UnaryOp,
  type UnaryParams,
} from '@hippo/kernels';
import { dtypeOf, type AnyTypedArray, type DType } from '../dtype.js';
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
}
