// The cpu backend on WebAssembly: float32 and int32 storages are views into the shared memory of a
// WasmRuntime, and the ops run its SIMD kernels in place, split over its worker threads. float64 storages
// (gradient checks) live on the JS heap and run the TypeScript reference kernels, exactly as CpuBackend does;
// so do the ops without a WebAssembly kernel yet (said once) on views of the memory.
import {
  DTypeError,
  WasmRuntime,
  adamwWasm,
  binaryWasm,
  crossEntropyBackwardWasm,
  crossEntropyForwardWasm,
  embeddingBackwardWasm,
  embeddingForwardWasm,
  fftConvBackwardWasm,
  fftConvForwardWasm,
  layerNormBackwardWasm,
  layerNormForwardWasm,
  matmulWasm,
  reduceWasm,
  softmaxBackwardWasm,
  softmaxForwardWasm,
  stridedCopyRef,
  stridedCopyWasm,
  unaryBackwardWasm,
  unaryWasm,
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
  attentionDecodeWasm,
  causalAttentionBackwardWasm,
  causalAttentionForwardWasm,
  kvCacheWriteRef,
  rotaryBackwardRef,
  rotaryRef,
  type AttentionParams,
  type DecodeParams,
  type KvCacheParams,
  type RotaryParams,
} from '@hippo/kernels';
import {
  diagSsmStateWasm,
  diagSsmStepWasm,
  shiftSsmStateWasm,
  shiftSsmStepWasm,
  type DiagSsmParams,
  type DiagSsmStateParams,
  type ShiftSsmParams,
  type ShiftSsmStateParams,
} from '@hippo/kernels';
import {
  S4D_WASM_MAX_MODES,
  s4dKernelBackwardRef,
  s4dKernelBackwardWasm,
  s4dKernelRef,
  s4dKernelWasm,
  shiftKernelBackwardWasm,
  shiftKernelLength,
  shiftKernelWasm,
  type S4dKernelParams,
  type ShiftKernelParams,
} from '@hippo/kernels';
import type { Backend, Storage } from './backend.js';
import { CpuBackend, CpuStorage } from './cpu.js';

/** A float32 or int32 storage: a view into the runtime's WebAssembly memory. */
export class WasmStorage implements Storage {
  released = false;
  constructor(
    readonly backend: WasmBackend,
    readonly dtype: 'f32' | 'i32',
    readonly data: Float32Array | Int32Array,
  ) {}
  get size(): number {
    return this.data.length;
  }
}

/** A float64 storage on the JS heap (gradient checks), computed by the reference kernels. */
export class HostStorage implements Storage {
  readonly dtype = 'f64' as const;
  constructor(
    readonly backend: WasmBackend,
    readonly data: Float64Array,
  ) {}
  get size(): number {
    return this.data.length;
  }
}

type AnyStorage = WasmStorage | HostStorage;

/** The float32 data of a storage for a WebAssembly kernel. */
function f32(s: Storage, fn: string): Float32Array {
  const w = s as WasmStorage;
  if (w.released) throw new Error(`${fn}: a tensor was used after dispose()`);
  if (w.dtype !== 'f32') throw new DTypeError(fn, 'input', 'f32', s.dtype);
  return w.data as Float32Array;
}
function i32(s: Storage, fn: string): Int32Array {
  const w = s as WasmStorage;
  if (w.released) throw new Error(`${fn}: a tensor was used after dispose()`);
  if (w.dtype !== 'i32') throw new DTypeError(fn, 'ids', 'i32', s.dtype);
  return w.data as Int32Array;
}
/** Whether every given storage is float32 (else the op runs on the reference kernels, e.g. for float64). */
function allF32(...xs: (Storage | null)[]): boolean {
  return xs.every((s) => s === null || s.dtype === 'f32');
}

/**
 * Whether the S4D kernel's WebAssembly version takes p: its scratch holds ≤ S4D_WASM_MAX_MODES modes (else the
 * reference, said once); an empty kernel (L = 0, no work) stays on the reference.
 */
