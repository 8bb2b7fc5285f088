// The Megatron-LM / GPT-NeoX indexed-dataset index (`MMIDIDX`, version 1), written beside a `.bin` whose bytes
// are the same uint16 stream as nanoGPT's. Layout, little-endian (design/data.md §1.6):
//   magic "MMIDIDX\0\0" (9 bytes) · version u64 = 1 · dtype u8 (8 = uint16) · S u64 (sequences) ·
//   D u64 (= S + 1, length of doc_idx) · sizes i32[S] · pointers i64[S] (byte offsets) · doc_idx i64[D]
// One sequence per document, as plain LM preprocessing writes it.

const MAGIC = Buffer.from('MMIDIDX\0\0', 'latin1');
const DTYPE_UINT16 = 8;
const HEADER_BYTES = 9 + 8 + 1 + 8 + 8;

/**
 * The `.idx` bytes for documents of `sizes` tokens each (EOT included).
 * @example mmidxBytes(Uint32Array.of(3, 5)) // header, sizes [3,5], pointers [0,6], doc_idx [0,1,2]
 */
export function mmidxBytes(sizes: Uint32Array): Buffer {
  const S = sizes.length;
  const buf = Buffer.alloc(HEADER_BYTES + 4 * S + 8 * S + 8 * (S + 1));
  let o = MAGIC.copy(buf, 0);
  o = buf.writeBigUInt64LE(1n, o);
  o = buf.writeUInt8(DTYPE_UINT16, o);
  o = buf.writeBigUInt64LE(BigInt(S), o);
  o = buf.writeBigUInt64LE(BigInt(S + 1), o);
  for (let i = 0; i < S; i++) o = buf.writeInt32LE(sizes[i], o);
  let pointer = 0;
  for (let i = 0; i < S; i++) {
    o = buf.writeBigInt64LE(BigInt(pointer), o);
    pointer += sizes[i] * 2;
  }
  for (let i = 0; i <= S; i++) o = buf.writeBigInt64LE(BigInt(i), o);
  return buf;
}

/** Parsed `.idx`: document sizes and byte pointers; throws on a wrong magic, version or dtype. */
export function readMmidx(buf: Buffer, file = '.idx'): { sizes: Int32Array; pointers: number[] } {
  if (buf.length < HEADER_BYTES || !buf.subarray(0, 9).equals(MAGIC)) throw new Error(`${file}: not an MMIDIDX index (bad magic)`);
  const version = buf.readBigUInt64LE(9);
  const dtype = buf.readUInt8(17);
  if (version !== 1n || dtype !== DTYPE_UINT16) throw new Error(`${file}: expected MMIDIDX version 1, dtype 8 (uint16); got version ${version}, dtype ${dtype}`);
  const S = Number(buf.readBigUInt64LE(18));
  const sizes = new Int32Array(S);
  for (let i = 0; i < S; i++) sizes[i] = buf.readInt32LE(HEADER_BYTES + 4 * i);
  const pointers: number[] = [];
  for (let i = 0; i < S; i++) pointers.push(Number(buf.readBigInt64LE(HEADER_BYTES + 4 * S + 8 * i)));
  return { sizes, pointers };
}
