// The tokenization job: source files → units (main thread) → tokenizer pool (worker threads) → ordered
// commit into shards, with checkpoints, resume and a manifest at the end (design/data.md §4).
//
// Guarantees: the output depends only on the inputs and the output-shaping options, never on the number of
// workers or on interruptions. Results are committed strictly in unit order; a checkpoint records the committed
// prefix after fsync-ing the shards; a resumed run cuts the shards back to the checkpoint, re-reads the source
// file it was in from the start (re-hashing it, skipping committed units) and carries on.
import { availableParallelism } from 'node:os';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readdirSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { DataError, InputError, UsageError } from '../errors.js';
import { type InputFormat, type SourceFile, listSources } from '../readers/formats.js';
import { SourceReader } from '../readers/read-source.js';
import { type SpecialInText, SPECIAL_IN_TEXT, TOKENIZER } from '../tokenizer.js';
import { writeFileAtomic } from './atomic.js';
import { type Checkpoint, type Manifest, MANIFEST_FILE, PROGRESS_FILE, readOwnJson } from './manifest.js';
import { type PoolOutcome, TokenizerPool } from './pool.js';
import { SplitWriter } from './shard-writer.js';
import { DEFAULT_VAL_FRACTION, DEFAULT_VAL_SEED } from './split.js';
import { type UnitResult, type WorkerConfig, addCounts, zeroCounts } from './unit.js';

/** Options of {@link tokenizeCorpus}; all but `inputs` and `out` have defaults. */
export interface TokenizeOptions {
  /** files and folders (walked recursively, sorted by path) */
  inputs: string[];
  /** output folder; created if missing */
  out: string;
  /** force one format for every input instead of recognising it by file name */
  format?: InputFormat;
  /** JSON field / Parquet column holding the text (default "text") */
  textField?: string;
  /** keep only Pile records with these `meta.pile_set_name` values (default: all) */
  pileSets?: string[] | null;
  /** tokenizer worker threads (default: available cores − 1, at least 1); does not change the output */
  workers?: number;
  /** target bytes of text per unit of work (default 1 MiB); part of a run's identity for resuming */
  batchBytes?: number;
  /** fraction of documents in val (default 0.0005) */
  valFraction?: number;
  /** seed of the split (default 2357) */
  valSeed?: number;
  /** a shard is closed before a document that would take it past this many tokens (default 2^30 = 2 GiB) */
  shardTokens?: number;
  /** also write Megatron/GPT-NeoX `.idx` files (default false) */
  idx?: boolean;
  /** `<|endoftext|>` inside documents: ordinary text (default) or EOT */
  specialInText?: SpecialInText;
  /** skip and count malformed records instead of stopping at the first (default false) */
  skipBad?: boolean;
  /** discard a finished or unfinished run in `out` and start over (default false) */
  force?: boolean;
  /** seconds between checkpoints (default 2; 0 = after every unit) */
  checkpointSeconds?: number;
  /** called about 4×/s with the state of the run */
  onProgress?: (p: ProgressSnapshot) => void;
  /** notes for the operator (resume, skipped files, skipped records) */
  log?: (line: string) => void;
}

/** The state of a run, for progress displays. Counts cover the whole run, resumed parts included. */
export interface ProgressSnapshot {
  /** raw (stored) bytes of all sources, and how many were read by this process */
  rawBytesTotal: number;
  rawBytesRead: number;
  /** raw bytes that were already done when this process started (skipped files) */
  rawBytesAtStart: number;
  docs: number;
  tokens: number;
  textBytes: number;
  /** tokens committed when this process started (a resumed run) */
  tokensAtStart: number;
  docsAtStart: number;
  busyWorkers: number;
  workers: number;
  /** results waiting for an earlier unit before they can be written */
  reorderDepth: number;
  file: number;
  files: number;
}

/** What {@link tokenizeCorpus} returns. */
export interface TokenizeSummary {
  manifest: Manifest;
  /** this call continued an interrupted run */
  resumed: boolean;
  /** the folder already held this finished run; nothing was done */
  alreadyDone: boolean;
  seconds: number;
}

/**
 * Tokenizes a corpus into uint16 shards plus `manifest.json` in `out`. Re-running the same call after a crash
 * continues from the last checkpoint and yields byte-identical files.
 * @example
 * const { manifest } = await tokenizeCorpus({ inputs: ['pile/val.jsonl.zst'], out: 'tokens/pile-val', valFraction: 0 });
 * console.log(manifest.splits.train.tokens);
 */
