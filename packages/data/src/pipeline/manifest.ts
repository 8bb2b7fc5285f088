// The JSON written last into an output folder (`manifest.json`) and the checkpoint written while a run is in
// progress (`progress.json`). The manifest holds nothing that varies between an interrupted-and-resumed run
// and an uninterrupted one (no times, no worker count), so it is byte-identical too.
import { existsSync, readFileSync } from 'node:fs';
import { DataError } from '../errors.js';
import type { InputFormat } from '../readers/formats.js';
import type { SpecialInText } from '../tokenizer.js';
import type { ShardInfo, SplitWriterState } from './shard-writer.js';
import type { UnitCounts, UnitResult } from './unit.js';

export const MANIFEST_FILE = 'manifest.json';
export const PROGRESS_FILE = 'progress.json';

/** One split in the manifest. */
export interface SplitSummary {
  tokens: number;
  docs: number;
  /** shards in order; their concatenation is nanoGPT's `<split>.bin` */
  shards: ShardInfo[];
}

/** `manifest.json`: what a finished output folder holds and how it was made. */
export interface Manifest {
  format: 'hippo-data/token-shards';
  version: 1;
  tokenizer: { name: 'gpt2'; encoding: 'r50k_base'; library: string; vocabSize: number; eot: number; specialInText: SpecialInText };
  /** every shard is a flat array of this dtype, little-endian, no header (nanoGPT's train.bin layout) */
  dtype: 'uint16';
  endianness: 'little';
  /** document-level split: a document goes to val when hash(seed, key) < valFraction · 2^32 (see split.ts) */
  split: { method: 'seeded-hash'; valFraction: number; seed: number };
  options: { textField: string; pileSets: string[] | null; skipBad: boolean; shardTokens: number; idx: boolean };
  sources: { path: string; format: InputFormat; bytes: number; sha256: string }[];
  splits: { train: SplitSummary; val: SplitSummary };
  counts: UnitCounts;
  /** per Pile component (`meta.pile_set_name`): documents and tokens kept */
  pileSets: UnitResult['pileSets'];
}

/** `progress.json`: enough to continue a run exactly where its last checkpoint was. */
export interface Checkpoint {
  format: 'hippo-data/progress';
  version: 1;
  /** options and sources (with sizes and mtimes) the run was started with; a resume must match */
  fingerprint: string;
  /** units [0, nextSeq) are committed */
  nextSeq: number;
  /** the source file to read from next (from its start), and the seq of its first unit */
  file: number;
  fileStartSeq: number;
  /** SHA-256 of the source files before `file` */
  sha256: string[];
  writers: { train: SplitWriterState; val: SplitWriterState };
  counts: UnitCounts;
  pileSets: UnitResult['pileSets'];
}

/** Reads a JSON file this package wrote, checking its format tag and version. */
export function readOwnJson<T extends { format: string; version: number }>(path: string, format: T['format']): T | undefined {
  if (!existsSync(path)) return undefined;
  let v: T;
  try {
    v = JSON.parse(readFileSync(path, 'utf8')) as T;
  } catch (e) {
    throw new DataError(`${path}: not valid JSON (${(e as Error).message}); it was not written by hippo-data, or was edited — remove it or use --force`);
  }
  if (v.format !== format || v.version !== 1)
    throw new DataError(`${path}: expected format "${format}" version 1; got "${v.format}" version ${v.version} — use --force to start over`);
  return v;
}
