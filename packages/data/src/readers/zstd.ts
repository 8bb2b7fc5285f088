// Streaming zstd decoding with fzstd (pure JS, design/data.md §3), with errors that say where. fzstd detects
// structural damage (bad block types, FSE tables, offsets) and truncation but neither reports where frames and
// blocks start nor verifies the optional XXH64 content checksum, so a ZstdFrameWalker follows the same bytes:
// every output chunk of fzstd is one block's content, which attributes it to its frame, and a frame whose
// header sets the checksum flag has its content hashed (xxhash-wasm, streaming) and compared with the 4 bytes
// after its last block. A corrupt block is named by its offset; a checksum mismatch by its frame's offset.
import { Decompress } from 'fzstd';
import xxhash, { type XXHash, type XXHashAPI } from 'xxhash-wasm';
import { InputError } from '../errors.js';
import { type ZstdBlock, type ZstdFrame, ZstdFrameWalker } from './zstd-frames.js';

const SLICE = 1 << 16;
let xxhApi: Promise<XXHashAPI> | undefined; // one WebAssembly instance per thread, made on first use

/** Decodes a zstd stream (any number of concatenated frames) fed in chunks, verifying frame checksums. */
export class ZstdStream {
  private readonly dec: Decompress;
  private readonly walker: ZstdFrameWalker;
  private out: Uint8Array[] = [];
  private consumed = 0; // compressed bytes fed so far
  private pending: ZstdBlock[] = []; // blocks whose header the walker read and whose content fzstd has not emitted
  private current?: { frame: ZstdFrame; emitted: number; hash?: XXHash<bigint> };
  private mismatch?: InputError;

  /** `xxh`: the initialised xxhash-wasm API (`await xxhash()`) */
  constructor(
    private readonly file: string,
    private readonly xxh: XXHashAPI,
  ) {
    this.dec = new Decompress((chunk, final) => {
      if (final && chunk.length === 0) return;
      this.emitted(chunk);
      // fzstd reuses its window buffer: copy what it hands over
      this.out.push(chunk.slice());
    });
    this.walker = new ZstdFrameWalker(
      (b) => this.pending.push(b),
      (f) => {
        if (this.current?.frame === f) this.verify();
      },
    );
  }

  /** A stream for `file` (the name is for error messages). */
  static async open(file: string): Promise<ZstdStream> {
    return new ZstdStream(file, await (xxhApi ??= xxhash()));
  }

  /** Feeds compressed bytes; returns the decompressed bytes they completed. */
  push(chunk: Uint8Array): Uint8Array[] {
    for (let o = 0; o < chunk.length; o += SLICE) this.feed(chunk.subarray(o, Math.min(chunk.length, o + SLICE)), false);
    return this.drain();
  }

  /** Ends the stream; throws if it stopped inside a frame. */
  end(): Uint8Array[] {
    this.feed(new Uint8Array(0), true);
    return this.drain();
  }

  private feed(slice: Uint8Array, final: boolean): void {
    const bad = this.walker.scan(slice);
    // decode the bytes before a structural error first: damage earlier in the stream is the one to report
    const ok = bad ? slice.subarray(0, bad.offset - this.consumed) : slice;
    try {
      this.dec.push(ok, final && !bad);
    } catch (e) {
      if (e instanceof InputError) throw e;
      const code = (e as { code?: number }).code;
      if (final || code === 5) {
        const end = this.consumed + ok.length;
        throw new InputError(
          { file: this.file, offset: end },
          `truncated zstd data: the file ends at byte ${end} inside a frame${this.where()} (${(e as Error).message})`,
          'the download or copy is incomplete; fetch the file again and compare its checksum',
        );
      }
      const block = this.pending[0];
      throw block
        ? new InputError({ file: this.file, offset: block.offset }, `corrupt zstd data (${(e as Error).message}) in the block at byte ${block.offset}${this.where()}`)
        : new InputError(
            { file: this.file, offset: this.consumed, offsetEnd: this.consumed + ok.length },
            `corrupt zstd data (${(e as Error).message}), detected in compressed bytes ${this.consumed}–${this.consumed + ok.length}`,
          );
    }
    if (this.mismatch) throw this.mismatch;
    if (bad) throw new InputError({ file: this.file, offset: bad.offset }, `corrupt zstd data: ${bad.message}`);
    this.consumed += slice.length;
  }

  /** " (frame at byte F)" for the frame being decoded, when known */
  private where(): string {
    const f = this.pending[0]?.frame ?? this.current?.frame;
    return f ? ` (frame at byte ${f.start})` : '';
  }

  /** one block's content came out of fzstd: hash it into its frame */
  private emitted(chunk: Uint8Array): void {
    const block = this.pending.shift();
    if (!block) throw new Error('ZstdStream: fzstd emitted a block the frame walker has not seen'); // a bug, not bad input
    if (this.current?.frame !== block.frame) this.current = { frame: block.frame, emitted: 0, hash: block.frame.hasChecksum ? this.xxh.create64(0n) : undefined };
    const c = this.current;
    c.hash?.update(chunk);
    c.emitted++;
    if (c.frame.lastBlockSeen && c.emitted === c.frame.blocks) this.verify();
  }

  /** compares the current frame's checksum once all its content is out and its checksum bytes were read */
  private verify(): void {
    const c = this.current!;
    const f = c.frame;
    if (!f.lastBlockSeen || c.emitted !== f.blocks || !c.hash || f.stored === undefined || this.mismatch) return;
    const got = Number(c.hash.digest() & 0xffffffffn);
    c.hash = undefined; // verified once
    if (got === f.stored) return;
    const hex = (x: number) => `0x${x.toString(16).padStart(8, '0')}`;
    this.mismatch = new InputError(
      { file: this.file, offset: f.start },
      `zstd frame checksum mismatch: the frame at byte ${f.start} stores ${hex(f.stored)}, its decompressed content hashes to ${hex(got)} (XXH64, low 32 bits)`,
      'the file is corrupt; fetch it again and compare its checksum',
    );
  }

  private drain(): Uint8Array[] {
    const o = this.out;
    this.out = [];
    return o;
  }
}
