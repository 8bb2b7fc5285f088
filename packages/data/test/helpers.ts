// Shared test helpers: replayable seeds, the independent reference tokenizer (tiktoken's WASM build of OpenAI's
// Rust BPE), the expected token stream of fixtures, and reading an output folder back.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { get_encoding } from 'tiktoken';
import { isVal } from '../src/pipeline/split.js';
import type { Manifest } from '../src/pipeline/manifest.js';
import { EOT } from '../src/tokenizer.js';
import type { Fixture } from './fixtures.js';

/** A fresh seed per run, or HIPPO_SEED to replay one; tests put it in their failure messages. */
export function testSeed(): number {
  const env = process.env.HIPPO_SEED;
  if (env !== undefined && env !== '') return Number(env) >>> 0;
  return (Math.random() * 2 ** 32) >>> 0;
}

const gpt2 = get_encoding('gpt2');

/** tiktoken `encode_ordinary`: special-token literals are plain text, as nanoGPT tokenizes. */
export function tiktokenIds(text: string): number[] {
  return Array.from(gpt2.encode_ordinary(text));
}

/** The train and val streams a correct pipeline must write for `fixtures` (file i = fixtures[i]). */
export function expectedStreams(fixtures: Fixture[], valFraction: number, valSeed: number): { train: number[]; val: number[]; trainDocs: number; valDocs: number } {
  const r = { train: [] as number[], val: [] as number[], trainDocs: 0, valDocs: 0 };
  fixtures.forEach((f, file) => {
    for (const d of f.docs) {
      if (d.text.length === 0) continue;
      const toVal = isVal(valFraction, valSeed, file, d.a, d.b);
      const ids = tiktokenIds(d.text);
      for (const t of ids) (toVal ? r.val : r.train).push(t);
      (toVal ? r.val : r.train).push(EOT);
      if (toVal) r.valDocs++;
      else r.trainDocs++;
    }
  });
  return r;
}

/** The manifest and the concatenated shards of each split of an output folder. */
export function readOutput(dir: string): { manifest: Manifest; train: Uint16Array; val: Uint16Array } {
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as Manifest;
  const cat = (split: 'train' | 'val') => {
    const parts = manifest.splits[split].shards.map((s) => readFileSync(join(dir, s.file)));
    const b = Buffer.concat(parts);
    return new Uint16Array(b.buffer, b.byteOffset, b.length / 2).slice();
  };
  return { manifest, train: cat('train'), val: cat('val') };
}

/** Index and values of the first difference of two sequences, for failure messages. */
export function firstDiff(a: ArrayLike<number>, b: ArrayLike<number>): string {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return `first difference at ${i}: ${a[i]} vs ${b[i]} (lengths ${a.length}, ${b.length})`;
  return a.length === b.length ? 'equal' : `lengths differ: ${a.length} vs ${b.length}`;
}
