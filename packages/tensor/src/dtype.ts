/** Element types: f32 everywhere, f64 on the cpu backend only (gradient checks), i32 for token ids and targets. */
export type DType = 'f32' | 'f64' | 'i32';

export type TypedArrayFor<D extends DType> = D extends 'f64' ? Float64Array : D extends 'i32' ? Int32Array : Float32Array;
export type AnyTypedArray = Float32Array | Float64Array | Int32Array;

export function allocArray(dtype: DType, n: number): AnyTypedArray {
  return dtype === 'f64' ? new Float64Array(n) : dtype === 'i32' ? new Int32Array(n) : new Float32Array(n);
}

export function dtypeOf(arr: AnyTypedArray): DType {
  return arr instanceof Float64Array ? 'f64' : arr instanceof Int32Array ? 'i32' : 'f32';
}

export function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}
