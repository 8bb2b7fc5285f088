// The kernels compiled into kernels.wasm: one file per kernel family, each exporting its entry points.
// Every entry point takes its own arguments, then (chunk, scratch); see src/wasm/kernel-names.ts.
export { matmulPackB, matmulCompute } from './matmul';
export { matmulSmallM } from './gemv';
export { unaryF32, unaryBackwardF32 } from './unary';
export { binaryF32 } from './binary';
export { reduceRowsF32, reduceColsF32 } from './reduce';
export { softmaxForwardF32, softmaxBackwardF32 } from './softmax';
export { layerNormForwardF32, layerNormBackwardRowsF32, layerNormBackwardColsF32 } from './layernorm';
export { crossEntropyForwardF32, crossEntropyBackwardF32 } from './cross-entropy';
export { adamwF32 } from './adamw';
export { embeddingForwardF32, embeddingBackwardF32 } from './embedding';
export { fftConvSpectrumF32, fftConvForwardF32, fftConvBackwardF32 } from './fftconv';
export { stridedCopy32 } from './strided-copy';
export { attentionForwardF32, attentionBackwardDqF32, attentionBackwardDkvF32 } from './attention';
export { attentionDecodeF32 } from './attention-decode';
export { s4dKernelF32, s4dKernelBackwardF32 } from './ssm-s4d-kernel';
export { shiftKernelF32, shiftKernelBackwardF32 } from './ssm-shift-kernel';
export { diagSsmStateF32, diagSsmStepF32 } from './ssm-diag-step';
export { shiftSsmStateF32, shiftSsmStepF32 } from './ssm-shift-step';
