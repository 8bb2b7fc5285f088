// safetensors read/write (https://github.com/huggingface/safetensors): an 8-byte little-endian u64 N, N bytes of
// UTF-8 JSON naming each tensor's dtype, shape and [begin, end) byte range, then the data region.
// The decoder is a security boundary: a malformed or hostile file fails with a FileFormatError that says what is
// wrong, and nothing is ever allocated because a header says so.
import { open } from 'node:fs/promises';
import { DTypeError, FileFormatError, ShapeError } from '@hippo/kernels';
import { dtypeBytes, formatShape, isSafetensorsDType, SAFETENSORS_DTYPES, type RawTensor } from './dtypes.js';
import { parseHeader, quote } from './header.js';
import { replaceFileAtomic } from './atomic.js';

export { SAFETENSORS_DTYPES, dtypeBytes, isSafetensorsDType, type RawTensor, type SafetensorsDType } from './dtypes.js';
export { fromFloat32, fromInt32, toFloat32, toInt32 } from './convert.js';

/** Tensors to write, by name; a Record's own enumerable keys are the names. */
export type RawTensorMap = Map<string, RawTensor> | Record<string, RawTensor>;

/** A decoded file: tensors in data-region order, and the `__metadata__` map ({} when absent). */
export interface SafetensorsFile {
  tensors: Map<string, RawTensor>;
  metadata: Record<string, string>;
}

/** The reference implementation's MAX_HEADER_SIZE; larger headers are refused even when the file holds them. */
export const MAX_HEADER_BYTES = 100_000_000;

/** Largest single read/write call; Node refuses calls over 2 GiB. */
const IO_CHUNK = 1 << 30;

/**
 * Encodes tensors as one safetensors file. Deterministic: names are sorted (UTF-16 code-unit order), the data
 * region holds the tensors in that order with no gaps, `__metadata__` comes first with sorted keys and is omitted
 * when empty, and the JSON is padded with spaces so the data starts at a multiple of 8 bytes, as the reference does.
 * Throws DTypeError/ShapeError for an inconsistent tensor, TypeError for a reserved or non-Unicode name.
 * @example encodeSafetensors({ w: { dtype: 'F32', shape: [2], data: new Uint8Array(8) } }, { format: 'pt' })
 */
