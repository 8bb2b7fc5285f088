// @hippo/tensor — Tensor with autograd on the cpu and webgpu backends, nn modules, optimisers and I/O.
export { Tensor, type GradNode, type TensorOptions } from './tensor.js';
export type { DType, AnyTypedArray } from './dtype.js';
export type { Backend, BackendName, Storage } from './backend/backend.js';
export { CpuBackend } from './backend/cpu.js';
export { WasmBackend } from './backend/wasm.js';
export { WebGpuBackend } from './backend/webgpu.js';
export { cpuBackend, referenceBackend, webgpuBackend, getBackend, defaultBackend } from './backend/select.js';
export { tidy, noGrad, keep, isGradEnabled } from './autograd/scope.js';
export { add, sub, mul, div, neg, mulScalar, addScalar } from './ops/elementwise.js';
export { exp, log, sqrt, square, relu, gelu, tanh, sigmoid, dropout } from './ops/unary.js';
export { sum, mean, max } from './ops/reduce.js';
export { matmul, linear, type MatmulOptions } from './ops/matmul.js';
export { reshape, expand } from './ops/shape.js';
export { permute, transpose, slice, concat, writeSlice } from './ops/layout.js';
export { layerNorm, softmax, embedding, crossEntropy } from './ops/nn-ops.js';
export { fftConv } from './ops/fftconv.js';
export { s4dKernel, shiftKernel } from './ops/ssm-kernel.js';
export { diagSsmState, diagSsmStep, shiftSsmState, shiftSsmStep } from './ops/ssm-step.js';
export {
  causalAttention,
  attentionDecode,
  kvCacheWrite,
  rotary,
  type CausalAttentionOptions,
  type RotaryOptions,
} from './ops/attention.js';
export { Module, initTensor, type InitOptions } from './nn/module.js';
export { Linear, Embedding, LayerNorm, Dropout, MLP } from './nn/layers.js';
export { AdamW, type ParamGroup, type AdamWOptions, type AdamWState } from './optim/adamw.js';
export { warmupCosine, type WarmupCosineOptions } from './optim/schedule.js';
export { gradNorm, clipGradNorm } from './optim/clip.js';
export { Rng } from '@hippo/kernels';
export {
  encodeSafetensors,
  decodeSafetensors,
  readSafetensors,
  writeSafetensors,
  toFloat32,
  toInt32,
  fromFloat32,
  fromInt32,
  type RawTensor,
  type SafetensorsDType,
  type SafetensorsFile,
} from './io/safetensors.js';
export { saveModule, loadModule } from './nn/checkpoint.js';
export { writeFileAtomic, replaceFileAtomic } from './io/atomic.js';
