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
// The SSM parameters of H3 → convolution kernels: S4D (bilinear, Vandermonde) and the shift SSM, with backward.
export { s4dDiscretizeRef, s4dKernelRef, s4dKernelBackwardRef, type S4dKernelParams } from './ops/ssm-kernel/s4d-kernel.ref.js';
export { s4dKernelForward, s4dKernelBackward } from './ops/ssm-kernel/s4d-kernel.js';
export { shiftKernelRef, shiftKernelBackwardRef, shiftKernelLength, type ShiftKernelParams } from './ops/ssm-kernel/shift-kernel.ref.js';
export { shiftKernelForward, shiftKernelBackward } from './ops/ssm-kernel/shift-kernel.js';
// The SSMs of H3 as RNNs for generation: prefill (state after a prompt) and the fused one-token steps.
export { diagSsmStateRef, diagSsmStepRef, type DiagSsmParams, type DiagSsmStateParams } from './ops/ssm-step/diag-step.ref.js';
export { diagSsmState, diagSsmStep } from './ops/ssm-step/diag-step.js';
export { shiftSsmStateRef, shiftSsmStepRef, type ShiftSsmParams, type ShiftSsmStateParams } from './ops/ssm-step/shift-step.ref.js';
export { shiftSsmState, shiftSsmStep } from './ops/ssm-step/shift-step.js';
export type { SsmStepLayout, SsmStepOptions } from './ops/ssm-step/step-layout.js';
export {
  STRIDED_COPY_MAX_RANK,
  checkStridedCopy,
  contiguousStrides,
  simplifyStridedCopy,
  type StridedCopyParams,
} from './ops/strided-copy/plan.js';
export { stridedCopyRef, type CopyArray } from './ops/strided-copy/strided-copy.ref.js';
export { stridedCopy } from './ops/strided-copy/strided-copy.js';
export { causalAttentionForwardRef, causalAttentionBackwardRef, type AttentionParams } from './ops/attention/attention.ref.js';
export { attentionDecodeRef, kvCacheWriteRef, checkCacheIndices, type DecodeParams, type KvCacheParams } from './ops/attention/decode.ref.js';
export { rotaryRef, rotaryBackwardRef, type RotaryParams } from './ops/attention/rotary.ref.js';
export { causalAttentionForward, causalAttentionBackward } from './ops/attention/attention.js';
export { attentionDecode, kvCacheWrite } from './ops/attention/decode.js';
export { rotary, rotaryBackward } from './ops/attention/rotary.js';
export { attentionTiles, MAX_HEAD_DIM, type AttentionTiles } from './ops/attention/tiles.js';

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
export { fftConvForwardWasm, fftConvBackwardWasm } from './ops/fftconv/fftconv.wasm.js';
export { stridedCopyWasm } from './ops/strided-copy/strided-copy.wasm.js';
export { causalAttentionForwardWasm, causalAttentionBackwardWasm, type WasmAttentionTiles } from './ops/attention/attention.wasm.js';
export { attentionDecodeWasm } from './ops/attention/decode.wasm.js';
export { s4dKernelWasm, s4dKernelBackwardWasm, S4D_WASM_MAX_MODES } from './ops/ssm-kernel/s4d-kernel.wasm.js';
export { shiftKernelWasm, shiftKernelBackwardWasm } from './ops/ssm-kernel/shift-kernel.wasm.js';
export { diagSsmStateWasm, diagSsmStepWasm } from './ops/ssm-step/diag-step.wasm.js';
export { shiftSsmStateWasm, shiftSsmStepWasm } from './ops/ssm-step/shift-step.wasm.js';
