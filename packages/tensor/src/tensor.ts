// Tensor: a shape and dtype over reference-counted storage on one backend, with an autograd node.
import { ShapeError } from '@hippo/kernels';
import { backward as runBackward } from './autograd/backward.js';
import { keep, track, type Disposable } from './autograd/scope.js';
import type { Backend, Storage } from './backend/backend.js';
import { sizeOf, type AnyTypedArray, type DType } from './dtype.js';
import * as ew from './ops/elementwise.js';
import { matmul, type MatmulOptions } from './ops/matmul.js';
import * as layout from './ops/layout.js';
import * as red from './ops/reduce.js';
import { reshape } from './ops/shape.js';
import * as un from './ops/unary.js';

/** One recorded operation: its inputs and how to turn the output's gradient into theirs. */
export interface GradNode {
  readonly name: string;
  readonly inputs: readonly Tensor[];
  /** Gradients w.r.t. each input (null where an input needs none). */
  backward(grad: Tensor): (Tensor | null)[];
}

const refs = new WeakMap<Storage, number>();

export interface TensorOptions {
  requiresGrad?: boolean;
}

export class Tensor implements Disposable {
  readonly shape: readonly number[];
  readonly size: number;
  requiresGrad: boolean;
  /** Accumulated gradient of a leaf tensor after backward(). */
  grad: Tensor | null = null;
  /** The operation that produced this tensor (null for leaves and after backward released the graph). */
  gradFn: GradNode | null = null;
  kept = false;
  private disposed = false;

  constructor(
    readonly storage: Storage,
    shape: readonly number[],
    opts: TensorOptions = {},
  ) {
    this.shape = Object.freeze([...shape]);
    this.size = sizeOf(shape);
    if (this.size !== storage.size) throw new ShapeError('Tensor', 'storage', `${this.size} elements for [${shape}]`, `${storage.size} elements`);
    this.requiresGrad = opts.requiresGrad ?? false;
    refs.set(storage, (refs.get(storage) ?? 0) + 1);
    track(this);
  }

  get backend(): Backend {
    return this.storage.backend;
  }
  get dtype(): DType {
    return this.storage.dtype;
  }
  get rank(): number {
    return this.shape.length;
  }
  get isDisposed(): boolean {
    return this.disposed;
  }

  /** Copies data (float32, float64 or int32 by its array type) into a new tensor on `backend`. */
  static fromArray(backend: Backend, data: AnyTypedArray | number[], shape: readonly number[], opts: TensorOptions = {}): Tensor {
    const arr = Array.isArray(data) ? Float32Array.from(data) : data;
    if (arr.length !== sizeOf(shape)) throw new ShapeError('Tensor.fromArray', 'data', `${sizeOf(shape)} elements for [${shape}]`, `${arr.length}`);
    return new Tensor(backend.fromArray(arr), shape, opts);
  }

  static full(backend: Backend, shape: readonly number[], value: number, dtype: DType = 'f32', opts: TensorOptions = {}): Tensor {
    return new Tensor(backend.full(dtype, sizeOf(shape), value), shape, opts);
  }

  static zeros(backend: Backend, shape: readonly number[], dtype: DType = 'f32', opts: TensorOptions = {}): Tensor {
    return Tensor.full(backend, shape, 0, dtype, opts);
  }

  /** Reads the values back (waits for pending GPU work). */
  async toArray(): Promise<AnyTypedArray> {
    this.assertLive('toArray');
    return this.backend.read(this.storage);
  }

  /** The single value of a one-element tensor. */
  async item(): Promise<number> {
    if (this.size !== 1) throw new ShapeError('item', 'tensor', '1 element', `[${this.shape}]`);
    return (await this.toArray())[0];
  }

  /** A tensor on another backend with the same values (not recorded by autograd). */
  async to(backend: Backend): Promise<Tensor> {
    if (backend === this.backend) return this;
    return new Tensor(backend.fromArray(await this.toArray()), this.shape);
  }

  /** Overwrites the values in place (same size; converted to this tensor's dtype). Not recorded by autograd. */
  assign(data: AnyTypedArray | number[]): this {
    this.assertLive('assign');
    if (data.length !== this.size) throw new ShapeError('assign', 'data', `${this.size} elements for [${this.shape}]`, `${data.length}`);
    const arr = this.dtype === 'f64' ? Float64Array.from(data) : this.dtype === 'i32' ? Int32Array.from(data) : Float32Array.from(data);
    this.backend.write(this.storage, arr);
    return this;
  }

  /** Back-propagates from this tensor; `grad` defaults to 1 for one-element tensors. */
  backward(grad?: Tensor): void {
    runBackward(this, grad);
  }

  /** Frees the storage once no other tensor views it. Using a disposed tensor is an error. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.gradFn = null;
    const n = (refs.get(this.storage) ?? 1) - 1;
    refs.set(this.storage, n);
    if (n === 0) this.backend.release(this.storage);
  }

  /** Keeps this tensor alive across tidy() scopes. */
  keep(): this {
    return keep(this);
  }

  assertLive(fn: string): void {
    if (this.disposed) throw new Error(`${fn}: tensor [${this.shape}] was used after dispose()`);
  }

  // ---- ops as methods (see ops/*.ts for the shapes and gradients) ----
  add(b: Tensor): Tensor {
    return ew.add(this, b);
  }
  sub(b: Tensor): Tensor {
    return ew.sub(this, b);
  }
  mul(b: Tensor): Tensor {
    return ew.mul(this, b);
  }
  div(b: Tensor): Tensor {
    return ew.div(this, b);
  }
  neg(): Tensor {
    return ew.neg(this);
  }
  mulScalar(alpha: number): Tensor {
    return ew.mulScalar(this, alpha);
  }
  addScalar(alpha: number): Tensor {
    return ew.addScalar(this, alpha);
  }
  exp(): Tensor {
    return un.exp(this);
  }
  log(): Tensor {
    return un.log(this);
  }
  sqrt(): Tensor {
    return un.sqrt(this);
  }
  square(): Tensor {
    return un.square(this);
  }
  relu(): Tensor {
    return un.relu(this);
  }
  gelu(): Tensor {
    return un.gelu(this);
  }
  tanh(): Tensor {
    return un.tanh(this);
  }
  sigmoid(): Tensor {
    return un.sigmoid(this);
  }
  sum(axis?: number, keepDim = false): Tensor {
    return red.sum(this, axis, keepDim);
  }
  mean(axis?: number, keepDim = false): Tensor {
    return red.mean(this, axis, keepDim);
  }
  max(axis?: number, keepDim = false): Tensor {
    return red.max(this, axis, keepDim);
  }
  matmul(b: Tensor, opts?: MatmulOptions): Tensor {
    return matmul(this, b, opts);
  }
  reshape(shape: readonly number[]): Tensor {
    return reshape(this, shape);
  }
  permute(perm: readonly number[]): Tensor {
    return layout.permute(this, perm);
  }
  transpose(dim0: number, dim1: number): Tensor {
    return layout.transpose(this, dim0, dim1);
  }
  slice(axis: number, start: number, end?: number): Tensor {
    return layout.slice(this, axis, start, end);
  }

  toString(): string {
    return `Tensor([${this.shape}], ${this.dtype}, ${this.backend.name}${this.requiresGrad ? ', requiresGrad' : ''})`;
  }
}
