// @hippo/kernels — the WebGPU runtime, the WGSL kernels and their plain-TypeScript references.
// Every GPU kernel `foo(ctx, out..., in..., params)` has a reference `fooRef(out..., in..., params)` with the
// same argument order on typed arrays; the cpu backend of @hippo/tensor runs the references.
export * from './errors.js';
export {
  GpuContext,
  type AdapterDescription,
  type BindingKind,
  type BufferRange,
  type GpuContextOptions,
  type Kernel,
  type KernelSpec,
} from './runtime/gpu-context.js';
export { kernelKey, type KernelKeyParts } from './runtime/kernel-key.js';
export { uniformStruct, type UniformField, type UniformStruct, type UniformValues } from './runtime/uniform.js';
export { sizeClass } from './runtime/buffer-pool.js';
export { Rng, hashU32 } from './util/rng.js';
export type { FloatArray } from './util/types.js';

export { broadcastShape, planBroadcast, type BroadcastPlan } from './ops/binary/broadcast.js';
export { binaryRef, type BinaryOp } from './ops/binary/binary.ref.js';
export { binary } from './ops/binary/binary.js';
export { unaryRef, unaryBackwardRef, fillRef, type UnaryOp, type UnaryParams } from './ops/unary/unary.ref.js';
export { unary, unaryBackward } from './ops/unary/unary.js';
export { fill } from './ops/unary/fill.js';
export { reduceRef, type ReduceOp, type ReduceParams } from './ops/reduce/reduce.ref.js';
export { reduce } from './ops/reduce/reduce.js';
export { matmulRef, type MatmulParams } from './ops/matmul/matmul.ref.js';
export { matmul } from './ops/matmul/matmul.js';
export { layerNormForwardRef, layerNormBackwardRef, type LayerNormParams } from './ops/layernorm/layernorm.ref.js';
export { layerNormForward, layerNormBackward } from './ops/layernorm/layernorm.js';
export { softmaxForwardRef, softmaxBackwardRef, type SoftmaxParams } from './ops/softmax/softmax.ref.js';
export { softmaxForward, softmaxBackward } from './ops/softmax/softmax.js';
export { embeddingForwardRef, embeddingBackwardRef, type EmbeddingParams } from './ops/embedding/embedding.ref.js';
export { embeddingForward, embeddingBackward } from './ops/embedding/embedding.js';
export {
  crossEntropyForwardRef,
  crossEntropyBackwardRef,
  type CrossEntropyParams,
} from './ops/cross-entropy/cross-entropy.ref.js';
export { crossEntropyForward, crossEntropyBackward } from './ops/cross-entropy/cross-entropy.js';
export { adamwRef, type AdamWParams } from './ops/adamw/adamw.ref.js';
export { adamw } from './ops/adamw/adamw.js';
export { fftLength, type FftConvParams } from './ops/fftconv/plan.js';
export { causalConvDirect, causalConvDirectBackward } from './ops/fftconv/direct.ref.js';
export { fftConvForwardRef, fftConvBackwardRef } from './ops/fftconv/fftconv.ref.js';
export { fftConvForward, fftConvBackward, fftConvPlan, type FftConvOptions, type FftConvPath } from './ops/fftconv/fftconv.js';
export { ssmConvStatePassingRef, ssmKernelRef, type DiagSsm } from './ops/fftconv/state-passing.ref.js';
export { prepareStatePassing, ssmConvStatePassing, type StatePassingTables } from './ops/fftconv/state-passing.js';

// The WebAssembly CPU runtime (shared memory, allocator, worker threads) and the SIMD kernels that run on it:
// `fooWasm(rt, out..., in..., params)` mirrors `fooRef` on Float32Array / Int32Array views of rt's memory.
export { WasmRuntime, defaultThreads, type WasmRuntimeOptions, type WasmMemoryStats } from './wasm/runtime.js';
export { WasmUnavailableError, WasmOutOfMemoryError } from './wasm/errors.js';
export { matmulWasm } from './ops/matmul/matmul.wasm.js';
export { binaryWasm } from './ops/binary/binary.wasm.js';
export { unaryWasm, unaryBackwardWasm } from './ops/unary/unary.wasm.js';
export { reduceWasm } from './ops/reduce/reduce.wasm.js';
export { softmaxForwardWasm, softmaxBackwardWasm } from './ops/softmax/softmax.wasm.js';
export { layerNormForwardWasm, layerNormBackwardWasm } from './ops/layernorm/layernorm.wasm.js';
export { crossEntropyForwardWasm, crossEntropyBackwardWasm } from './ops/cross-entropy/cross-entropy.wasm.js';
export { adamwWasm } from './ops/adamw/adamw.wasm.js';
export { embeddingForwardWasm, embeddingBackwardWasm } from './ops/embedding/embedding.wasm.js';