export async function tokenizeCorpus(options: TokenizeOptions): Promise<TokenizeSummary> {
  const t0 = performance.now();
  const o = withDefaults(options);
  const { sources, skipped } = listSources(o.inputs, o.format);
  if (skipped.size > 0) o.log(`skipped files of unsupported formats: ${[...skipped].map(([ext, n]) => `${ext} ×${n}`).join(', ')}`);
  mkdirSync(o.out, { recursive: true });
  const unlock = lock(o.out);
  try {
    return await run(o, sources, t0);
  } finally {
    unlock();
  }
}

type Resolved = Required<Omit<TokenizeOptions, 'format' | 'onProgress'>> & Pick<TokenizeOptions, 'format' | 'onProgress'>;

function withDefaults(o: TokenizeOptions): Resolved {
  const r: Resolved = {
    inputs: o.inputs,
    out: o.out,
    format: o.format,
    textField: o.textField ?? 'text',
    pileSets: o.pileSets && o.pileSets.length > 0 ? [...o.pileSets].sort() : null,
    workers: o.workers ?? Math.max(1, availableParallelism() - 1),
    batchBytes: o.batchBytes ?? 1 << 20,
    valFraction: o.valFraction ?? DEFAULT_VAL_FRACTION,
    valSeed: o.valSeed ?? DEFAULT_VAL_SEED,
    shardTokens: o.shardTokens ?? 2 ** 30,
    idx: o.idx ?? false,
    specialInText: o.specialInText ?? 'ordinary',
    skipBad: o.skipBad ?? false,
    force: o.force ?? false,
    checkpointSeconds: o.checkpointSeconds ?? 2,
    onProgress: o.onProgress,
    log: o.log ?? (() => {}),
  };
  const int = (name: string, v: number, min: number, max = Number.MAX_SAFE_INTEGER) => {
    if (!Number.isInteger(v) || v < min || v > max) throw new UsageError(`${name} must be an integer in [${min}, ${max}]; got ${v}`);
  };
  int('workers', r.workers, 1, 256);
  int('batchBytes', r.batchBytes, 1);
  int('valSeed', r.valSeed, 0, 2 ** 32 - 1);
  int('shardTokens', r.shardTokens, 1, 2 ** 40);
  if (!(r.valFraction >= 0 && r.valFraction <= 1)) throw new UsageError(`valFraction must be in [0, 1]; got ${r.valFraction}`);
  if (!(r.checkpointSeconds >= 0)) throw new UsageError(`checkpointSeconds must be ≥ 0; got ${r.checkpointSeconds}`);
  if (!SPECIAL_IN_TEXT.includes(r.specialInText)) throw new UsageError(`specialInText must be one of ${SPECIAL_IN_TEXT.join(', ')}; got '${r.specialInText}'`);
  if (r.textField.length === 0) throw new UsageError('textField must not be empty');
  return r;
}

