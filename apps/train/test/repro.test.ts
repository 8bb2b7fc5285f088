// The reproduction commands on reduced configurations (2 steps per run): the table, results and plots are
// written with the right rows, parallel child processes give the same numbers as a run in this process, the
// language models are matched in parameter count, and 'answer' training scores only the final token.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { syntheticDataset } from '@hippo/data';
import { testSeed } from '@hippo/kernels/testing';
import { describe, expect, it } from 'vitest';
import { openDataSource } from '../src/data/open-source.js';
import { runJobs, type JobResult } from '../src/repro/jobs.js';
import { LM_DEFAULTS, LM_MODELS, lmModelOverrides } from '../src/repro/lm.js';
import { plotFile } from '../src/repro/report.js';
import { SYNTHETIC_MODELS, SYNTHETIC_TASKS, syntheticJobs, type SyntheticReproSettings } from '../src/repro/synthetic.js';
import { runCli } from './cli-run.js';
import { tempDir } from './tiny.js';

const seed = testSeed();

function results(out: string): { settings: Record<string, unknown>; results: JobResult[] } {
  return JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'));
}

/** The table rows of a markdown report, as arrays of cells (header and separator excluded). */
function tableRows(md: string, firstHeader: string): string[][] {
  const lines = md.split('\n');
  const start = lines.findIndex((l) => l.startsWith(`| ${firstHeader} |`));
  expect(start).toBeGreaterThanOrEqual(0);
  const rows: string[][] = [];
  for (let i = start + 2; i < lines.length && lines[i].startsWith('|'); i++) rows.push(lines[i].slice(2, -2).split(' | '));
  return rows;
}

