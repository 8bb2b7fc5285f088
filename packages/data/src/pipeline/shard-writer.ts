// Appends one split's documents to numbered uint16 shards, `<split>-000000.bin`, … . A shard being written is
// `<name>.bin.partial` (with `<name>.sizes.partial`, the per-document lengths, when `.idx` files are wanted);
// it is renamed to its final name only once complete, after its `.idx` is in place, so a `.bin` under its
// final name is always whole. A new shard starts before a document that would push the current one past
// `maxTokens` (documents never straddle shards, so each `.idx` is self-contained). On resume the partial files
// are cut back to the last checkpoint and shards finished after it are reopened or removed.
import { createHash } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, ftruncateSync, openSync, readFileSync, readSync, readdirSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { endianness } from 'node:os';
import { join } from 'node:path';
import { DataError } from '../errors.js';
import { renameDurable, writeFileAtomic } from './atomic.js';
import { mmidxBytes, readMmidx } from './mmidx.js';
import type { SplitPart } from './unit.js';

/** A finished shard as the manifest lists it. */
export interface ShardInfo {
  /** file name of the `.bin`, relative to the output folder */
  file: string;
  /** file name of the `.idx`, when written */
  idx?: string;
  tokens: number;
  docs: number;
  sha256: string;
}

/** What a checkpoint stores of one split's writer. */
export interface SplitWriterState {
  shards: ShardInfo[];
  /** tokens and documents committed to the open shard (index `shards.length`) */
  open: { tokens: number; docs: number };
}

const LITTLE_ENDIAN = endianness() === 'LE';

/** Writes the shards of one split (`train` or `val`). */
export class SplitWriter {
  private shards: ShardInfo[];
  private openTokens: number;
  private openDocs: number;
  private binFd: number | null = null;
  private sizesFd: number | null = null;

  constructor(
    private readonly dir: string,
    readonly split: string,
    private readonly maxTokens: number,
    private readonly idx: boolean,
    resume?: SplitWriterState,
  ) {
    this.shards = resume ? resume.shards.map((s) => ({ ...s })) : [];
    this.openTokens = resume?.open.tokens ?? 0;
    this.openDocs = resume?.open.docs ?? 0;
    this.restore();
  }

  /** tokens and documents written to this split so far (committed or not) */
  totals(): { tokens: number; docs: number } {
    let tokens = this.openTokens;
    let docs = this.openDocs;
    for (const s of this.shards) {
      tokens += s.tokens;
      docs += s.docs;
    }
    return { tokens, docs };
  }

  /** Appends a unit's documents of this split, starting new shards at document boundaries. */
  append(part: SplitPart): void {
    const { tokens, docTokens } = part;
    let runStart = 0; // tokens [runStart, pos) and docs [docStart, d) are pending for the open shard
    let docStart = 0;
    let pos = 0;
    for (let d = 0; d < docTokens.length; d++) {
      const n = docTokens[d];
      if (this.openTokens + (pos - runStart) > 0 && this.openTokens + (pos - runStart) + n > this.maxTokens) {
        this.write(tokens.subarray(runStart, pos), docTokens.subarray(docStart, d));
        this.closeShard();
        runStart = pos;
        docStart = d;
      }
      pos += n;
    }
    this.write(tokens.subarray(runStart, pos), docTokens.subarray(docStart));
  }

  /** Flushes the open shard's files to disk (before a checkpoint records their length). */
  sync(): void {
    if (this.binFd !== null) fsyncSync(this.binFd);
    if (this.sizesFd !== null) fsyncSync(this.sizesFd);
  }

  /** The state a checkpoint stores. */
  state(): SplitWriterState {
    return { shards: this.shards.map((s) => ({ ...s })), open: { tokens: this.openTokens, docs: this.openDocs } };
  }

  /** Closes the last shard (if it holds anything) and returns every shard. */
  finish(): ShardInfo[] {
    if (this.openDocs > 0) this.closeShard();
    return this.shards.map((s) => ({ ...s }));
  }

  private name(i: number): string {
    return `${this.split}-${String(i).padStart(6, '0')}`;
  }

  private write(tokens: Uint16Array, sizes: Uint32Array): void {
    if (sizes.length === 0) return;
    this.ensureOpen();
    writeSync(this.binFd!, leBytes(tokens), 0, tokens.length * 2, this.openTokens * 2);
    if (this.idx) writeSync(this.sizesFd!, leBytes(sizes), 0, sizes.length * 4, this.openDocs * 4);
    this.openTokens += tokens.length;
    this.openDocs += sizes.length;
  }

  private ensureOpen(): void {
    if (this.binFd !== null) return;
    const base = join(this.dir, this.name(this.shards.length));
    // 'r+' keeps what a resumed run restored; 'w' starts the file
    const mode = (p: string) => (existsSync(p) ? 'r+' : 'w');
    this.binFd = openSync(`${base}.bin.partial`, mode(`${base}.bin.partial`));
    if (this.idx) this.sizesFd = openSync(`${base}.sizes.partial`, mode(`${base}.sizes.partial`));
  }