export function encodeSafetensors(tensors: RawTensorMap, metadata?: Record<string, string>): Uint8Array {
  const { header, chunks, size } = layout('encodeSafetensors', tensors, metadata);
  const out = new Uint8Array(size);
  out.set(header, 0);
  let at = header.length;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/**
 * Decodes a safetensors file held in memory, validating everything before returning. The returned tensors'
 * `data` are zero-copy subarray views of `bytes` (so they share its memory, may be unaligned for wider typed
 * arrays, and change if `bytes` does); copy them if `bytes` will be reused. `path` only names the file in errors.
 * Throws FileFormatError (fields `path`, `problem`) for any malformed file, and nothing else.
 * @example const { tensors, metadata } = decodeSafetensors(bytes, 'model.safetensors');
 */
export function decodeSafetensors(bytes: Uint8Array, path = '<buffer>'): SafetensorsFile {
  const fail = (problem: string): never => {
    throw new FileFormatError(path, problem);
  };
  if (bytes.length < 8) fail(`file is ${bytes.length} bytes; a safetensors file starts with an 8-byte header length`);
  // Compare as BigInt against the bytes present before any slicing or decoding: a u64 can say 2^64 − 1.
  const declared = new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true);
  const room = bytes.length - 8;
  if (declared > BigInt(room)) {
    fail(`header length ${declared} runs past the end of the file: only ${room} bytes follow the 8-byte length (truncated or not a safetensors file?)`);
  }
  if (declared > BigInt(MAX_HEADER_BYTES)) fail(`header length ${declared} exceeds the ${MAX_HEADER_BYTES}-byte limit of the reference implementation`);
  const dataStart = 8 + Number(declared);
  const dataLength = bytes.length - dataStart;

  let text = '';
  try {
    // fatal: refuse invalid UTF-8 rather than substitute U+FFFD; ignoreBOM: keep a BOM so it is refused as a non-'{'
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes.subarray(8, dataStart));
  } catch {
    fail(`header (${declared} bytes) is not valid UTF-8`);
  }
  const { entries, metadata } = parseHeader(text, fail);

  for (const e of entries) {
    const where = `tensor ${quote(e.name)}`;
    if (e.end > dataLength) fail(`${where}: data_offsets [${e.begin},${e.end}] run past the ${dataLength}-byte data region`);
    const need = byteSize(e.shape, dtypeBytes(e.dtype));
    const span = e.end - e.begin;
    if (need !== span) {
      const needs = need === null ? 'more than 2^53 − 1 bytes' : `${need} bytes`;
      fail(`${where}: shape ${formatShape(e.shape)} of ${e.dtype} needs ${needs}, but data_offsets [${e.begin},${e.end}] span ${span}`);
    }
  }

  // The reference sorts by offset and requires each tensor to start where the previous one ended, and the
  // last to end at the end of the file: no overlaps, no gaps, no trailing bytes. We match it.
  const ordered = entries.slice().sort((a, b) => a.begin - b.begin || a.end - b.end);
  let covered = 0;
  for (let i = 0; i < ordered.length; i++) {
    const e = ordered[i];
    if (e.begin < covered) {
      const p = ordered[i - 1];
      fail(`tensors ${quote(p.name)} [${p.begin},${p.end}] and ${quote(e.name)} [${e.begin},${e.end}] overlap`);
    }
    if (e.begin > covered) fail(`bytes [${covered},${e.begin}) of the data region belong to no tensor (before tensor ${quote(e.name)})`);
    covered = e.end;
  }
  if (covered !== dataLength) {
    fail(`data region has ${dataLength} bytes but the tensors cover only ${covered}: ${dataLength - covered} trailing bytes`);
  }

  const tensors = new Map<string, RawTensor>();
  for (const e of ordered) {
    tensors.set(e.name, { dtype: e.dtype, shape: e.shape, data: bytes.subarray(dataStart + e.begin, dataStart + e.end) });
  }
  return { tensors, metadata };
}

/**
 * Writes a safetensors file atomically: the bytes go to `<path>.tmp-<pid>-<random>`, are fsynced, and the file
 * is renamed over `path`, so readers see the old file or the new one, never a partial one. Tensors are streamed
 * to disk without building the whole file in memory. On any failure the temporary file is removed.
 * @example await writeSafetensors('ckpt.safetensors', tensors, { step: '1000' });
 */
export async function writeSafetensors(path: string, tensors: RawTensorMap, metadata?: Record<string, string>): Promise<void> {
  const { header, chunks } = layout('writeSafetensors', tensors, metadata);
  await replaceFileAtomic(path, async (file) => {
    await writeAll(file, header);
    for (const c of chunks) await writeAll(file, c);
  });
}

/**
 * Reads and decodes a safetensors file (see decodeSafetensors: tensors are views into one buffer holding the
 * whole file). Filesystem errors (ENOENT, EISDIR) pass through; format errors are FileFormatError.
 * @example const { tensors } = await readSafetensors('model.safetensors'); const w = toFloat32(tensors.get('w')!);
 */
export async function readSafetensors(path: string): Promise<SafetensorsFile> {
  const file = await open(path, 'r');
  try {
    const { size } = await file.stat();
    const bytes = new Uint8Array(size);
    let got = 0;
    while (got < size) {
      const { bytesRead } = await file.read(bytes, got, Math.min(size - got, IO_CHUNK), got);
      if (bytesRead === 0) break;
      got += bytesRead;
    }
    if (got < size) throw new FileFormatError(path, `file shrank while being read: its size was ${size} bytes but only ${got} could be read`);
    return decodeSafetensors(bytes, path);
  } finally {
    await file.close();
  }
}