function s4dOnWasm(p: S4dKernelParams): boolean {
  if (p.length === 0) return false;
  if (p.modes <= S4D_WASM_MAX_MODES) return true;
  announceReference(`s4dKernel with more than ${S4D_WASM_MAX_MODES} modes`);
  return false;
}

const announced = new Set<string>();
/** Says once per op that a float32 op runs the TypeScript reference on this backend. */
function announceReference(op: string): void {
  if (announced.has(op)) return;
  announced.add(op);
  console.error(`hippo: cpu backend: ${op} has no WebAssembly kernel yet; it runs the TypeScript reference on WebAssembly memory`);
}

/**
 * The `cpu` backend on WebAssembly SIMD with worker threads (see @hippo/kernels' WasmRuntime).
 * @example
 * const cpu = WasmBackend.create();                     // or cpuBackend(), which falls back to CpuBackend
 * const x = Tensor.fromArray(cpu, new Float32Array(6).fill(1), [2, 3]);
 * console.log(cpu.describe());                          // "cpu: WebAssembly SIMD, 2 threads"
 */
export class WasmBackend implements Backend {
  readonly name = 'cpu' as const;
  /** The TypeScript reference backend that float64 storages run on. */
  readonly reference = new CpuBackend();
  private zero: Float32Array | null = null;
  // storages dropped without dispose() return their blocks to the allocator when collected
  private readonly finalizer = new FinalizationRegistry<Float32Array | Int32Array>((v) => this.rt.free(v));

  constructor(readonly rt: WasmRuntime) {}

  /** A backend on the process-wide runtime (HIPPO_THREADS threads). Throws WasmUnavailableError where WebAssembly SIMD or threads are missing. */
  static create(): WasmBackend {
    return new WasmBackend(WasmRuntime.shared());
  }

  describe(): string {
    return `cpu: WebAssembly SIMD, ${this.rt.threads} thread${this.rt.threads === 1 ? '' : 's'}`;
  }

  private alloc(dtype: DType, n: number): AnyStorage {
    if (dtype === 'f64') return new HostStorage(this, new Float64Array(n));
    const data = dtype === 'i32' ? this.rt.allocI32(n) : this.rt.allocF32(n);
    const s = new WasmStorage(this, dtype, data);
    this.finalizer.register(s, data, s);
    return s;
  }
  private allocF32(n: number): WasmStorage & { data: Float32Array } {
    return this.alloc('f32', n) as WasmStorage & { data: Float32Array };
  }

  /** Runs `method` of the reference backend on views of these storages (float64); its outputs become storages here. */
  private viaReference(method: keyof Backend, args: unknown[]): unknown {
    const toRef = (a: unknown) => (a instanceof WasmStorage || a instanceof HostStorage ? new CpuStorage(this.reference, a.data) : a);
    const fromRef = (r: unknown): unknown => {
      if (Array.isArray(r)) return r.map(fromRef);
      if (!(r instanceof CpuStorage)) return r;
      if (r.data instanceof Float64Array) return new HostStorage(this, r.data);
      const s = this.alloc(r.dtype, r.size);
      s.data.set(r.data);
      return s;
    };
    const fn = (this.reference as unknown as Record<string, (...a: unknown[]) => unknown>)[method];
    return fromRef(fn.apply(this.reference, args.map(toRef)));
  }

  fromArray(data: AnyTypedArray): Storage {
    const s = this.alloc(dtypeOf(data), data.length);
    s.data.set(data);
    return s;
  }
  full(dtype: DType, size: number, value: number): Storage {
    const s = this.alloc(dtype, size);
    s.data.fill(value);
    return s;
  }
  async read(s: Storage): Promise<AnyTypedArray> {
    const a = s as AnyStorage;
    if (a instanceof WasmStorage && a.released) throw new Error('read: a tensor was used after dispose()');
    return a.data.slice(); // a plain (unshared) copy
  }
  release(s: Storage): void {
    if (!(s instanceof WasmStorage) || s.released) return;
    s.released = true;
    this.finalizer.unregister(s);
    this.rt.free(s.data);
  }
  copy(s: Storage): Storage {
    const out = this.alloc(s.dtype, s.size);
    out.data.set((s as AnyStorage).data);
    return out;
  }
  write(s: Storage, data: AnyTypedArray): void {
    (s as AnyStorage).data.set(data);
  }

