// The whole pipeline on generated fixtures of every input format: the token streams equal an independent
// reference (tiktoken over the documents each format must yield, split by the documented rule), and the
// output files are byte-identical for 1 and N workers and for any batch size.
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readMmidx } from '../src/pipeline/mmidx.js';
import { tokenizeCorpus } from '../src/pipeline/tokenize-corpus.js';
import { EOT } from '../src/tokenizer.js';
import { type Fixture, writeFixtures } from './fixtures.js';
import { expectedStreams, firstDiff, readOutput, testSeed } from './helpers.js';

const seed = testSeed();
const tag = `(HIPPO_SEED=${seed})`;
let dir: string;
let fixtures: Fixture[];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'hippo-data-pipeline-'));
  fixtures = await writeFixtures(join(dir, 'in'), seed);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** every file of an output folder, name → bytes */
function files(out: string): Map<string, Buffer> {
  return new Map(readdirSync(out).sort().map((f) => [f, readFileSync(join(out, f))]));
}

describe('tokenizeCorpus on every input format', () => {
  const valFraction = 0.3; // large, so that every format puts documents in both splits
  const valSeed = 2357;

  it('writes the reference token streams, counts and checksums; 1 and 3 workers and any batch size give identical bytes', async () => {
    const inputs = fixtures.map((f) => f.path);
    const base = { inputs, valFraction, valSeed, idx: true, shardTokens: 3000, checkpointSeconds: 0 };
    const a = join(dir, 'w1');
    const s1 = await tokenizeCorpus({ ...base, out: a, workers: 1, batchBytes: 2048 });
    expect(s1.resumed).toBe(false);
    const { manifest, train, val } = readOutput(a);
    const want = expectedStreams(fixtures, valFraction, valSeed);
    expect(firstDiff(train, want.train), `train ${tag}`).toBe('equal');
    expect(firstDiff(val, want.val), `val ${tag}`).toBe('equal');
    expect(manifest.splits.train.docs).toBe(want.trainDocs);
    expect(manifest.splits.val.docs).toBe(want.valDocs);
    expect(want.valDocs, `val must not be empty ${tag}`).toBeGreaterThan(0);
    const allDocs = fixtures.flatMap((f) => f.docs);
    expect(manifest.counts.records).toBe(allDocs.length);
    expect(manifest.counts.emptyDocs).toBe(allDocs.filter((d) => d.text === '').length);
    expect(manifest.sources.map((s) => s.format)).toEqual(['text', 'text', 'text', 'jsonl', 'jsonl.zst', 'owt-tar', 'owt-xz', 'parquet']);
    expect(manifest.sources[0].sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(Object.keys(manifest.pileSets).sort()).toEqual(['ArXiv', 'Github', 'Pile-CC']);

    // shards: documents never straddle them; each is at most shardTokens unless one document alone is larger;
    // each .idx lists the shard's documents (every one ending in EOT)
    for (const split of ['train', 'val'] as const) {
      for (const s of manifest.splits[split].shards) {
        const bin = readFileSync(join(a, s.file));
        const idx = readMmidx(readFileSync(join(a, s.idx!)));
        expect(idx.sizes.length).toBe(s.docs);
        expect(idx.sizes.reduce((x, y) => x + y, 0)).toBe(s.tokens);
        expect(bin.length).toBe(s.tokens * 2);
        if (s.docs > 1) expect(s.tokens).toBeLessThanOrEqual(3000);
        for (let d = 0; d < s.docs; d++) expect(bin.readUInt16LE(idx.pointers[d] + 2 * (idx.sizes[d] - 1))).toBe(EOT);
      }
    }
    expect(manifest.splits.train.shards.length).toBeGreaterThan(2);

    const b = join(dir, 'w3');
    await tokenizeCorpus({ ...base, out: b, workers: 3, batchBytes: 1 << 20 });
    const fa = files(a);
    const fb = files(b);
    expect([...fb.keys()]).toEqual([...fa.keys()]);
    for (const [name, bytes] of fa) expect(bytes.equals(fb.get(name)!), `${name} differs between 1 and 3 workers ${tag}`).toBe(true);

    // running the finished command again does nothing, and removes a checkpoint left by a kill between
    // writing the manifest and deleting the checkpoint
    writeFileSync(join(b, 'progress.json'), '{}');
    const again = await tokenizeCorpus({ ...base, out: b, workers: 2, batchBytes: 1 << 20 });
    expect(again.alreadyDone).toBe(true);
    expect([...files(b).keys()]).toEqual([...fa.keys()]);
  });

  it('keeps only the requested Pile components and counts the rest as filtered', async () => {
    const zst = fixtures.find((f) => f.path.endsWith('.jsonl.zst'))!;
    const out = join(dir, 'github');
    const { manifest } = await tokenizeCorpus({ inputs: [zst.path], out, pileSets: ['Github'], valFraction: 0, workers: 2 });
    expect(Object.keys(manifest.pileSets)).toEqual(['Github']);
    expect(manifest.counts.filtered).toBeGreaterThan(0);
    expect(manifest.counts.filtered + manifest.pileSets.Github.docs + manifest.counts.emptyDocs).toBe(manifest.counts.records);
    expect(manifest.splits.train.tokens).toBe(manifest.pileSets.Github.tokens);
  });

  it('walks folders in sorted order and skips files of unknown formats, saying so', async () => {
    const notes: string[] = [];
    const out = join(dir, 'folder');
    const { manifest } = await tokenizeCorpus({ inputs: [join(dir, 'in', 'texts')], out, valFraction: 0, workers: 1, log: (l) => notes.push(l) });
    expect(manifest.sources.map((s) => s.path.slice(s.path.indexOf('texts')))).toEqual(['texts/a.txt', 'texts/b.txt', 'texts/sub/c.txt']);
    expect(notes.join('\n')).toContain('.json ×1');
    expect(manifest.counts.emptyDocs).toBe(1); // b.txt is empty: no tokens, no EOT
  });
});
