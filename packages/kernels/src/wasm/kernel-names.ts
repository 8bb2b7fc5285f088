// The entry points of kernels.wasm that WasmRuntime.run can call; a worker looks them up by index.
// Every one takes its own arguments, then (chunk, scratch): see src/wasm/assembly/*.ts.
export const WASM_KERNELS = [
  'matmulPackB',
  'matmulCompute',
  'unaryF32',
  'unaryBackwardF32',
  'binaryF32',
  'reduceRowsF32',
  'reduceColsF32',
  'softmaxForwardF32',
  'softmaxBackwardF32',
  'layerNormForwardF32',
  'layerNormBackwardRowsF32',
  'layerNormBackwardColsF32',
  'crossEntropyForwardF32',
  'crossEntropyBackwardF32',
  'adamwF32',
  'embeddingForwardF32',
  'embeddingBackwardF32',
  'fftConvSpectrumF32',
  'fftConvForwardF32',
  'fftConvBackwardF32',
  'stridedCopy32',
  'attentionForwardF32',
  'attentionBackwardDqF32',
  'attentionBackwardDkvF32',
  'attentionDecodeF32',
] as const;

export type WasmKernel = (typeof WASM_KERNELS)[number];