async function run(o: Resolved, sources: SourceFile[], t0: number): Promise<TokenizeSummary> {
  const manifestPath = join(o.out, MANIFEST_FILE);
  const progressPath = join(o.out, PROGRESS_FILE);
  const outputOptions: Manifest['options'] = { textField: o.textField, pileSets: o.pileSets, skipBad: o.skipBad, shardTokens: o.shardTokens, idx: o.idx };
  const split: Manifest['split'] = { method: 'seeded-hash', valFraction: o.valFraction, seed: o.valSeed };
  // everything that shapes the output or the unit numbering; not the worker count
  const fingerprint = JSON.stringify({
    sources: sources.map((s) => [s.path, s.format, s.bytes, s.mtimeMs]),
    options: outputOptions,
    split,
    specialInText: o.specialInText,
    batchBytes: o.batchBytes,
  });

  if (o.force) clearOutput(o.out);
  const done = readOwnJson<Manifest>(manifestPath, 'hippo-data/token-shards');
  if (done) {
    const same =
      JSON.stringify(done.sources.map((s) => [s.path, s.format, s.bytes])) === JSON.stringify(sources.map((s) => [s.path, s.format, s.bytes])) &&
      JSON.stringify(done.options) === JSON.stringify(outputOptions) &&
      JSON.stringify(done.split) === JSON.stringify(split) &&
      done.tokenizer.specialInText === o.specialInText;
    if (!same) throw new DataError(`${o.out} already holds a finished run of other inputs or options (see its ${MANIFEST_FILE}); use --force to replace it, or another output folder`);
    // a run killed between writing the manifest and removing its checkpoint left the checkpoint behind
    if (existsSync(progressPath)) unlinkSync(progressPath);
    o.log(`${o.out}: already complete (${MANIFEST_FILE} present); nothing to do — use --force to redo it`);
    return { manifest: done, resumed: false, alreadyDone: true, seconds: (performance.now() - t0) / 1000 };
  }
  const ckpt = readOwnJson<Checkpoint>(progressPath, 'hippo-data/progress');
  if (ckpt && ckpt.fingerprint !== fingerprint)
    throw new DataError(`${o.out} holds an unfinished run of other inputs or options (inputs changed since?); use --force to discard it and start over, or another output folder`);
  if (!ckpt) clearOutput(o.out); // leftovers of a run killed before its first checkpoint
  else o.log(`resuming: ${ckpt.nextSeq} units committed; continuing from ${sources[ckpt.file]?.path ?? 'the end'}`);

  const writers = {
    train: new SplitWriter(o.out, 'train', o.shardTokens, o.idx, ckpt?.writers.train),
    val: new SplitWriter(o.out, 'val', o.shardTokens, o.idx, ckpt?.writers.val),
  };
  const counts = ckpt ? { ...ckpt.counts } : zeroCounts();
  const pileSets: UnitResult['pileSets'] = ckpt ? structuredClone(ckpt.pileSets) : {};
  const sha256: string[] = ckpt ? [...ckpt.sha256] : [];
  // per source file read by this process: seq of its first unit, one past its last (once read), its hash
  const files: { startSeq: number; endSeq?: number }[] = [];
  let nextSeq = ckpt?.nextSeq ?? 0;
  const firstFile = ckpt?.file ?? 0;

  const cfg: WorkerConfig = { specialInText: o.specialInText, textField: o.textField, pileSets: o.pileSets, skipBad: o.skipBad, valFraction: o.valFraction, valSeed: o.valSeed };
  const pool = new TokenizerPool(o.workers, cfg);
  const inflight = new Map<number, { fileName: string; outcome: Promise<PoolOutcome> }>();
  let finished = 0; // results back from the pool and not yet committed (the reorder buffer)
  const maxInFlight = 3 * o.workers + 2; // two posted to each worker, plus room to read ahead

  const checkpoint = () => {
    // the committed prefix ends in the first file not completely committed; re-read it from its start
    let f = firstFile;
    while (f < sources.length && files[f]?.endSeq !== undefined && files[f].endSeq! <= nextSeq) f++;
    writers.train.sync();
    writers.val.sync();
    const c: Checkpoint = {
      format: 'hippo-data/progress',
      version: 1,
      fingerprint,
      nextSeq,
      file: f,
      fileStartSeq: files[f]?.startSeq ?? nextSeq,
      sha256: sha256.slice(0, f),
      writers: { train: writers.train.state(), val: writers.val.state() },
      counts,
      pileSets,
    };
    writeFileAtomic(progressPath, JSON.stringify(c));
  };
  let lastCheckpoint = performance.now();

  let commitFailure: { error: unknown } | undefined; // an error raised while committing ends the run at once
  const commitNext = async () => {
    try {
      await commitOne();
    } catch (e) {
      commitFailure = { error: e };
      throw e;
    }
  };
  const commitOne = async () => {
    const seq = nextSeq;
    const entry = inflight.get(seq)!;
    const out = await entry.outcome;
    inflight.delete(seq);
    finished--;
    if (!out.ok) throw new Error(out.message); // a bug or a crashed worker, not bad input
    const r = out.result;
    if (r.error) {
      checkpoint(); // everything before this unit stays committed
      const { line, member, offset, offsetEnd, memberOffset, message } = r.error;
      throw new InputError({ file: entry.fileName, line, member, offset, offsetEnd, memberOffset }, message, r.error.line !== undefined ? 'fix or drop the record, or pass --skip-bad to skip and count malformed records' : undefined);
    }
    for (const b of r.badSamples) o.log(`skipped a malformed record: ${entry.fileName}${b.line !== undefined ? `:${b.line}` : ''}${b.member ? `, member ${b.member}` : ''}: ${b.message}`);
    writers.train.append(r.train);
    writers.val.append(r.val);
    addCounts(counts, r.counts);
    for (const [k, v] of Object.entries(r.pileSets)) {
      const s = (pileSets[k] ??= { docs: 0, tokens: 0 });
      s.docs += v.docs;
      s.tokens += v.tokens;
    }
    nextSeq++;
    if (performance.now() - lastCheckpoint >= o.checkpointSeconds * 1000) {
      checkpoint();
      lastCheckpoint = performance.now();
    }
  };

  // progress
  let reader: SourceReader | undefined;
  let rawDone = 0; // raw bytes of files finished by this process
  const rawAtStart = sources.slice(0, firstFile).reduce((n, s) => n + s.bytes, 0);
  const rawTotal = sources.reduce((n, s) => n + s.bytes, 0);
  const tokensAtStart = writers.train.totals().tokens + writers.val.totals().tokens;
  const docsAtStart = writers.train.totals().docs + writers.val.totals().docs;
  let fileNow = firstFile;
  const snapshot = (): ProgressSnapshot => {
    const tr = writers.train.totals();
    const va = writers.val.totals();
    return {
      rawBytesTotal: rawTotal,
      rawBytesRead: rawAtStart + rawDone + (reader?.rawBytes ?? 0),
      rawBytesAtStart: rawAtStart,
      docs: tr.docs + va.docs,
      tokens: tr.tokens + va.tokens,
      textBytes: counts.textBytes,
      tokensAtStart,
      docsAtStart,
      busyWorkers: pool.busy,
      workers: o.workers,
      reorderDepth: finished,
      file: fileNow,
      files: sources.length,
    };
  };
  const onProgress = o.onProgress;
  const timer = onProgress ? setInterval(() => onProgress(snapshot()), 250) : undefined;

  try {
    let seq = ckpt?.fileStartSeq ?? 0;
    let readError: unknown;
    try {
      for (let f = firstFile; f < sources.length; f++) {
        fileNow = f;
        files[f] = { startSeq: seq };
        reader = new SourceReader(sources[f], { batchBytes: o.batchBytes, textField: o.textField });
        for await (const body of reader.units()) {
          const s = seq++;
          if (s < nextSeq) continue; // committed before the interruption: read again for the hash only
          while (inflight.size >= maxInFlight) await commitNext();
          const outcome = pool.run({ seq: s, file: f, fileName: sources[f].path, body });
          void outcome.then(() => finished++);
          inflight.set(s, { fileName: sources[f].path, outcome });
        }
        files[f].endSeq = seq;
        sha256[f] = reader.sha256();
        rawDone += sources[f].bytes;
        reader = undefined;
      }
    } catch (e) {
      if (commitFailure) throw commitFailure.error;
      readError = e;
    }
    // commit what was read before any read error: an error in an earlier unit is the one to report
    while (inflight.size > 0) await commitNext();
    if (readError) {
      checkpoint();
      throw readError;
    }
    checkpoint();
    const train = writers.train.finish();
    const val = writers.val.finish();
    const manifest: Manifest = {
      format: 'hippo-data/token-shards',
      version: 1,
      tokenizer: { ...TOKENIZER, specialInText: o.specialInText },
      dtype: 'uint16',
      endianness: 'little',
      split,
      options: outputOptions,
      sources: sources.map((s, i) => ({ path: s.path, format: s.format, bytes: s.bytes, sha256: sha256[i] })),
      splits: {
        train: { ...writers.train.totals(), shards: train },
        val: { ...writers.val.totals(), shards: val },
      },
      counts,
      pileSets: Object.fromEntries(Object.entries(pileSets).sort(([a], [b]) => (a < b ? -1 : 1))),
    };
    writeFileAtomic(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
    unlinkSync(progressPath);
    onProgress?.(snapshot());
    return { manifest, resumed: ckpt !== undefined, alreadyDone: false, seconds: (performance.now() - t0) / 1000 };
  } finally {
    if (timer) clearInterval(timer);
    await pool.close();
  }
}

/** Removes this package's files from an output folder (nothing else). */
function clearOutput(dir: string): void {
  const ours = /^(manifest\.json|progress\.json|(train|val)-\d{6}\.(bin|idx|bin\.partial|sizes\.partial))(\.tmp)?$/;
  for (const f of readdirSync(dir)) if (ours.test(f)) unlinkSync(join(dir, f));
}

/** One writer per output folder: a lock file holding the pid; a lock left by a killed process is taken over. */
function lock(dir: string): () => void {
  const path = join(dir, '.hippo-data.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => {
        if (existsSync(path)) unlinkSync(path);
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const pid = Number(readFileSync(path, 'utf8'));
      if (pid !== process.pid && alive(pid)) throw new DataError(`${dir} is being written by another hippo-data process (pid ${pid}); wait for it, or stop it first`);
      unlinkSync(path); // stale: its process is gone
    }
  }
  throw new DataError(`${dir}: could not take the lock ${path}`);
}

function alive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
  // a killed process whose parent has not reaped it yet (a zombie) still answers kill(pid, 0)
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return true; // no /proc (not Linux): trust kill(pid, 0)
  }
}
