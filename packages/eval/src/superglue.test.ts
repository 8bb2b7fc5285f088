// End to end on the sample data: an oracle scorer reaches 100% on every task, context-blind scorers reach
// exactly each class's frequency (so the best of them the majority-class level), --dump-requests is the same
// for every layout, and the toy model produces the results table and JSON.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TASK_NAMES, type TaskName } from './data/docs.js';
import { resultsTable, writeJsonAtomic } from './results/results.js';
import { hfSampleRows, writeSampleData, SAMPLE_LAYOUTS } from './sample-data/write-sample-data.js';
import { fitToyModelOnTrain, prepareSuperGlue, requestLines, resolveSettings, scoreSuperGlue } from './superglue.js';
import { PROMPT_VERSIONS, type PromptVersion } from './tasks/task.js';
import { continuationScorer, functionScorer, oracleScorer } from './testing/index.js';
import { gpt2Tokenizer } from './tokenizer/tokenizer.js';
import { pySortedUnique } from './python/py-str.js';

const tok = gpt2Tokenizer();
const root = mkdtempSync(join(tmpdir(), 'hippo-eval-e2e-'));
const dirs = Object.fromEntries(SAMPLE_LAYOUTS.map((l) => [l, join(root, l)]));
beforeAll(async () => {
  for (const l of SAMPLE_LAYOUTS) await writeSampleData(dirs[l], l);
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

const run = async (version: PromptVersion, shots: number, model: Parameters<typeof scoreSuperGlue>[2]['model'], tasks: readonly TaskName[] = TASK_NAMES) => {
  const opts = { dataDir: dirs.official, tasks, version, shots };
  return scoreSuperGlue(await prepareSuperGlue(opts), resolveSettings(opts), { model, tokenizer: tok });
};

describe.each(PROMPT_VERSIONS)('prompt version %s', (version) => {
  it.each([0, 3])('an oracle scorer reaches 1.0 on every harness metric of every task (%i-shot)', async (shots) => {
    const opts = { dataDir: dirs.official, tasks: TASK_NAMES, version, shots };
    const tasks = await prepareSuperGlue(opts);
    const r = await scoreSuperGlue(tasks, resolveSettings(opts), { model: oracleScorer(tasks, tok), tokenizer: tok });
    for (const t of TASK_NAMES) {
      const metrics = Object.entries(r.results[t]!.metrics).filter(([, m]) => m.origin === 'harness');
      expect(metrics.length, t).toBeGreaterThan(0);
      for (const [name, m] of metrics) expect(m.value, `${t} ${name}`).toBe(1);
    }
  });

  it('context-blind scorers reach each class frequency; the best reaches the majority-class level', async () => {
    const rows = hfSampleRows();
    const freq = (task: TaskName, pred: (d: Record<string, any>) => boolean) => {
      const docs = rows[task].validation as Record<string, any>[];
      return docs.filter(pred).length / docs.length;
    };
    const answers: [TaskName, string, number][] = [];
    for (const t of ['boolq', 'wic', 'wsc'] as const) answers.push([t, ' yes', 1], [t, ' no', 0]);
    [' True', ' False', ' Neither'].forEach((c, label) => answers.push(['cb', c, label]));
    [' True', ' False'].forEach((c, label) => answers.push(['rte', c, label]));
    const byTask = new Map<TaskName, number[]>();
    for (const [task, choice, label] of answers) {
      const r = await run(version, 0, continuationScorer(tok, (c) => c === choice), [task]);
      const want = freq(task, (d) => d.label === label);
      expect(r.results[task]!.metrics.acc.value, `${task} always${choice}`).toBeCloseTo(want, 12);
      byTask.set(task, [...(byTask.get(task) ?? []), r.results[task]!.metrics.acc.value]);
    }
    for (const [task, accs] of byTask) {
      const counts = new Map<number, number>();
      for (const d of rows[task].validation as { label: number }[]) counts.set(d.label, (counts.get(d.label) ?? 0) + 1);
      expect(Math.max(...accs), `${task} majority`).toBeCloseTo(Math.max(...counts.values()) / rows[task].validation.length, 12);
    }
    // Equal scores everywhere: the tie rules pick COPA's choice1 and ReCoRD's first sorted entity.
    const tie = await run(version, 0, functionScorer(() => -1), ['copa', 'record', 'multirc']);
    expect(tie.results.copa!.metrics.acc.value).toBeCloseTo(freq('copa', (d) => d.label === 0), 12);
    expect(tie.results.record!.metrics.em.value).toBeCloseTo(freq('record', (d) => d.answers.includes(pySortedUnique(d.entities)[0])), 12);
    // MultiRC always "yes": v0.3 acc = questions whose answers are all correct; current acc = rows whose label is 0
    // (its gold index for "yes").
    const yes = await run(version, 0, continuationScorer(tok, (c) => c.endsWith('yes')), ['multirc']);
    const docs = rows.multirc.validation as { label: number; idx: { question: number } }[];
    const questions = [...new Set(docs.map((d) => d.idx.question))];
    const allCorrect = questions.filter((q) => docs.filter((d) => d.idx.question === q).every((d) => d.label === 1)).length / questions.length;
    expect(yes.results.multirc!.metrics.acc.value).toBeCloseTo(version === 'v0.3' ? allCorrect : freq('multirc', (d) => d.label === 0), 12);
  });

  it.each([0, 3])('--dump-requests lines are identical for all three layouts (%i-shot)', async (shots) => {
    const dumps = await Promise.all(
      SAMPLE_LAYOUTS.map(async (l) => [...requestLines(await prepareSuperGlue({ dataDir: dirs[l], tasks: TASK_NAMES, version, shots }))]),
    );
    const rows = hfSampleRows();
    const perDoc = (t: TaskName, d: object) => (t === 'cb' ? 3 : t === 'record' ? pySortedUnique((d as { entities: string[] }).entities).length : 2);
    const choices = TASK_NAMES.reduce((s, t) => s + rows[t].validation.reduce((a: number, d) => a + perDoc(t, d), 0), 0);
    expect(dumps[1]).toEqual(dumps[0]);
    expect(dumps[2]).toEqual(dumps[0]);
    expect(dumps[0].length).toBe(choices);
    const first = JSON.parse(dumps[0][0]);
    expect(Object.keys(first)).toEqual(['task', 'doc', 'choice', 'context', 'continuation']);
  });
});

describe('the toy model end to end', () => {
  it('fits on the train splits, scores all eight tasks, and writes the table and the JSON', async () => {
    const opts = { dataDir: dirs['hf-parquet'], tasks: TASK_NAMES, shots: 1, withTrain: true };
    const tasks = await prepareSuperGlue(opts);
    const model = fitToyModelOnTrain(tasks, tok);
    const r = await scoreSuperGlue(tasks, resolveSettings(opts), { model, tokenizer: tok, batchSize: 8 });
    const noPrefix = await scoreSuperGlue(tasks, resolveSettings(opts), { model, tokenizer: tok, batchSize: 3, sharedPrefix: false });
    expect(r.config.sharedPrefix).toBe(true);
    expect(noPrefix.config.sharedPrefix).toBe(false);
    for (const t of TASK_NAMES) {
      expect(noPrefix.results[t]!.metrics, t).toEqual(r.results[t]!.metrics); // shared prefix changes nothing
      for (const m of Object.values(r.results[t]!.metrics)) expect(m.value).toBeGreaterThanOrEqual(0), expect(m.value).toBeLessThanOrEqual(1);
    }
    expect(r.config).toMatchObject({ promptVersion: 'v0.3', tokenization: 'separate', shots: 1, seed: 42, limit: null });
    expect(r.model.name).toBe('toy-ngram');
    expect(r.model.checkpointHash).toMatch(/^[0-9a-f]{64}$/);
    const table = resultsTable(r);
    for (const t of TASK_NAMES) expect(table).toMatch(new RegExp(`^\\| ${t} `, 'm'));
    expect(table).toMatch(/f1a \(extra\)/);
    const file = join(root, 'results.json');
    await writeJsonAtomic(file, r);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(JSON.parse(JSON.stringify(r)));
  });
});
