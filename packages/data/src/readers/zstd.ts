// Streaming zstd decoding with fzstd (pure JS, design/data.md §3), with errors that say where: the compressed
// stream is fed in 64 KiB slices, so a corrupt frame is located to the slice in which the decoder noticed it.
// fzstd does not verify the optional frame checksum; structural damage (bad magic, block types, FSE tables,
// offsets) and truncation are detected.
import { Decompress } from 'fzstd';
import { InputError } from '../errors.js';

const SLICE = 1 << 16;

/** Decodes a zstd stream (any number of concatenated frames) fed in chunks. */
export class ZstdStream {
  private readonly dec: Decompress;
  private out: Uint8Array[] = [];
  private consumed = 0; // compressed bytes fed so far

  constructor(private readonly file: string) {
    this.dec = new Decompress((chunk) => {
      // fzstd reuses its window buffer: copy what it hands over
      this.out.push(chunk.slice());
    });
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
    try {
      this.dec.push(slice, final);
    } catch (e) {
      const code = (e as { code?: number }).code;
      if (final || code === 5)
        throw new InputError(
          { file: this.file, offset: this.consumed + slice.length },
          `truncated zstd data: the file ends at byte ${this.consumed + slice.length} inside a frame (${(e as Error).message})`,
          'the download or copy is incomplete; fetch the file again and compare its checksum',
        );
      throw new InputError(
        { file: this.file, offset: this.consumed, offsetEnd: this.consumed + slice.length },
        `corrupt zstd data (${(e as Error).message}), detected in compressed bytes ${this.consumed}–${this.consumed + slice.length}`,
      );
    }
    this.consumed += slice.length;
  }

  private drain(): Uint8Array[] {
    const o = this.out;
    this.out = [];
    return o;
  }
}
