// The contract between Tensor ops and the two execution paths: `cpu` runs the TypeScript reference kernels
// of @hippo/kernels on typed arrays, `webgpu` runs their WGSL twins on GPU buffers. Every method allocates
// its outputs; inputs are never modified except by `adamw`, which updates in place, and `stridedCopy`, which
// writes into its dst in place, and the SSM steps `diagSsmStep` / `shiftSsmStep`, which update their state in place.
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
  StridedCopyParams,
  UnaryOp,
  UnaryParams,
} from '@hippo/kernels';
import type { AnyTypedArray, DType } from '../dtype.js';
import type { DiagSsmParams, DiagSsmStateParams, ShiftSsmParams, ShiftSsmStateParams } from '@hippo/kernels';
import type { AttentionParams, DecodeParams, KvCacheParams, RotaryParams } from '@hippo/kernels';
import type { S4dKernelParams, ShiftKernelParams } from '@hippo/kernels';

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
  // The SSMs of H3 as RNNs for generation (no gradients). The two steps update their state in place, as adamw does.
  /** The diagonal SSM's state after a prompt: state [B,H,N2,2] = Σ_{j<L} Ā^(L−1−j)·z[…, j] for z [B,H,L], Ā [H,N2,2]. */
  diagSsmState(z: Storage, A: Storage, p: DiagSsmStateParams): Storage;
  /** In place on state [B,H,N2,2] (← Ā ⊙ state + z, z [B,H]); returns y [B,H] = 2·Re Σ_n W_n·state_n + D·z (W [H,N2,2], D [H]). */
  diagSsmStep(state: Storage, z: Storage, A: Storage, W: Storage, D: Storage, p: DiagSsmParams): Storage;
  /** The shift SSM's state after a prompt: state [B,d,N] = the last N inputs of k [B,d,L], newest first, zeros before. */
  shiftSsmState(k: Storage, p: ShiftSsmStateParams): Storage;
  /** In place on state [B,d,N] (shift right, k [B,d] into slot 0); returns y [B,d] = Σ_j kernel[j]·state[j] + D·k (kernel [d,N], D [d]). */
  shiftSsmStep(state: Storage, k: Storage, kernel: Storage, D: Storage, p: ShiftSsmParams): Storage;
  /**
   * In place on dst (as adamw is on its state): copies the strided view `p` of src into the strided view of dst
   * (same dtype, any of f32/i32/f64; offsets and strides in elements); dst elements outside the view keep
   * their values. The layout ops (permute, slice, concat, writeSlice) are built on it.
   */
  stridedCopy(dst: Storage, src: Storage, p: StridedCopyParams): void;
  /** Causal attention of q, k, v [BH, L, hd]: out [BH, L, hd] and the log-sum-exp lse [BH, L] saved for backward. */
  causalAttentionForward(q: Storage, k: Storage, v: Storage, p: AttentionParams): [out: Storage, lse: Storage];
  /** The gradients of Σ dout·out for causalAttentionForward: dq, dk, dv [BH, L, hd]. */
  causalAttentionBackward(dout: Storage, q: Storage, k: Storage, v: Storage, out: Storage, lse: Storage, p: AttentionParams): [dq: Storage, dk: Storage, dv: Storage];
  /** One query per sequence, q [B, heads, hd], over the first lengths[b] (i32 [B]) entries of kCache, vCache [B, heads, maxLength, hd]. */
  attentionDecode(q: Storage, kCache: Storage, vCache: Storage, lengths: Storage, p: DecodeParams): Storage;
  /** In place: cache [B, heads, maxLength, hd] at [b, :, positions[b], :] (positions i32 [B]) = x [B, heads, hd]. */
  kvCacheWrite(cache: Storage, x: Storage, positions: Storage, p: KvCacheParams): void;
  /** Rotary embedding (GPT-NeoX halves) of x [B, L, heads, hd] at positions offset + t. */
  rotary(x: Storage, p: RotaryParams): Storage;
  /** Its gradient: dy [B, L, heads, hd] rotated by −θ. */
  rotaryBackward(dy: Storage, p: RotaryParams): Storage;
  /** The S4D kernel K [H,L] from logDt [H], invAReal [H,N2], AImag [H,N2], B [H,N2,2], C [H,N2,2] (s4dKernelRef). */
  s4dKernelForward(logDt: Storage, invAReal: Storage, AImag: Storage, B: Storage, C: Storage, p: S4dKernelParams): Storage;
  /** The gradients of Σ dK·K for s4dKernelForward, shaped as its five inputs. */
  s4dKernelBackward(
    dK: Storage,
    logDt: Storage,
    invAReal: Storage,
    AImag: Storage,
    B: Storage,
    C: Storage,
    p: S4dKernelParams,
  ): [dLogDt: Storage, dInvAReal: Storage, dAImag: Storage, dB: Storage, dC: Storage];
  /** The shift-SSM kernel k [H, min(N,L)] from B [H,N], C [H,N] (shiftKernelRef). */
  shiftKernelForward(B: Storage, C: Storage, p: ShiftKernelParams): Storage;
  /** The gradients of Σ dk·k for shiftKernelForward: dB, dC [H,N]. */
  shiftKernelBackward(dk: Storage, B: Storage, C: Storage, p: ShiftKernelParams): [dB: Storage, dC: Storage];
}
