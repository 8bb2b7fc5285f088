// Conversions between stored tensors (little-endian bytes of any dtype) and the typed arrays the engine computes on.
// All of them copy and read through a DataView, so they work on unaligned views and on big-endian hosts alike.
import { DTypeError, ShapeError } from '@hippo/kernels';
import { dtypeBytes, formatShape, type RawTensor } from './dtypes.js';

/**
 * The tensor's values as float32 (a fresh array). F64 rounds to nearest; F16/BF16 widen exactly.
 * Throws TypeError for integer and BOOL dtypes (use toInt32), ShapeError when data and shape disagree.
 * @example const w = toFloat32(tensors.get('wte')!); // Float32Array of product(shape) values
 */
export function toFloat32(raw: RawTensor): Float32Array {
  const n = checkedNumel('toFloat32', raw);
  const view = new DataView(raw.data.buffer, raw.data.byteOffset, raw.data.byteLength);
  const out = new Float32Array(n);
  switch (raw.dtype) {
    case 'F32':
      for (let i = 0; i < n; i++) out[i] = view.getFloat32(4 * i, true);
      return out;
    case 'F64':
      for (let i = 0; i < n; i++) out[i] = view.getFloat64(8 * i, true);
      return out;
    case 'F16':
      for (let i = 0; i < n; i++) out[i] = halfToNumber(view.getUint16(2 * i, true));
      return out;
    case 'BF16': {
      // bfloat16 is the top half of a float32: shift the bits into place (keeps NaN payloads and -0)
      const bits = new Uint32Array(out.buffer);
      for (let i = 0; i < n; i++) bits[i] = view.getUint16(2 * i, true) << 16;
      return out;
    }
    default:
      throw new TypeError(`toFloat32: dtype ${raw.dtype} is not a float type (F64, F32, F16, BF16); use toInt32`);
  }
}

/**
 * The tensor's values as int32 (a fresh array), from I32, I16, I8, U8, BOOL (nonzero → 1), or I64 when every value
 * fits in int32 (else RangeError naming the element). Throws TypeError for float dtypes (use toFloat32).
 * @example const ids = toInt32(tensors.get('tokens')!);
 */
export function toInt32(raw: RawTensor): Int32Array {
  const n = checkedNumel('toInt32', raw);
  const view = new DataView(raw.data.buffer, raw.data.byteOffset, raw.data.byteLength);
  const out = new Int32Array(n);
  switch (raw.dtype) {
    case 'I32':
      for (let i = 0; i < n; i++) out[i] = view.getInt32(4 * i, true);
      return out;
    case 'I16':
      for (let i = 0; i < n; i++) out[i] = view.getInt16(2 * i, true);
      return out;
    case 'I8':
      for (let i = 0; i < n; i++) out[i] = view.getInt8(i);
      return out;
    case 'U8':
      for (let i = 0; i < n; i++) out[i] = view.getUint8(i);
      return out;
    case 'BOOL':
      for (let i = 0; i < n; i++) out[i] = view.getUint8(i) === 0 ? 0 : 1;
      return out;
    case 'I64':
      for (let i = 0; i < n; i++) {
        const v = view.getBigInt64(8 * i, true);
        if (v < -2147483648n || v > 2147483647n) throw new RangeError(`toInt32: element ${i} of the I64 tensor is ${v}, outside the int32 range`);
        out[i] = Number(v);
      }
      return out;
    default:
      throw new TypeError(`toInt32: dtype ${raw.dtype} is not an integer type (I64, I32, I16, I8, U8, BOOL); use toFloat32`);
  }
}

/**
 * An F32 RawTensor holding a copy of `arr` with shape `shape` (copied too). Throws ShapeError unless
 * product(shape) = arr.length.
 * @example const raw = fromFloat32(new Float32Array([1, 2, 3, 4, 5, 6]), [2, 3]);
 */
export function fromFloat32(arr: Float32Array, shape: readonly number[]): RawTensor {
  checkShape('fromFloat32', arr.length, shape);
  const data = new Uint8Array(arr.length * 4);
  const view = new DataView(data.buffer);
  for (let i = 0; i < arr.length; i++) view.setFloat32(4 * i, arr[i], true);
  return { dtype: 'F32', shape: [...shape], data };
}

/**
 * An I32 RawTensor holding a copy of `arr` with shape `shape`. Throws ShapeError unless product(shape) = arr.length.
 * @example const raw = fromInt32(new Int32Array([3, 1, 4]), [3]);
 */
export function fromInt32(arr: Int32Array, shape: readonly number[]): RawTensor {
  checkShape('fromInt32', arr.length, shape);
  const data = new Uint8Array(arr.length * 4);
  const view = new DataView(data.buffer);
  for (let i = 0; i < arr.length; i++) view.setInt32(4 * i, arr[i], true);
  return { dtype: 'I32', shape: [...shape], data };
}

/** IEEE 754 binary16 bits → number (exact). */
function halfToNumber(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24; // zero and subnormals
  if (exp === 31) return frac === 0 ? sign * Infinity : NaN;
  return sign * (1024 + frac) * 2 ** (exp - 25);
}

function checkedNumel(fn: string, raw: RawTensor): number {
  const n = raw.shape.reduce((a, b) => a * b, 1);
  const bytes = dtypeBytes(raw.dtype);
  if (bytes === undefined) throw new DTypeError(fn, 'raw.dtype', 'a safetensors dtype', String(raw.dtype));
  if (!Number.isSafeInteger(n) || n * bytes !== raw.data.length) {
    throw new ShapeError(fn, 'raw.data', `${n * bytes} bytes for ${raw.dtype} ${formatShape(raw.shape)}`, `${raw.data.length} bytes`);
  }
  return n;
}

function checkShape(fn: string, length: number, shape: readonly number[]): void {
  const ok = shape.every((d) => Number.isSafeInteger(d) && d >= 0) && shape.reduce((a, b) => a * b, 1) === length;
  if (!ok) throw new ShapeError(fn, 'shape', `dims whose product is arr.length = ${length}`, formatShape(shape));
}
