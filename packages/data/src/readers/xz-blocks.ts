// Locates the part of an xz stream that fails to decode (tukaani.org xz-file-format 1.2): @napi-rs/lzma
// decodes a whole stream and says what failed but not where. Used only after a failure, so the happy path pays
// nothing. The stream's layout: a 12-byte header (magic, flags with the check type, CRC32), blocks (a header
// whose first byte gives its size, compressed data, padding to 4 bytes, the check of the uncompressed data), an
// index of (unpadded size, uncompressed size) per block, a 12-byte footer (CRC32, index size, flags, "YZ").
// With an intact index every block is cut out, wrapped in a one-block stream of its own (same header, a
// one-record index, a footer) and decoded alone: the first that fails is the one named. Without an intact
// footer and index (a truncated file), block headers are followed as far as they record their sizes.
import { crc32 } from 'node:zlib';

/** What failed and where; offsets are bytes from the start of the stream. */
export interface XzFailure {
  /** first byte of the failing part: the block (its header's first byte), the index, the header or footer */
  offset: number;
  part: 'stream header' | 'block' | 'index' | 'stream footer';
  /** the check type of the stream: None, CRC32, CRC64, SHA-256 */
  check?: string;
  message: string;
}

const MAGIC = [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00];
const CHECKS: Record<number, string> = { 0: 'None', 1: 'CRC32', 4: 'CRC64', 10: 'SHA-256' };

/** bytes of the check field for check id `id` (0, 4, 8, 16, 32 or 64) */
function checkSize(id: number): number {
  return id === 0 ? 0 : 4 << Math.floor((id - 1) / 3);
}

const pad4 = (n: number) => (n + 3) & ~3;
const u32 = (b: Uint8Array, o: number) => (b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) | (b[o + 3] << 24)) >>> 0;

/** xz's variable-length integer (7 bits a byte, little-endian, ≤ 9 bytes) at `o`; undefined if malformed */
function varint(b: Uint8Array, o: number): { value: number; end: number } | undefined {
  let value = 0;
  for (let i = 0; i < 9 && o + i < b.length; i++) {
    value += (b[o + i] & 0x7f) * 2 ** (7 * i);
    if ((b[o + i] & 0x80) === 0) return { value, end: o + i + 1 };
  }
  return undefined;
}

function le32(x: number): Uint8Array {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, x >>> 0, true);
  return b;
}

function encodeVarint(x: number): number[] {
  const out: number[] = [];
  while (x >= 0x80) {
    out.push((x % 0x80) | 0x80);
    x = Math.floor(x / 0x80);
  }
  out.push(x);
  return out;
}

/** A one-block stream: `header` (12 bytes), the block, an index of one record, a footer. */
function oneBlockStream(header: Uint8Array, block: Uint8Array, unpadded: number, uncompressed: number): Uint8Array {
  const rec = [0x00, ...encodeVarint(1), ...encodeVarint(unpadded), ...encodeVarint(uncompressed)];
  while ((rec.length + 4) % 4 !== 0) rec.push(0);
  const index = new Uint8Array([...rec, ...le32(crc32(new Uint8Array(rec)))]);
  const tail = new Uint8Array([...le32(index.length / 4 - 1), header[6], header[7]]);
  const footer = new Uint8Array([...le32(crc32(tail)), ...tail, 0x59, 0x5a]);
  const s = new Uint8Array(header.length + block.length + index.length + footer.length);
  s.set(header, 0);
  s.set(block, 12);
  s.set(index, 12 + block.length);
  s.set(footer, 12 + block.length + index.length);
  return s;
}

/**
 * The part of the xz stream `bytes` that fails to decode; `decode` decodes a whole stream and throws on error.
 * Returns undefined when no part can be blamed (every block decodes alone and index and footer are intact).
 * @example locateXzFailure(member, (b) => xz.decompressSync(b)) // { offset: 12, part: 'block', check: 'CRC64', … }
 */
export function locateXzFailure(bytes: Uint8Array, decode: (stream: Uint8Array) => unknown): XzFailure | undefined {
  if (bytes.length < 12 || MAGIC.some((m, i) => bytes[i] !== m))
    return { offset: 0, part: 'stream header', message: 'the stream header at byte 0 is not xz (its first 6 bytes are not the xz magic number)' };
  const header = bytes.subarray(0, 12);
  if (crc32(bytes.subarray(6, 8)) !== u32(bytes, 8) || bytes[6] !== 0 || bytes[7] > 0x0f)
    return { offset: 0, part: 'stream header', message: 'the 12-byte stream header at byte 0 is damaged (its flags or CRC32 do not match)' };
  const checkId = bytes[7];
  const check = CHECKS[checkId] ?? `check id ${checkId}`;
  const blocks = blocksFromIndex(bytes, check);
  if (typeof blocks !== 'string' && 'list' in blocks) {
    for (const [k, b] of blocks.list.entries()) {
      const bad = blockHeaderProblem(bytes, b.start);
      if (bad) return { offset: b.start, part: 'block', check, message: `block ${k} at byte ${b.start}: ${bad}` };
      try {
        decode(oneBlockStream(header, bytes.subarray(b.start, b.start + pad4(b.unpadded)), b.unpadded, b.uncompressed));
      } catch (e) {
        return { offset: b.start, part: 'block', check, message: `block ${k} at byte ${b.start} (check ${check}) fails to decode: ${(e as Error).message}` };
      }
    }
    try {
      decode(bytes);
      return undefined; // the whole stream decodes too
    } catch {
      return { offset: blocks.index, part: 'index', check, message: `every block decodes, but the index at byte ${blocks.index} or the stream footer does not match them` };
    }
  }
  if (typeof blocks !== 'string') return blocks.failure;
  // no usable footer or index: follow block headers from the start
  return walkBlocks(bytes, check, checkSize(checkId), blocks);
}

