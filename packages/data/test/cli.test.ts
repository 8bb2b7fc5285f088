// The built command end to end: progress line fields, the summary, the embedded corpus by default, `info
// --verify`, `synthetic`.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProgressLine, formatDuration } from '../src/pipeline/progress.js';
import type { ProgressSnapshot } from '../src/pipeline/tokenize-corpus.js';
import { sotuFiles } from '../src/corpus/sotu.js';
import { runCli } from './cli.js';
import { tiktokenIds } from './helpers.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'hippo-data-cli-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('progress', () => {
  it('shows documents/s, tokens/s, MB/s, busy workers and an ETA from the smoothed byte rate', async () => {
    const lines: string[] = [];
    const sink = { write: (s: string) => lines.push(s) } as unknown as NodeJS.WriteStream;
    const p = new ProgressLine(sink, 'tty');
    const snap = (raw: number, docs: number, tokens: number): ProgressSnapshot => ({
      rawBytesTotal: 100e6, rawBytesRead: raw, rawBytesAtStart: 0, docs, tokens, textBytes: raw, tokensAtStart: 0, docsAtStart: 0,
      busyWorkers: 2, workers: 3, reorderDepth: 1, file: 4, files: 30,
    });
    p.update(snap(0, 0, 0));
    await new Promise((r) => setTimeout(r, 200));
    p.update(snap(10e6, 1000, 2e6));
    const line = lines.at(-1)!;
    expect(line).toMatch(/file 5\/30 10\.0%/);
    expect(line).toMatch(/docs 1,000 \(\d[\d.,k]*\/s\)/);
    expect(line).toMatch(/tokens 2\.00M \([\d.]+M\/s\)/);
    expect(line).toMatch(/in [\d.]+ MB\/s/);
    expect(line).toContain('workers 2/3');
    // 90 MB left at ~50 MB/s (10 MB in ~0.2 s): an ETA of a few seconds
    expect(line).toMatch(/ETA \d+(\.\d)?s/);
    expect(formatDuration(75)).toBe('1m15s');
    expect(formatDuration(4000)).toBe('1h06m');
  });
});

describe('hippo-data', () => {
  it('tokenizes with a live progress line and prints a summary; info --verify checks every shard', async () => {
    const out = join(dir, 'sotu');
    const r = await runCli(['tokenize', ...sotuFiles().slice(0, 40), '--out', out, '--workers', '2', '--progress', 'tty', '--val-fraction', '0.1', '--shard-tokens', '100000']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('\r\x1b[2K'); // the redrawn line
    expect(r.stderr).toMatch(/docs [\d,]+ .* tokens [\d.,kM]+ .* workers \d\/2 .* ETA/);
    expect(r.stderr).toMatch(/split\s+shards\s+documents\s+tokens\s+tokens\/doc/);
    expect(r.stderr).toMatch(/train\s+\d+\s+\d+\s+[\d,]+/);
    expect(r.stderr).toContain(`wrote ${join(out, 'manifest.json')}`);

    const ok = await runCli(['info', out, '--verify']);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toContain('ok  train-000000.bin');
    const shard = join(out, 'train-000001.bin');
    const b = readFileSync(shard);
    b[10] ^= 1;
    writeFileSync(shard, b);
    const bad = await runCli(['info', out, '--verify']);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain('BAD train-000001.bin: SHA-256 differs from the manifest');
  });

  it('uses the embedded corpus when no input is given', async () => {
    const r = await runCli(['tokenize', '--out', join(dir, 'default'), '--progress', 'none', '--val-fraction', '0']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('using the embedded corpus (233 State of the Union addresses');
    const m = JSON.parse(readFileSync(join(dir, 'default', 'manifest.json'), 'utf8'));
    expect(m.counts.records).toBe(233);
    // what the independent tokenizer gives for the 233 addresses, plus one EOT each
    const want = sotuFiles().reduce((n, f) => n + tiktokenIds(readFileSync(f, 'utf8')).length + 1, 0);
    expect(m.splits.train.tokens).toBe(want);
  });

  it('writes a synthetic task as JSON', async () => {
    const f = join(dir, 'ih.json');
    const r = await runCli(['synthetic', 'induction-head', '--out', f, '--examples', '100', '--test-examples', '10', '--seed', '3']);
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(readFileSync(f, 'utf8'));
    expect(j).toMatchObject({ format: 'hippo-data/synthetic', task: 'induction-head', vocabSize: 20, seqLen: 31 });
    expect(j.train.inputs.length).toBe(100 * 31);
    const u = await runCli(['synthetic', 'copying', '--out', f]);
    expect(u.code).toBe(2);
  });
});
