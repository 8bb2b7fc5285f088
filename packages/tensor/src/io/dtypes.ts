// The safetensors element types Hippo reads and writes, and the in-memory form of one stored tensor.

/** Element types, spelled as in the safetensors header. The reference's F8/U16/U32/U64/C64 types are refused. */
export type SafetensorsDType = 'F64' | 'F32' | 'F16' | 'BF16' | 'I64' | 'I32' | 'I16' | 'I8' | 'U8' | 'BOOL';

const DTYPE_BYTES: Readonly<Record<SafetensorsDType, number>> = {
  F64: 8,
  F32: 4,
  F16: 2,
  BF16: 2,
  I64: 8,
  I32: 4,
  I16: 2,
  I8: 1,
  U8: 1,
  BOOL: 1,
};

/** Every supported dtype, widest first. */
export const SAFETENSORS_DTYPES: readonly SafetensorsDType[] = Object.freeze(Object.keys(DTYPE_BYTES) as SafetensorsDType[]);

/** True when `x` is one of the supported dtype names (an own key, so "toString" is not one). */
export function isSafetensorsDType(x: unknown): x is SafetensorsDType {
  return typeof x === 'string' && Object.prototype.hasOwnProperty.call(DTYPE_BYTES, x);
}

/** Bytes per element: 8 for F64/I64, 4 for F32/I32, 2 for F16/BF16/I16, 1 for I8/U8/BOOL. */
export function dtypeBytes(dtype: SafetensorsDType): number {
  return DTYPE_BYTES[dtype];
}

/**
 * One stored tensor: `data` holds product(shape) · dtypeBytes(dtype) little-endian bytes, row-major.
 * A scalar has shape []. Decoded tensors' `data` are views into the file's bytes, not copies.
 * @example const t: RawTensor = { dtype: 'U8', shape: [2], data: new Uint8Array([7, 9]) };
 */
export interface RawTensor {
  dtype: SafetensorsDType;
  shape: number[];
  data: Uint8Array;
}

/** A shape as error messages print it: "[2,3]"; long shapes are cut after 8 dims. */
export function formatShape(shape: readonly number[]): string {
  return shape.length <= 8 ? `[${shape.join(',')}]` : `[${shape.slice(0, 8).join(',')},… (${shape.length} dims)]`;
}