  binary(op: BinaryOp, a: Storage, b: Storage, plan: BroadcastPlan): Storage {
    if (!allF32(a, b)) return this.viaReference('binary', [op, a, b, plan]) as Storage;
    const out = this.allocF32(plan.size);
    binaryWasm(this.rt, op, out.data, f32(a, op), f32(b, op), plan);
    return out;
  }
  expand(x: Storage, plan: BroadcastPlan): Storage {
    if (!allF32(x)) return this.viaReference('expand', [x, plan]) as Storage;
    this.zero ??= this.rt.allocF32(1).fill(0);
    const out = this.allocF32(plan.size);
    binaryWasm(this.rt, 'add', out.data, f32(x, 'expand'), this.zero, plan);
    return out;
  }
  unary(op: UnaryOp, x: Storage, p: UnaryParams): Storage {
    if (!allF32(x)) return this.viaReference('unary', [op, x, p]) as Storage;
    const out = this.allocF32(x.size);
    unaryWasm(this.rt, op, out.data, f32(x, op), p);
    return out;
  }
  unaryBackward(op: UnaryOp, x: Storage, y: Storage, dy: Storage, p: UnaryParams): Storage {
    if (!allF32(x, y, dy)) return this.viaReference('unaryBackward', [op, x, y, dy, p]) as Storage;
    const out = this.allocF32(x.size);
    unaryBackwardWasm(this.rt, op, out.data, f32(x, op), f32(y, op), f32(dy, op), p);
    return out;
  }
  reduce(op: ReduceOp, x: Storage, p: ReduceParams): Storage {
    if (!allF32(x)) return this.viaReference('reduce', [op, x, p]) as Storage;
    const out = this.allocF32(p.outer * p.inner);
    reduceWasm(this.rt, op, out.data, f32(x, op), p);
    return out;
  }
  matmul(a: Storage, b: Storage, bias: Storage | null, p: MatmulParams): Storage {
    if (!allF32(a, b, bias)) return this.viaReference('matmul', [a, b, bias, p]) as Storage;
    const out = this.allocF32(p.batch * p.M * p.N);
    matmulWasm(this.rt, out.data, f32(a, 'matmul'), f32(b, 'matmul'), bias ? f32(bias, 'matmul') : null, p);
    return out;
  }
  layerNormForward(x: Storage, weight: Storage, bias: Storage, p: LayerNormParams): [Storage, Storage, Storage] {
    if (!allF32(x, weight, bias)) return this.viaReference('layerNormForward', [x, weight, bias, p]) as [Storage, Storage, Storage];
    const [out, mean, rstd] = [this.allocF32(x.size), this.allocF32(p.rows), this.allocF32(p.rows)];
    layerNormForwardWasm(this.rt, out.data, mean.data, rstd.data, f32(x, 'layerNorm'), f32(weight, 'layerNorm'), f32(bias, 'layerNorm'), p);
    return [out, mean, rstd];
  }
  layerNormBackward(dy: Storage, x: Storage, weight: Storage, mean: Storage, rstd: Storage, p: LayerNormParams): [Storage, Storage, Storage] {
    if (!allF32(dy, x, weight, mean, rstd)) return this.viaReference('layerNormBackward', [dy, x, weight, mean, rstd, p]) as [Storage, Storage, Storage];
    const [dx, dw, db] = [this.allocF32(x.size), this.allocF32(p.dim), this.allocF32(p.dim)];
    const fn = 'layerNorm';
    layerNormBackwardWasm(this.rt, dx.data, dw.data, db.data, f32(dy, fn), f32(x, fn), f32(weight, fn), f32(mean, fn), f32(rstd, fn), p);
    return [dx, dw, db];
  }
  softmaxForward(x: Storage, p: SoftmaxParams): Storage {
    if (!allF32(x)) return this.viaReference('softmaxForward', [x, p]) as Storage;
    const out = this.allocF32(x.size);
    softmaxForwardWasm(this.rt, out.data, f32(x, 'softmax'), p);
    return out;
  }
  softmaxBackward(y: Storage, dy: Storage, p: SoftmaxParams): Storage {
    if (!allF32(y, dy)) return this.viaReference('softmaxBackward', [y, dy, p]) as Storage;
    const dx = this.allocF32(y.size);
    softmaxBackwardWasm(this.rt, dx.data, f32(y, 'softmax'), f32(dy, 'softmax'), p);
    return dx;
  }
  embeddingForward(weight: Storage, ids: Storage, p: EmbeddingParams): Storage {
    if (!allF32(weight)) return this.viaReference('embeddingForward', [weight, ids, p]) as Storage;
    const out = this.allocF32(p.n * p.dim);
    embeddingForwardWasm(this.rt, out.data, f32(weight, 'embedding'), i32(ids, 'embedding'), p);
    return out;
  }
  embeddingBackward(dy: Storage, ids: Storage, p: EmbeddingParams): Storage {
    if (!allF32(dy)) return this.viaReference('embeddingBackward', [dy, ids, p]) as Storage;
    const dw = this.allocF32(p.vocab * p.dim);
    embeddingBackwardWasm(this.rt, dw.data, f32(dy, 'embedding'), i32(ids, 'embedding'), p);
    return dw;
  }
  crossEntropyForward(logits: Storage, targets: Storage, p: CrossEntropyParams): Storage {
    if (!allF32(logits)) return this.viaReference('crossEntropyForward', [logits, targets, p]) as Storage;
    const losses = this.allocF32(p.rows);
    crossEntropyForwardWasm(this.rt, losses.data, f32(logits, 'crossEntropy'), i32(targets, 'crossEntropy'), p);
    return losses;
  }
  crossEntropyBackward(logits: Storage, targets: Storage, dlosses: Storage, p: CrossEntropyParams): Storage {
    if (!allF32(logits, dlosses)) return this.viaReference('crossEntropyBackward', [logits, targets, dlosses, p]) as Storage;
    const dl = this.allocF32(logits.size);
    crossEntropyBackwardWasm(this.rt, dl.data, f32(logits, 'crossEntropy'), i32(targets, 'crossEntropy'), f32(dlosses, 'crossEntropy'), p);
    return dl;
  }
  adamw(param: Storage, grad: Storage, m: Storage, v: Storage, p: AdamWParams): void {
    if (!allF32(param, grad, m, v)) {
      this.viaReference('adamw', [param, grad, m, v, p]);
      return;
    }
    adamwWasm(this.rt, f32(param, 'adamw'), f32(grad, 'adamw'), f32(m, 'adamw'), f32(v, 'adamw'), p);
  }
  fftConvForward(u: Storage, k: Storage, D: Storage, p: FftConvParams): Storage {
    if (!allF32(u, k, D)) return this.viaReference('fftConvForward', [u, k, D, p]) as Storage;
    const y = this.allocF32(u.size);
    fftConvForwardWasm(this.rt, y.data, f32(u, 'fftConv'), f32(k, 'fftConv'), f32(D, 'fftConv'), p);
    return y;
  }
  fftConvBackward(dy: Storage, u: Storage, k: Storage, D: Storage, p: FftConvParams): [Storage, Storage, Storage] {
    if (!allF32(dy, u, k, D)) return this.viaReference('fftConvBackward', [dy, u, k, D, p]) as [Storage, Storage, Storage];
    const [du, dk, dD] = [this.allocF32(u.size), this.allocF32(k.size), this.allocF32(D.size)];
    const fn = 'fftConv';
    fftConvBackwardWasm(this.rt, du.data, dk.data, dD.data, f32(dy, fn), f32(u, fn), f32(k, fn), f32(D, fn), p);
    return [du, dk, dD];
  }
  // The SSMs' generation ops on WebAssembly (the references' float64 bits): O(B·H·N) work per token, on the
  // worker threads only for large batches.
  diagSsmState(z: Storage, A: Storage, p: DiagSsmStateParams): Storage {
    if (!allF32(z, A)) return this.viaReference('diagSsmState', [z, A, p]) as Storage;
    const state = this.allocF32(p.batch * p.channels * p.modes * 2);
    diagSsmStateWasm(this.rt, state.data, f32(z, 'diagSsmState'), f32(A, 'diagSsmState'), p);
    return state;
  }
  diagSsmStep(state: Storage, z: Storage, A: Storage, W: Storage, D: Storage, p: DiagSsmParams): Storage {
    if (!allF32(state, z, A, W, D)) return this.viaReference('diagSsmStep', [state, z, A, W, D, p]) as Storage;
    const y = this.allocF32(p.batch * p.channels);
    const fn = 'diagSsmStep';
    diagSsmStepWasm(this.rt, y.data, f32(state, fn), f32(z, fn), f32(A, fn), f32(W, fn), f32(D, fn), p);
    return y;
  }
  shiftSsmState(k: Storage, p: ShiftSsmStateParams): Storage {
    if (!allF32(k)) return this.viaReference('shiftSsmState', [k, p]) as Storage;
    const state = this.allocF32(p.batch * p.channels * p.stateSize);
    shiftSsmStateWasm(this.rt, state.data, f32(k, 'shiftSsmState'), p);
    return state;
  }
  shiftSsmStep(state: Storage, k: Storage, kernel: Storage, D: Storage, p: ShiftSsmParams): Storage {
    if (!allF32(state, k, kernel, D)) return this.viaReference('shiftSsmStep', [state, k, kernel, D, p]) as Storage;
    const y = this.allocF32(p.batch * p.channels);
    const fn = 'shiftSsmStep';
    shiftSsmStepWasm(this.rt, y.data, f32(state, fn), f32(k, fn), f32(kernel, fn), f32(D, fn), p);
    return y;
  }
  stridedCopy(dst: Storage, src: Storage, p: StridedCopyParams): void {
    if (dst.dtype !== src.dtype) throw new DTypeError('stridedCopy', 'src', `${dst.dtype} like dst`, src.dtype);
    const [d, s] = [dst as AnyStorage, src as AnyStorage];
    if (d instanceof HostStorage || s instanceof HostStorage) stridedCopyRef(d.data, s.data, p);
    else {
      if (d.released || s.released) throw new Error('stridedCopy: a tensor was used after dispose()');
      stridedCopyWasm(this.rt, d.data, s.data, p);
    }
  }
  // attention: WebAssembly kernels split over (batch·head, row tile); rotary (O(L·hd), ~1% of an attention
  // layer) runs the TypeScript reference on views of the WebAssembly memory (said once)
  causalAttentionForward(q: Storage, k: Storage, v: Storage, p: AttentionParams): [Storage, Storage] {
    if (!allF32(q, k, v)) return this.viaReference('causalAttentionForward', [q, k, v, p]) as [Storage, Storage];
    const [out, lse] = [this.allocF32(q.size), this.allocF32(p.batchHeads * p.length)];
    const fn = 'causalAttention';
    causalAttentionForwardWasm(this.rt, out.data, lse.data, f32(q, fn), f32(k, fn), f32(v, fn), p);
    return [out, lse];
  }
  causalAttentionBackward(dout: Storage, q: Storage, k: Storage, v: Storage, out: Storage, lse: Storage, p: AttentionParams): [Storage, Storage, Storage] {
    if (!allF32(dout, q, k, v, out, lse))
      return this.viaReference('causalAttentionBackward', [dout, q, k, v, out, lse, p]) as [Storage, Storage, Storage];
    const [dq, dk, dv] = [this.allocF32(q.size), this.allocF32(k.size), this.allocF32(v.size)];
    const fn = 'causalAttention';
    causalAttentionBackwardWasm(this.rt, dq.data, dk.data, dv.data, f32(dout, fn), f32(q, fn), f32(k, fn), f32(v, fn), f32(out, fn), f32(lse, fn), p);
    return [dq, dk, dv];
  }
  attentionDecode(q: Storage, kCache: Storage, vCache: Storage, lengths: Storage, p: DecodeParams): Storage {
    if (!allF32(q, kCache, vCache)) return this.viaReference('attentionDecode', [q, kCache, vCache, lengths, p]) as Storage;
    const out = this.allocF32(q.size);
    const fn = 'attentionDecode';
    attentionDecodeWasm(this.rt, out.data, f32(q, fn), f32(kCache, fn), f32(vCache, fn), i32(lengths, fn), p);
    return out;
  }
  kvCacheWrite(cache: Storage, x: Storage, positions: Storage, p: KvCacheParams): void {
    if (!allF32(cache, x)) {
      this.viaReference('kvCacheWrite', [cache, x, positions, p]);
      return;
    }
    kvCacheWriteRef(f32(cache, 'kvCacheWrite'), f32(x, 'kvCacheWrite'), i32(positions, 'kvCacheWrite'), p); // a copy: no kernel needed
  }
  rotary(x: Storage, p: RotaryParams): Storage {
    if (!allF32(x)) return this.viaReference('rotary', [x, p]) as Storage;
    announceReference('rotary');
    const out = this.allocF32(x.size);
    rotaryRef(out.data, f32(x, 'rotary'), p);
    return out;
  }
  rotaryBackward(dy: Storage, p: RotaryParams): Storage {
    if (!allF32(dy)) return this.viaReference('rotaryBackward', [dy, p]) as Storage;
    announceReference('rotary');
    const dx = this.allocF32(dy.size);
    rotaryBackwardRef(dx.data, f32(dy, 'rotary'), p);
    return dx;
  }
  // The SSM kernel generators: O(H·N2·L) and O(H·N²) work once per forward pass whatever the batch. S4D runs
  // WebAssembly (the reference's float64 bits; H = 768, N2 = 32, L = 1024: ~15 ms forward, ~28 ms backward on
  // one thread against ~75 / ~195 ms for the reference); so does the shift kernel (also the reference's bits).
  s4dKernelForward(logDt: Storage, invAReal: Storage, AImag: Storage, B: Storage, C: Storage, p: S4dKernelParams): Storage {
    if (!allF32(logDt, invAReal, AImag, B, C)) return this.viaReference('s4dKernelForward', [logDt, invAReal, AImag, B, C, p]) as Storage;
    const K = this.allocF32(p.channels * p.length);
    const fn = 's4dKernel';
    const args = [f32(logDt, fn), f32(invAReal, fn), f32(AImag, fn), f32(B, fn), f32(C, fn)] as const;
    if (s4dOnWasm(p)) s4dKernelWasm(this.rt, K.data, ...args, p);
    else s4dKernelRef(K.data, ...args, p);
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
    const inputs = [logDt, invAReal, AImag, B, C];
    if (!allF32(dK, ...inputs)) return this.viaReference('s4dKernelBackward', [dK, ...inputs, p]) as [Storage, Storage, Storage, Storage, Storage];
    const [a, b, c, d, e] = inputs.map((s) => this.allocF32(s.size));
    const fn = 's4dKernel';
    const args = [f32(dK, fn), f32(logDt, fn), f32(invAReal, fn), f32(AImag, fn), f32(B, fn), f32(C, fn)] as const;
    if (s4dOnWasm(p)) s4dKernelBackwardWasm(this.rt, a.data, b.data, c.data, d.data, e.data, ...args, p);
    else s4dKernelBackwardRef(a.data, b.data, c.data, d.data, e.data, ...args, p);
    return [a, b, c, d, e];
  }
  shiftKernelForward(B: Storage, C: Storage, p: ShiftKernelParams): Storage {
    if (!allF32(B, C)) return this.viaReference('shiftKernelForward', [B, C, p]) as Storage;
    const k = this.allocF32(p.channels * shiftKernelLength(p));
    shiftKernelWasm(this.rt, k.data, f32(B, 'shiftKernel'), f32(C, 'shiftKernel'), p);
    return k;
  }
  shiftKernelBackward(dk: Storage, B: Storage, C: Storage, p: ShiftKernelParams): [Storage, Storage] {
    if (!allF32(dk, B, C)) return this.viaReference('shiftKernelBackward', [dk, B, C, p]) as [Storage, Storage];
    const [dB, dC] = [this.allocF32(B.size), this.allocF32(C.size)];
    const fn = 'shiftKernel';
    shiftKernelBackwardWasm(this.rt, dB.data, dC.data, f32(dk, fn), f32(B, fn), f32(C, fn), p);
    return [dB, dC];
  }
}