interface BlockSpan {
  start: number;
  unpadded: number;
  uncompressed: number;
}

/** The blocks listed by the stream's index; the index's problem when the footer locates it; or why the footer
 *  cannot be used. */
function blocksFromIndex(bytes: Uint8Array, check: string): { list: BlockSpan[]; index: number } | { failure: XzFailure } | string {
  let end = bytes.length;
  while (end >= 16 && u32(bytes, end - 4) === 0) end -= 4; // stream padding
  const f = end - 12;
  if (bytes[end - 2] !== 0x59 || bytes[end - 1] !== 0x5a) return 'the stream footer is missing (no "YZ" at the end)';
  if (crc32(bytes.subarray(f + 4, f + 10)) !== u32(bytes, f)) return `the stream footer at byte ${f} is damaged (CRC32 mismatch)`;
  const indexSize = (u32(bytes, f + 4) + 1) * 4;
  const index = f - indexSize;
  if (index < 12) return `the stream footer at byte ${f} gives an index size larger than the stream`;
  const bad = (message: string) => ({ failure: { offset: index, part: 'index' as const, check, message: `the index at byte ${index} ${message}` } });
  if (bytes[index] !== 0x00 || crc32(bytes.subarray(index, f - 4)) !== u32(bytes, f - 4)) return bad('is damaged (CRC32 mismatch)');
  const count = varint(bytes, index + 1);
  if (!count) return bad('is malformed');
  const list: BlockSpan[] = [];
  let start = 12;
  for (let k = 0, at = count.end; k < count.value; k++) {
    const unpadded = varint(bytes, at);
    const uncompressed = unpadded && varint(bytes, unpadded.end);
    if (!unpadded || !uncompressed || uncompressed.end > f) return bad('is malformed');
    list.push({ start, unpadded: unpadded.value, uncompressed: uncompressed.value });
    start += pad4(unpadded.value);
    at = uncompressed.end;
  }
  // another stream before this one (concatenated streams) or a damaged index: fall back to walking
  if (start !== index) return bad('does not describe the blocks before it (damaged, or the file holds several streams)');
  return { list, index };
}

/** what is wrong with the block header at `o`, if anything */
function blockHeaderProblem(bytes: Uint8Array, o: number): string | undefined {
  const size = (bytes[o] + 1) * 4;
  if (bytes[o] === 0 || o + size > bytes.length) return 'its header size byte is invalid';
  if (crc32(bytes.subarray(o, o + size - 4)) !== u32(bytes, o + size - 4)) return 'its block header is damaged (CRC32 mismatch)';
  return undefined;
}

/** Follows block headers that record their compressed size until the block that cannot be passed. */
function walkBlocks(bytes: Uint8Array, check: string, checkBytes: number, why: string): XzFailure {
  let o = 12;
  for (let k = 0; ; k++) {
    if (o >= bytes.length) return { offset: bytes.length, part: 'stream footer', check, message: `the stream ends at byte ${bytes.length} after ${k} block(s), without its index and footer (${why})` };
    if (bytes[o] === 0x00) return { offset: o, part: 'index', check, message: `${why}; the blocks before the index at byte ${o} are intact as far as their headers go` };
    const bad = blockHeaderProblem(bytes, o);
    if (bad) return { offset: o, part: 'block', check, message: `block ${k} at byte ${o}: ${bad} (${why})` };
    const flags = bytes[o + 1];
    const compressed = flags & 0x40 ? varint(bytes, o + 2) : undefined;
    const next = compressed ? o + pad4((bytes[o] + 1) * 4 + compressed.value) + checkBytes : undefined;
    if (next === undefined || next > bytes.length)
      return {
        offset: o,
        part: 'block',
        check,
        message: `block ${k} at byte ${o} (check ${check}) ${next === undefined ? 'is the last that can be located (its header does not record its size)' : `runs past the end of the data (to byte ${next})`}; ${why}`,
      };
    o = next;
  }
}
