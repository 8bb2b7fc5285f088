// One source file → its units, in a fixed order that depends only on the file's bytes and the batch size.
// While reading, the raw bytes go through SHA-256 (for the manifest) and a byte counter (for progress and ETA).
// A resumed run re-reads a file from its start (zstd cannot seek into a frame), so both are always complete.
import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { Transform } from 'node:stream';
import { InputError } from '../errors.js';
import type { UnitBody } from '../pipeline/unit.js';
import type { SourceFile } from './formats.js';
import { LineBatcher } from './line-batcher.js';
import { tarEntries } from './tar.js';
import { ZstdStream } from './zstd.js';

const READ_CHUNK = 1 << 20;

/** Reading options that shape units. */
export interface ReadOptions {
  /** target size of a jsonl or Parquet unit, in bytes of text */
  batchBytes: number;
  /** Parquet column holding the text */
  textField: string;
}

/** Reads one source file as units; `rawBytes` and `sha256` follow the reading. */
export class SourceReader {
  /** bytes of the file (as stored) consumed so far */
  rawBytes = 0;
  private readonly hash: Hash = createHash('sha256');
  private digest?: string;

  constructor(
    readonly source: SourceFile,
    private readonly opts: ReadOptions,
  ) {}

  /** the file's SHA-256, once `units()` has finished */
  sha256(): string {
    if (!this.digest) throw new Error(`SourceReader.sha256: ${this.source.path} has not been read to its end`);
    return this.digest;
  }

  async *units(): AsyncGenerator<UnitBody> {
    const { path, format } = this.source;
    switch (format) {
      case 'text':
        yield { kind: 'text', bytes: await this.readWhole() };
        break;
      case 'owt-xz':
        yield { kind: 'owt-member', bytes: await this.readWhole(), member: 0, memberName: basename(path), offset: 0 };
        break;
      case 'jsonl': {
        const lines = new LineBatcher(this.opts.batchBytes);
        for await (const chunk of this.stream()) yield* lines.push(chunk);
        yield* lines.end();
        break;
      }
      case 'jsonl.zst': {
        const lines = new LineBatcher(this.opts.batchBytes);
        const zstd = await ZstdStream.open(path);
        for await (const chunk of this.stream()) for (const out of zstd.push(chunk)) yield* lines.push(out);
        for (const out of zstd.end()) yield* lines.push(out);
        yield* lines.end();
        break;
      }
      case 'owt-tar': {
        let member = 0;
        try {
          for await (const f of tarEntries(this.stream())) {
            if (!f.name.endsWith('.xz')) continue; // the Hub tars hold only .xz members; anything else is not a document archive
            yield { kind: 'owt-member', bytes: f.data, member: member++, memberName: f.name };
          }
        } catch (e) {
          if (e instanceof InputError) throw e;
          throw new InputError({ file: path, offset: this.rawBytes }, `corrupt or truncated tar archive, detected at byte ${this.rawBytes}: ${(e as Error).message}`);
        }
        break;
      }
      case 'parquet':
        yield* this.parquet();
        break;
    }
    this.digest = this.hash.digest('hex');
  }

  private async *parquet(): AsyncGenerator<UnitBody> {
    // hyparquet reads by random access, so hash the file in its own pass (at disk speed)
    for await (const _ of this.stream()) void _;
    const total = this.source.bytes;
    this.rawBytes = 0;
    const { parquetTexts } = await import('./parquet.js'); // hyparquet only when there is Parquet to read
    for await (const g of parquetTexts(this.source.path, this.opts.textField)) {
      let from = 0;
      let size = 0;
      for (let i = 0; i < g.texts.length; i++) {
        size += (g.texts[i]?.length ?? 0) + 1;
        if (size >= this.opts.batchBytes || i === g.texts.length - 1) {
          yield { kind: 'rows', texts: g.texts.slice(from, i + 1), firstRow: g.firstRow + from };
          from = i + 1;
          size = 0;
        }
      }
      this.rawBytes = Math.round((total * (g.firstRow + g.texts.length)) / Math.max(1, g.totalRows));
    }
  }

  private async readWhole(): Promise<Uint8Array> {
    // a fresh Uint8Array, not a pooled Buffer: the unit's buffer is transferred to a worker
    const b = await readFile(this.source.path);
    const bytes = new Uint8Array(b.length);
    bytes.set(b);
    this.hash.update(bytes);
    this.rawBytes = bytes.length;
    return bytes;
  }

  /** the raw file as a stream of chunks, hashed and counted on the way */
  private stream(): Transform {
    const tap = new Transform({
      transform: (chunk: Buffer, _enc, cb) => {
        this.hash.update(chunk);
        this.rawBytes += chunk.length;
        cb(null, chunk);
      },
    });
    const file = createReadStream(this.source.path, { highWaterMark: READ_CHUNK });
    file.on('error', (e) => tap.destroy(e));
    return file.pipe(tap);
  }
}