interface Layout {
  /** The 8-byte length, the JSON and its space padding. */
  header: Uint8Array;
  /** Tensor data in file order. */
  chunks: Uint8Array[];
  /** Total file size in bytes. */
  size: number;
}

function layout(fn: string, tensors: RawTensorMap, metadata: Record<string, string> | undefined): Layout {
  const named = tensors instanceof Map ? [...tensors] : Object.entries(tensors);
  named.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const parts: string[] = [];
  const meta = Object.entries(metadata ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  if (meta.length > 0) {
    const fields = meta.map(([k, v]) => {
      if (typeof v !== 'string') throw new TypeError(`${fn}: metadata value of ${quote(k)} must be a string; got ${typeof v}`);
      checkUnicode(fn, 'metadata key', k);
      checkUnicode(fn, `metadata value of ${quote(k)}`, v);
      return `${JSON.stringify(k)}:${JSON.stringify(v)}`;
    });
    parts.push(`"__metadata__":{${fields.join(',')}}`);
  }
  const chunks: Uint8Array[] = [];
  let offset = 0;
  for (const [name, t] of named) {
    if (name === '__metadata__') throw new TypeError(`${fn}: "__metadata__" is reserved by the format and cannot name a tensor`);
    checkUnicode(fn, 'tensor name', name);
    const where = `tensor ${quote(name)}`;
    if (!isSafetensorsDType(t.dtype)) throw new DTypeError(fn, `${where} dtype`, `one of ${SAFETENSORS_DTYPES.join(', ')}`, String(t.dtype));
    if (!Array.isArray(t.shape) || !t.shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
      throw new ShapeError(fn, `${where} shape`, 'an array of non-negative safe integers', String(t.shape));
    }
    if (!(t.data instanceof Uint8Array)) throw new TypeError(`${fn}: ${where} data must be a Uint8Array`);
    const need = byteSize(t.shape, dtypeBytes(t.dtype));
    if (need !== t.data.length) {
      throw new ShapeError(fn, `${where} data`, `${need ?? 'over 2^53'} bytes for ${t.dtype} ${formatShape(t.shape)}`, `${t.data.length} bytes`);
    }
    parts.push(`${JSON.stringify(name)}:{"dtype":"${t.dtype}","shape":[${t.shape.map((d) => d + 0).join(',')}],"data_offsets":[${offset},${offset + need}]}`);
    offset += need;
    chunks.push(t.data);
  }
  const json = new TextEncoder().encode(`{${parts.join(',')}}`);
  const padded = Math.ceil(json.length / 8) * 8;
  const header = new Uint8Array(8 + padded);
  new DataView(header.buffer).setBigUint64(0, BigInt(padded), true);
  header.set(json, 8);
  header.fill(0x20, 8 + json.length);
  return { header, chunks, size: header.length + offset };
}

/**
 * product(shape) · itemBytes, or null when it exceeds 2^53 − 1. Multiplies in doubles but stops as soon as the
 * running product leaves the safe range (dims ≥ 1 never shrink it; a 0 dim makes it 0), so every product that
 * is returned is exact and huge dims cannot overflow into a plausible size.
 */
function byteSize(shape: readonly number[], itemBytes: number): number | null {
  if (shape.includes(0)) return 0;
  let n = itemBytes;
  for (const d of shape) {
    n *= d;
    if (n > Number.MAX_SAFE_INTEGER) return null;
  }
  return n;
}

/** Lone surrogates would be written as U+FFFD by TextEncoder, silently renaming the tensor. */
function checkUnicode(fn: string, what: string, s: string): void {
  if (/[\uD800-\uDFFF]/u.test(s)) throw new TypeError(`${fn}: ${what} ${quote(s)} contains a lone surrogate; names must be valid Unicode`);
}

async function writeAll(file: Awaited<ReturnType<typeof open>>, bytes: Uint8Array): Promise<void> {
  let done = 0;
  while (done < bytes.length) {
    const { bytesWritten } = await file.write(bytes, done, Math.min(bytes.length - done, IO_CHUNK));
    done += bytesWritten;
  }
}
