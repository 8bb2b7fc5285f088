// The contract between Tensor ops and the two execution paths: `cpu` runs the TypeScript reference kernels
// of @hippo/kernels on typed arrays, `webgpu` runs their WGSL twins on GPU buffers. Every method allocates
// its outputs; inputs are never modified except by `adamw`, which updates in place.
import type {
  AdamWParams,
  BinaryOp,
  BroadcastPlan,
  CrossEntropyParams,
  EmbeddingParams,
  FftConvParams,
  LayerNormParams,
  MatmulParams,
  ReduceOp,
  ReduceParams,
  SoftmaxParams,
  UnaryOp,
  UnaryParams,
} from '@hippo/kernels';
import type { AnyTypedArray, DType } from '../dtype.js';

export type BackendName = 'cpu' | 'webgpu';

/** Memory owned by one backend, shared by the tensors viewing it (reference-counted). */
export interface Storage {
  readonly backend: Backend;
  readonly dtype: DType;
  /** Number of elements. */
  readonly size: number;
}

export interface Backend {
  readonly name: BackendName;
  /** One line naming the device, e.g. the WebGPU adapter. */
  describe(): string;
  fromArray(data: AnyTypedArray): Storage;
  /** A storage filled with `value`. */
  full(dtype: DType, size: number, value: number): Storage;
  read(s: Storage): Promise<AnyTypedArray>;
  release(s: Storage): void;
  copy(s: Storage): Storage;
  /** Overwrites the storage's contents in place (same size and dtype). */
  write(s: Storage, data: AnyTypedArray): void;

  binary(op: BinaryOp, a: Storage, b: Storage, plan: BroadcastPlan): Storage;
  /** Broadcasts x to `plan.outShape` (plan built by planExpand). */
  expand(x: Storage, plan: BroadcastPlan): Storage;
  unary(op: UnaryOp, x: Storage, p: UnaryParams): Storage;
  unaryBackward(op: UnaryOp, x: Storage, y: Storage, dy: Storage, p: UnaryParams): Storage;
  reduce(op: ReduceOp, x: Storage, p: ReduceParams): Storage;
  matmul(a: Storage, b: Storage, bias: Storage | null, p: MatmulParams): Storage;
  layerNormForward(x: Storage, weight: Storage, bias: Storage, p: LayerNormParams): [out: Storage, mean: Storage, rstd: Storage];
  layerNormBackward(
    dy: Storage,
    x: Storage,
    weight: Storage,
    mean: Storage,
    rstd: Storage,
    p: LayerNormParams,
  ): [dx: Storage, dweight: Storage, dbias: Storage];
  softmaxForward(x: Storage, p: SoftmaxParams): Storage;
  softmaxBackward(y: Storage, dy: Storage, p: SoftmaxParams): Storage;
  embeddingForward(weight: Storage, ids: Storage, p: EmbeddingParams): Storage;
  embeddingBackward(dy: Storage, ids: Storage, p: EmbeddingParams): Storage;
  crossEntropyForward(logits: Storage, targets: Storage, p: CrossEntropyParams): Storage;
  crossEntropyBackward(logits: Storage, targets: Storage, dlosses: Storage, p: CrossEntropyParams): Storage;
  /** In place on param, m and v. */
  adamw(param: Storage, grad: Storage, m: Storage, v: Storage, p: AdamWParams): void;
  /** y [B,H,L] = causal_conv(u [B,H,L], k [H,Lk]) + D [H]·u, by FFT (FlashConv). */
  fftConvForward(u: Storage, k: Storage, D: Storage, p: FftConvParams): Storage;
  /** The gradients of Σ dy·y for fftConvForward: du [B,H,L], dk [H,Lk], dD [H]. */
  fftConvBackward(dy: Storage, u: Storage, k: Storage, D: Storage, p: FftConvParams): [du: Storage, dk: Storage, dD: Storage];
}
