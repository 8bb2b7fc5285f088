// Read access to a split's token shards as one logical uint16 stream (their concatenation is nanoGPT's
// `train.bin`), by offset: nothing is loaded whole, so shards far larger than memory are fine.
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { endianness } from 'node:os';
import { join } from 'node:path';
import { DataError } from '../errors.js';
import { type Manifest, MANIFEST_FILE, readOwnJson } from '../pipeline/manifest.js';

const LITTLE_ENDIAN = endianness() === 'LE';

/**
 * The shards of one split, read by global token offset.
 * @example
 * const train = TokenShards.fromManifest('tokens/owt', 'train');
 * const w = new Uint16Array(1025); train.read(0, w);
 */
export class TokenShards {
  /** total tokens */
  readonly length: number;
  private readonly starts: number[]; // [S + 1] token offset where each shard starts; starts[S] = length
  private readonly fds: (number | null)[];

  constructor(readonly files: string[]) {
    if (files.length === 0) throw new DataError('TokenShards: no shard files given');
    this.starts = [0];
    for (const f of files) {
      let size: number;
      try {
        size = statSync(f).size;
      } catch {
        throw new DataError(`${f}: token shard not found`);
      }
      if (size % 2 !== 0) throw new DataError(`${f}: ${size} bytes is not a whole number of uint16 tokens; the file is truncated or not a token shard`);
      this.starts.push(this.starts[this.starts.length - 1] + size / 2);
    }
    this.length = this.starts[this.starts.length - 1];
    this.fds = files.map(() => null);
  }

  /** The shards of `split` listed in `<dir>/manifest.json`; checks each file's size against the manifest. */
  static fromManifest(dir: string, split: 'train' | 'val'): TokenShards {
    const m = readOwnJson<Manifest>(join(dir, MANIFEST_FILE), 'hippo-data/token-shards');
    if (!m) throw new DataError(`${dir}: no ${MANIFEST_FILE}; tokenize a corpus into it first (hippo-data tokenize … --out ${dir}), or finish the interrupted run by re-running it`);
    const shards = m.splits[split].shards;
    if (shards.length === 0) throw new DataError(`${dir}: the ${split} split is empty (${m.splits[split].docs} documents); raise --val-fraction or add data`);
    const t = new TokenShards(shards.map((s) => join(dir, s.file)));
    if (t.length !== m.splits[split].tokens) throw new DataError(`${dir}: the ${split} shards hold ${t.length} tokens; ${MANIFEST_FILE} says ${m.splits[split].tokens}`);
    return t;
  }

  /** Fills `out` with the tokens at [offset, offset + out.length), across shard boundaries. */
  read(offset: number, out: Uint16Array): void {
    if (!(Number.isInteger(offset) && offset >= 0 && offset + out.length <= this.length))
      throw new RangeError(`TokenShards.read: [${offset}, ${offset + out.length}) is outside [0, ${this.length})`);
    let done = 0;
    let s = this.shardOf(offset);
    while (done < out.length) {
      const local = offset + done - this.starts[s];
      const n = Math.min(out.length - done, this.starts[s + 1] - this.starts[s] - local);
      const view = new Uint8Array(out.buffer, out.byteOffset + done * 2, n * 2);
      const got = readSync(this.fd(s), view, 0, n * 2, local * 2);
      if (got !== n * 2) throw new DataError(`${this.files[s]}: short read (${got} of ${n * 2} bytes at byte ${local * 2}); the file changed while reading`);
      done += n;
      s++;
    }
    if (!LITTLE_ENDIAN) for (let i = 0; i < out.length; i++) out[i] = ((out[i] & 0xff) << 8) | (out[i] >>> 8);
  }

  close(): void {
    for (let i = 0; i < this.fds.length; i++) {
      const fd = this.fds[i];
      if (fd !== null) closeSync(fd);
      this.fds[i] = null;
    }
  }

  private fd(s: number): number {
    return (this.fds[s] ??= openSync(this.files[s], 'r'));
  }

  /** index of the shard holding token `offset` (binary search) */
  private shardOf(offset: number): number {
    let lo = 0;
    let hi = this.files.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }
}