describe('reproduction commands (reduced configurations)', () => {
  it('repro-synthetic writes the accuracy table beside the paper, results and a plot per run; child processes give the numbers of a run in this process', async () => {
    const out = tempDir('repro-synthetic');
    const small = ['--set', 'dModel=8', '--set', 'dInner=16', '--set', 'dState=8', '--examples', '64', '--test-examples', '16'];
    const r = runCli(['repro-synthetic', '--out', out, '--steps', '2', '--eval-every', '0', '--seed', String(seed), '--jobs', '2', ...small]);
    expect(r.stderr).toContain('repro-synthetic: done');
    expect(r.status).toBe(0);
    const md = readFileSync(join(out, 'table.md'), 'utf8');
    expect(r.stdout).toContain(md.trim());
    const rows = tableRows(md, 'task');
    expect(rows.map((c) => c[0])).toEqual(['Induction Head (paper)', 'Induction Head (Hippo)', 'Associative Recall (paper)', 'Associative Recall (Hippo)']);
    expect(md).toContain(`| task | Random | ${SYNTHETIC_MODELS.map((m) => m.label).join(' | ')} |`);
    // the paper's numbers (reference §8.5) and ours, a percentage per model
    expect(rows[0]).toEqual(['Induction Head (paper)', '5.0', '35.6', '6.8', '100.0', '100.0']);
    expect(rows[2]).toEqual(['Associative Recall (paper)', '25.0', '86.0', '78.0', '99.8', '100.0']);
    const saved = results(out).results;
    expect(saved.map((x) => x.id)).toEqual(SYNTHETIC_TASKS.flatMap((t) => SYNTHETIC_MODELS.map((m) => `${t}/${m.key}`)));
    for (const [i, row] of [rows[1], rows[3]].entries()) {
      const accs = saved.slice(4 * i, 4 * i + 4).map((x) => (100 * x.final.accuracy!).toFixed(1));
      expect(row.slice(2)).toEqual(accs);
    }
    for (const x of saved) {
      expect(x.steps).toBe(2);
      expect(x.final.targets).toBe(16); // one scored answer per test example
      expect(readFileSync(join(out, plotFile(x.id)), 'utf8')).toMatch(/^<svg[\s\S]*<\/svg>\n$/);
    }
    expect(tableRows(md, 'task').length + tableRows(md.slice(md.indexOf('| task | model')), 'task').length).toBe(4 + 8);
    // one run again, in this process on this process's threads: the cpu backend's results do not depend on
    // where or on how many threads a run goes, so the losses agree to the bit
    const settings = results(out).settings as unknown as SyntheticReproSettings;
    const job = syntheticJobs(settings).find((j) => j.id === 'assoc-recall/h3')!;
    const [again] = await runJobs([job], { parallel: 1 });
    const child = saved.find((x) => x.id === job.id)!;
    expect(again.final.valLoss).toBe(child.final.valLoss);
    expect(again.trainCurve).toEqual(child.trainCurve);
  }, 60_000);

  it('repro-lm writes the perplexity table beside the paper ordering, results and a plot per run', () => {
    const out = tempDir('repro-lm');
    const args = ['--steps', '2', '--d-model', '16', '--layers', '2', '--batch-size', '2', '--seq-len', '16', '--eval-batches', '1', '--eval-every', '0', '--seed', String(seed)];
    const r = runCli(['repro-lm', '--out', out, '--jobs', '1', ...args]);
    expect(r.stderr).toContain('repro-lm: done');
    expect(r.status).toBe(0);
    const md = readFileSync(join(out, 'table.md'), 'utf8');
    const rows = tableRows(md, 'model');
    expect(rows.map((c) => c[0])).toEqual(LM_MODELS.map((m) => m.label));
    expect(rows.map((c) => c[3])).toEqual(['19.6', '20.6', '21.0', '24.9']);
    expect(md).toMatch(/Paper ordering: Hybrid H3 19\.6 < Transformer 20\.6 < H3 21\.0 < S4D 24\.9\./);
    expect(md).toMatch(/Hippo ordering: .+ < .+ < .+ < .+\(/);
    const saved = results(out);
    expect(saved.results.map((x) => x.id)).toEqual(LM_MODELS.map((m) => `lm/${m.key}`));
    for (const [i, x] of saved.results.entries()) {
      expect(rows[i][4]).toBe(x.final.perplexity.toFixed(1));
      expect(x.final.targets).toBe(2 * 16);
      expect(existsSync(join(out, plotFile(x.id)))).toBe(true);
    }
    expect(results(out).settings.steps).toBe(2);
  }, 60_000);

  it('matches the language models in parameter count through the MLP width', () => {
    for (const s of [LM_DEFAULTS, { ...LM_DEFAULTS, dModel: 128, attnHeads: 8, dInner: 512, seqLen: 256 }]) {
      const m = lmModelOverrides(s);
      const counts = m.map((x) => x.parameters);
      // one more MLP unit changes the count by nLayer·(2d + 1), so the best width is within half of that
      expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual((s.nLayer * (2 * s.dModel + 1)) / 2);
      expect(m.find((x) => x.model.key === 'h3')!.overrides.dInner).toBe(s.dInner); // the largest mixer keeps its width
      expect(m.find((x) => x.model.key === 'transformer')!.overrides.maxPositionEmbeddings).toBe(s.seqLen);
    }
  });

  it("trainOn 'answer' scores only the final target of a training example; the test split is unchanged", async () => {
    const open = (trainOn: 'all' | 'answer') =>
      openDataSource({ spec: { kind: 'synthetic', task: 'induction-head', trainOn, numExamples: 64, numTestExamples: 8 }, batchSize: 4, seqLen: 0, evalBatches: 1, seed, corpusTokensDir: null, log: () => {} });
    const [all, answer] = [await open('all'), await open('answer')];
    const L = syntheticDataset({ task: 'induction-head', numExamples: 1, numTestExamples: 1 }).seqLen;
    const a = all.nextBatch();
    const b = answer.nextBatch();
    expect(b.ids).toEqual(a.ids);
    for (let i = 0; i < a.targets.length; i++) expect(b.targets[i]).toBe(i % L === L - 1 ? a.targets[i] : -1);
    expect([...answer.evalBatches()]).toEqual([...all.evalBatches()]);
  });
});