  private closeShard(): void {
    const name = this.name(this.shards.length);
    const base = join(this.dir, name);
    this.ensureOpen(); // a resumed shard may be closed before anything new was written to it
    this.sync();
    closeSync(this.binFd!);
    this.binFd = null;
    let idx: string | undefined;
    if (this.idx) {
      closeSync(this.sizesFd!);
      this.sizesFd = null;
      const raw = readFileSync(`${base}.sizes.partial`);
      const sizes = new Uint32Array(this.openDocs);
      for (let i = 0; i < sizes.length; i++) sizes[i] = raw.readUInt32LE(4 * i);
      writeFileAtomic(`${base}.idx`, mmidxBytes(sizes));
      unlinkSync(`${base}.sizes.partial`);
      idx = `${name}.idx`;
    }
    const sha256 = sha256File(`${base}.bin.partial`);
    renameDurable(`${base}.bin.partial`, `${base}.bin`);
    this.shards.push({ file: `${name}.bin`, ...(idx ? { idx } : {}), tokens: this.openTokens, docs: this.openDocs, sha256 });
    this.openTokens = 0;
    this.openDocs = 0;
  }

  /**
   * Brings the folder back to the checkpointed state: finished shards must be intact; the open shard's partial
   * files are cut to the committed length (taking back a final-named file if the shard was closed after the
   * checkpoint); anything of later shards is removed.
   */
  private restore(): void {
    for (const s of this.shards) {
      const p = join(this.dir, s.file);
      const size = existsSync(p) ? statSync(p).size : -1;
      if (size !== s.tokens * 2)
        throw new DataError(`${p}: a finished shard is ${size < 0 ? 'missing' : `${size} bytes`}, expected ${s.tokens * 2}; the output folder was changed since the last run — start over with --force`);
    }
    const k = this.shards.length;
    const base = join(this.dir, this.name(k));
    if (!existsSync(`${base}.bin.partial`) && existsSync(`${base}.bin`)) renameDurable(`${base}.bin`, `${base}.bin.partial`);
    if (this.idx && !existsSync(`${base}.sizes.partial`) && existsSync(`${base}.idx`)) {
      // the shard was closed after the checkpoint and its sizes file already removed: its .idx holds them
      const { sizes } = readMmidx(readFileSync(`${base}.idx`), `${base}.idx`);
      writeFileAtomic(`${base}.sizes.partial`, leBytes(Uint32Array.from(sizes)));
    }
    if (this.idx && !existsSync(`${base}.sizes.partial`) && this.openDocs > 0)
      throw new DataError(`${base}.sizes.partial: missing, but the checkpoint says the open shard holds ${this.openDocs} documents — start over with --force`);
    cutTo(`${base}.bin.partial`, this.openTokens * 2);
    if (this.idx) cutTo(`${base}.sizes.partial`, this.openDocs * 4);
    const mine = new RegExp(`^${this.split}-(\\d{6})\\.(bin|idx|bin\\.partial|sizes\\.partial|idx\\.tmp|sizes\\.partial\\.tmp)$`);
    for (const f of readdirSync(this.dir)) {
      const m = mine.exec(f);
      if (!m) continue;
      const i = Number(m[1]);
      if (i > k || (i === k && (m[2] === 'idx' || m[2].endsWith('tmp')))) unlinkSync(join(this.dir, f));
    }
  }
}

/** Truncates a file to `bytes`; a missing file is fine only when nothing was committed to it. */
function cutTo(path: string, bytes: number): void {
  if (!existsSync(path)) {
    if (bytes > 0) throw new DataError(`${path}: missing, but the checkpoint says it holds ${bytes} bytes — start over with --force`);
    return;
  }
  const have = statSync(path).size;
  if (have < bytes) throw new DataError(`${path}: ${have} bytes, but the checkpoint says ${bytes} were written and synced — start over with --force`);
  const fd = openSync(path, 'r+');
  try {
    ftruncateSync(fd, bytes);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** The little-endian bytes of a typed array (a view on little-endian machines, a swapped copy otherwise). */
function leBytes(a: Uint16Array | Uint32Array): Uint8Array {
  const bytes = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  if (LITTLE_ENDIAN) return bytes;
  const out = new Uint8Array(bytes.length);
  const w = a.BYTES_PER_ELEMENT;
  for (let i = 0; i < bytes.length; i += w) for (let j = 0; j < w; j++) out[i + j] = bytes[i + w - 1 - j];
  return out;
}

function sha256File(path: string): string {
  const h = createHash('sha256');
  const fd = openSync(path, 'r');
  const buf = Buffer.allocUnsafe(1 << 22);
  try {
    for (let n; (n = readSync(fd, buf, 0, buf.length, null)) > 0; ) h.update(buf.subarray(0, n));
  } finally {
    closeSync(fd);
  }
  return h.digest('hex');
}
