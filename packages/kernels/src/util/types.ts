/** Float arrays the reference kernels accept: float32 for the CPU path, float64 for gradient checks. */
export type FloatArray = Float32Array | Float64Array;
