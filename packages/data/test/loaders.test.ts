// Loaders: windows read by offset across shard boundaries equal slices of the concatenated stream; random
// windows are seeded and resumable; sequential windows cover every target once; memory stays bounded on a
// (sparse) token file larger than the machine's RAM.
import { closeSync, ftruncateSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TokenShards } from '../src/loaders/token-shards.js';
import { RandomWindows, SequentialWindows } from '../src/loaders/windows.js';
import { tokenizeCorpus } from '../src/pipeline/tokenize-corpus.js';
import { Rng } from '../src/rng.js';
import { sotuFiles } from '../src/corpus/sotu.js';
import { testSeed } from './helpers.js';

const seed = testSeed();
const tag = `(HIPPO_SEED=${seed})`;
let dir: string;
let all: Uint16Array; // the concatenation of the shards
let files: string[];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'hippo-data-loaders-'));
  const rng = new Rng(seed);
  const sizes = [37, 1, 64, 29]; // awkward shard lengths, one of a single token
  all = new Uint16Array(sizes.reduce((a, b) => a + b, 0));
  for (let i = 0; i < all.length; i++) all[i] = rng.int(50257);
  files = [];
  let o = 0;
  sizes.forEach((n, i) => {
    const f = join(dir, `train-${String(i).padStart(6, '0')}.bin`);
    writeFileSync(f, Buffer.from(all.buffer, o * 2, n * 2));
    files.push(f);
    o += n;
  });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('TokenShards', () => {
  it('reads any range as the same slice of the concatenated shards', () => {
    const t = new TokenShards(files);
    expect(t.length).toBe(all.length);
    const rng = new Rng(seed ^ 1);
    for (let k = 0; k < 200; k++) {
      const len = 1 + rng.int(all.length);
      const off = rng.int(all.length - len + 1);
      const out = new Uint16Array(len);
      t.read(off, out);
      expect(Array.from(out), `[${off}, ${off + len}) ${tag}`).toEqual(Array.from(all.subarray(off, off + len)));
    }
    expect(() => t.read(all.length - 2, new Uint16Array(3))).toThrow(RangeError);
    t.close();
  });

  it('opens a tokenized folder through its manifest', async () => {
    const out = join(dir, 'tok');
    const { manifest } = await tokenizeCorpus({ inputs: sotuFiles().slice(0, 5), out, valFraction: 0, workers: 1, shardTokens: 10_000 });
    const t = TokenShards.fromManifest(out, 'train');
    expect(t.files.length).toBe(manifest.splits.train.shards.length);
    expect(t.length).toBe(manifest.splits.train.tokens);
    expect(() => TokenShards.fromManifest(out, 'val')).toThrow(/the val split is empty/);
  });
});

describe('RandomWindows', () => {
  const L = 9;

  it('gives contiguous windows of L + 1 tokens at every valid start, the same for the same seed', () => {
    const shards = new TokenShards(files);
    const w = new RandomWindows(shards, { seqLen: L, batchSize: 41, seed });
    const starts = all.length - L; // valid window starts
    const seen = new Set<number>();
    for (let step = 0; step < 100; step++) {
      const batch = w.next();
      expect(batch.length).toBe(41 * (L + 1));
      for (let b = 0; b < 41; b++) {
        const win = Array.from(batch.subarray(b * (L + 1), (b + 1) * (L + 1)));
        // locate the window in the stream (random ids: a match is the true offset with overwhelming probability)
        let at = -1;
        for (let o = 0; o < starts && at < 0; o++) if (win.every((v, i) => v === all[o + i])) at = o;
        expect(at, `window not contiguous in the stream ${tag}`).toBeGreaterThanOrEqual(0);
        seen.add(at);
      }
    }
    // 4100 uniform draws over 122 starts miss one with probability < 122·e^-33.6: every start must occur
    expect(seen.size, tag).toBe(starts);
    const again = new RandomWindows(shards, { seqLen: L, batchSize: 41, seed });
    const first = new RandomWindows(shards, { seqLen: L, batchSize: 41, seed });
    expect(Array.from(again.next())).toEqual(Array.from(first.next()));
    expect(Array.from(new RandomWindows(shards, { seqLen: L, batchSize: 41, seed: seed + 1 }).next())).not.toEqual(Array.from(again.next()));
  });

  it('continues identically from a saved position', () => {
    const shards = new TokenShards(files);
    const a = new RandomWindows(shards, { seqLen: L, batchSize: 3, seed });
    for (let i = 0; i < 5; i++) a.next();
    const saved = JSON.parse(JSON.stringify(a.state())); // as a checkpoint would store it
    const tail = [a.next(), a.next(), a.next()].map((x) => Array.from(x));
    const b = new RandomWindows(shards, { seqLen: L, batchSize: 3, seed, state: saved });
    expect([b.next(), b.next(), b.next()].map((x) => Array.from(x))).toEqual(tail);
  });
});

describe('SequentialWindows', () => {
  it('cuts ⌊(n − 1)/L⌋ windows of L + 1 tokens with stride L, in batches', () => {
    for (const L of [1, 7, 16, 130]) {
      const w = new SequentialWindows(new TokenShards(files), { seqLen: L, batchSize: 4 });
      expect(w.count).toBe(Math.floor((all.length - 1) / L));
      const rows: number[][] = [];
      for (const batch of w) {
        expect(batch.length % (L + 1)).toBe(0);
        expect(batch.length / (L + 1)).toBeLessThanOrEqual(4);
        for (let j = 0; j < batch.length; j += L + 1) rows.push(Array.from(batch.subarray(j, j + L + 1)));
      }
      expect(rows.length).toBe(w.count);
      rows.forEach((r, i) => expect(r).toEqual(Array.from(all.subarray(i * L, i * L + L + 1))));
    }
  });
});

describe('memory', () => {
  it('stays bounded on a token file larger than RAM (a sparse file of zeros)', () => {
    const bytes = Math.ceil((totalmem() * 1.5) / 2) * 2;
    const big = join(dir, 'big.bin');
    const fd = openSync(big, 'w');
    ftruncateSync(fd, bytes);
    closeSync(fd);
    const shards = new TokenShards([big]);
    expect(shards.length).toBe(bytes / 2);
    const before = process.memoryUsage().rss;
    const w = new RandomWindows(shards, { seqLen: 1024, batchSize: 16, seed });
    let sum = 0;
    for (let i = 0; i < 200; i++) sum += w.next().reduce((a, b) => a + b, 0);
    const tail = new Uint16Array(1025);
    shards.read(shards.length - 1025, tail); // the far end, beyond RAM, by offset
    expect(sum + tail.reduce((a, b) => a + b, 0)).toBe(0);
    shards.close();
    // 200 batches of 16 × 1025 tokens are 13 MB in all; a loader that mapped or read the file would grow by GBs
    expect(process.memoryUsage().rss - before).toBeLessThan(64 * 2 ** 20);
  });
});
