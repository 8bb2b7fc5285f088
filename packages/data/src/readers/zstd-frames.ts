// Walks the container structure of a zstd stream (RFC 8878 §3.1) alongside the decoder, without decoding:
// frame headers, block headers (whose sizes let it skip the block bodies) and the optional 4-byte content
// checksum after a frame's last block. fzstd reports neither where frames and blocks start nor the checksum,
// so this is what lets the reader verify checksums and name the exact frame or block of a problem.
// Cost: a few operations per block header (blocks are ≤ 128 KiB), nothing per content byte.

const ZSTD_MAGIC = 0xfd2fb528;
/** skippable frames: magic 0x184D2A50..0x184D2A5F, then a 4-byte content size */
const SKIPPABLE_MASK = 0xfffffff0;
const SKIPPABLE_MAGIC = 0x184d2a50;
const DICT_ID_BYTES = [0, 1, 2, 4];
const FCS_BYTES = [0, 2, 4, 8];

/** One zstd frame as far as the walker has read it. */
export interface ZstdFrame {
  /** byte offset of the frame's magic number in the compressed stream */
  start: number;
  /** Content_Checksum_flag: the frame ends with the low 32 bits of XXH64(content, seed 0) */
  hasChecksum: boolean;
  /** blocks whose header the walker has read */
  blocks: number;
  /** the last block's header has been read */
  lastBlockSeen: boolean;
  /** the stored checksum (little-endian uint32), once read */
  stored?: number;
}

/** A block whose header has been read: the decoder emits its content next (one output chunk per block). */
export interface ZstdBlock {
  frame: ZstdFrame;
  /** byte offset of the block header */
  offset: number;
}

type Field = 'magic' | 'frameHeader' | 'blockHeader' | 'checksum' | 'skippableSize';

/** Structure that no zstd decoder accepts, located exactly. */
export interface ZstdStructureError {
  offset: number;
  message: string;
}

/**
 * Follows a zstd stream fed in chunks; reports every block header it passes (`onBlock`) and every frame whose
 * structure it has read to the end (`onFrameEnd`, after the checksum bytes when there are some).
 * @example const w = new ZstdFrameWalker((b) => blocks.push(b), (f) => check(f)); const err = w.scan(chunk);
 */
export class ZstdFrameWalker {
  /** compressed bytes scanned so far */
  pos = 0;
  private field: Field = 'magic';
  private readonly buf = new Uint8Array(4);
  private have = 0;
  private need = 4;
  private skip = 0; // bytes to pass over before the next field (block bodies, header fields, skippable frames)
  private frame?: ZstdFrame;
  private failed?: ZstdStructureError;

  constructor(
    private readonly onBlock: (b: ZstdBlock) => void,
    private readonly onFrameEnd: (f: ZstdFrame) => void,
  ) {}

  /**
   * Scans `chunk`; returns the first structural error (its offset may lie inside `chunk`: bytes before it are
   * still well-formed). After an error the walker stays failed.
   */
  scan(chunk: Uint8Array): ZstdStructureError | undefined {
    if (this.failed) return this.failed;
    let i = 0;
    while (i < chunk.length) {
      if (this.skip > 0) {
        const k = Math.min(this.skip, chunk.length - i);
        i += k;
        this.skip -= k;
        this.pos += k;
        continue;
      }
      this.buf[this.have++] = chunk[i++];
      this.pos++;
      if (this.have < this.need) continue;
      this.have = 0;
      this.failed = this.onField();
      if (this.failed) return this.failed;
    }
    return undefined;
  }

  /** true between frames (a stream may end only there) */
  get atFrameBoundary(): boolean {
    return this.field === 'magic' && this.have === 0 && this.skip === 0;
  }

  /** handles the complete field in `buf` (it ended at `pos`); returns an error or undefined */
  private onField(): ZstdStructureError | undefined {
    const b = this.buf;
    const at = this.pos - this.need;
    switch (this.field) {
      case 'magic': {
        const magic = (b[0] | (b[1] << 8) | (b[2] << 16) | (b[3] << 24)) >>> 0;
        if (magic === ZSTD_MAGIC) {
          this.frame = { start: at, hasChecksum: false, blocks: 0, lastBlockSeen: false };
          return this.expect('frameHeader', 1);
        }
        if (((magic & SKIPPABLE_MASK) >>> 0) === SKIPPABLE_MAGIC) return this.expect('skippableSize', 4);
        return { offset: at, message: `no zstd frame starts at byte ${at} (magic number 0x${magic.toString(16).padStart(8, '0')}, expected 0xfd2fb528)` };
      }
      case 'frameHeader': {
        // Frame_Header_Descriptor: FCS flag (2 bits), single segment, unused, reserved, checksum, dictionary id (2)
        const d = b[0];
        if (d & 0x08) return { offset: at, message: `the zstd frame at byte ${this.frame!.start} sets the reserved bit of its header` };
        const singleSegment = (d >> 5) & 1;
        this.frame!.hasChecksum = ((d >> 2) & 1) === 1;
        const fcs = d >> 6 === 0 ? singleSegment : FCS_BYTES[d >> 6];
        this.skip = (singleSegment ? 0 : 1) + DICT_ID_BYTES[d & 3] + fcs;
        return this.expect('blockHeader', 3);
      }
      case 'blockHeader': {
        const h = b[0] | (b[1] << 8) | (b[2] << 16);
        const last = (h & 1) === 1;
        const type = (h >> 1) & 3;
        const size = h >>> 3;
        if (type === 3) return { offset: at, message: `the zstd block at byte ${at} (frame at byte ${this.frame!.start}) has the reserved block type 3` };
        const f = this.frame!;
        f.blocks++;
        f.lastBlockSeen = last;
        this.onBlock({ frame: f, offset: at });
        this.skip = type === 1 ? 1 : size; // an RLE block stores one byte, repeated `size` times
        if (!last) return this.expect('blockHeader', 3);
        if (f.hasChecksum) return this.expect('checksum', 4);
        this.endFrame();
        return undefined;
      }
      case 'checksum':
        this.frame!.stored = (b[0] | (b[1] << 8) | (b[2] << 16) | (b[3] << 24)) >>> 0;
        this.endFrame();
        return undefined;
      case 'skippableSize':
        this.skip = (b[0] | (b[1] << 8) | (b[2] << 16) | (b[3] << 24)) >>> 0;
        return this.expect('magic', 4);
    }
  }

  private expect(field: Field, need: number): undefined {
    this.field = field;
    this.need = need;
    return undefined;
  }

  private endFrame(): void {
    const f = this.frame!;
    this.frame = undefined;
    this.expect('magic', 4);
    this.onFrameEnd(f);
  }
}
