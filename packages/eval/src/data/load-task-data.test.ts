// Both data layouts load to the same documents, and bad data fails with the file, line and field.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DataFormatError, DataNotFoundError } from '../errors.js';
import { hfParquet, hfSampleRows, writeSampleData, SAMPLE_LAYOUTS } from '../sample-data/write-sample-data.js';
import { TASK_NAMES } from './docs.js';
import { loadTaskData } from './load-task-data.js';

const root = mkdtempSync(join(tmpdir(), 'hippo-eval-data-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const fresh = () => {
  const d = join(root, String(n++));
  mkdirSync(d);
  return d;
};
const jsonl = (rows: object[]) => rows.map((r) => JSON.stringify(r)).join('\n') + '\n';

describe('layouts', () => {
  it.each(SAMPLE_LAYOUTS)('%s: every task loads to the HF-flattened sample docs', async (layout) => {
    const dir = fresh();
    await writeSampleData(dir, layout);
    const want = hfSampleRows();
    for (const task of TASK_NAMES) {
      const d = await loadTaskData(dir, task, 'v0.3', true);
      expect(d.validation, `${layout} ${task}`).toEqual(want[task].validation);
      expect(d.train).toEqual(want[task].train);
      expect(d.layout).toBe(layout === 'official' ? 'official' : task === 'copa' ? 'official' : 'hf');
    }
  });

  it('reads GLUE rte rows (sentence1/sentence2), the copy harness v0.3 uses', async () => {
    const dir = fresh();
    mkdirSync(join(dir, 'rte'));
    const glue = hfSampleRows().rte.validation.map((d) => {
      const { premise, hypothesis, ...rest } = d as Record<string, unknown>;
      return { sentence1: premise, sentence2: hypothesis, ...rest };
    });
    writeFileSync(join(dir, 'rte', 'validation.jsonl'), jsonl(glue));
    const d = await loadTaskData(dir, 'rte', 'v0.3', false);
    expect(d.layout).toBe('glue');
    expect(d.validation).toEqual(hfSampleRows().rte.validation);
    expect(d.notes).toEqual([]);
  });

  it('finds HF shards in split folders, prefers wsc.fixed for the current harness and says when it is missing', async () => {
    const dir = fresh();
    const rows = hfSampleRows().wsc.validation as Record<string, unknown>[];
    mkdirSync(join(dir, 'wsc.fixed', 'validation'), { recursive: true });
    writeFileSync(join(dir, 'wsc.fixed', 'validation', '0000.parquet'), new Uint8Array(hfParquet(rows.slice(0, 3))));
    writeFileSync(join(dir, 'wsc.fixed', 'validation', '0001.parquet'), new Uint8Array(hfParquet(rows.slice(3))));
    mkdirSync(join(dir, 'WSC'));
    writeFileSync(join(dir, 'WSC', 'val.jsonl'), jsonl(rows.slice(0, 1)));
    const cur = await loadTaskData(dir, 'wsc', 'current', false);
    expect(cur.validation).toEqual(rows);
    expect(cur.notes).toEqual([]);
    const old = await loadTaskData(dir, 'wsc', 'v0.3', false);
    expect(old.validation.length).toBe(1);
    rmSync(join(dir, 'wsc.fixed'), { recursive: true });
    expect((await loadTaskData(dir, 'wsc', 'current', false)).notes[0]).toMatch(/wsc.fixed/);
  });
});

describe('bad data names the file, the line and the field', () => {
  const bad = async (task: (typeof TASK_NAMES)[number], dirName: string, file: string, content: string | Uint8Array) => {
    const dir = fresh();
    mkdirSync(join(dir, dirName));
    writeFileSync(join(dir, dirName, file), content);
    try {
      await loadTaskData(dir, task, 'v0.3', false);
    } catch (e) {
      return e as DataFormatError;
    }
    throw new Error('expected a DataFormatError');
  };
  const official = hfSampleRows(); // valid HF rows to corrupt

  it('a wrong label value', async () => {
    const rows = [{ premise: 'p', hypothesis: 'h', label: 'entailment', idx: 0 }, { premise: 'p', hypothesis: 'h', label: 'entailment', idx: 1 }, { premise: 'p', hypothesis: 'h', label: 'maybe', idx: 2 }];
    const e = await bad('cb', 'CB', 'val.jsonl', jsonl(rows));
    expect(e).toBeInstanceOf(DataFormatError);
    expect([e.file.endsWith(join('CB', 'val.jsonl')), e.line, e.field, e.got]).toEqual([true, 3, 'label', '"maybe"']);
    expect(e.message).toMatch(/CB.val\.jsonl:3: field "label": expected "entailment" or "contradiction" or "neutral"; got "maybe"/);
  });

  it('a missing field, invalid JSON, an unlabelled test row', async () => {
    const e1 = await bad('boolq', 'BoolQ', 'val.jsonl', jsonl([{ question: 'q', passage: 'p', idx: 0, label: true }, { question: 'q', idx: 1, label: false }]));
    expect([e1.line, e1.field, e1.got]).toEqual([2, 'passage', 'nothing (field missing)']);
    const e2 = await bad('boolq', 'BoolQ', 'val.jsonl', '{"question": "q",\n');
    expect([e2.line, e2.field]).toEqual([1, '(whole line)']);
    const e3 = await bad('boolq', 'boolq', 'validation.jsonl', jsonl([{ question: 'q', passage: 'p', idx: 0, label: -1 }]));
    expect(e3.message).toMatch(/unlabelled test row/);
  });

  it('offsets and indices outside their text', async () => {
    const wic = { ...official.wic.validation[0], end1: 99 };
    const e1 = await bad('wic', 'wic', 'validation.jsonl', jsonl([wic]));
    expect([e1.field, e1.line]).toEqual(['end1', 1]);
    const wsc = { text: 'a b c', target: { span1_index: 0, span1_text: 'a', span2_index: 7, span2_text: 'c' }, idx: 0, label: true };
    const e2 = await bad('wsc', 'WSC', 'val.jsonl', jsonl([wsc]));
    expect(e2.field).toBe('target.span2_index');
    const rec = { source: 's', idx: 0, passage: { text: 'Short.', entities: [{ start: 0, end: 40 }] }, qas: [{ query: '@placeholder', idx: 0, answers: [{ start: 0, end: 4, text: 'Short' }] }] };
    const e3 = await bad('record', 'ReCoRD', 'val.jsonl', jsonl([rec]));
    expect(e3.field).toBe('passage.entities[0].end');
  });

  it('nested official MultiRC fields and Parquet rows', async () => {
    const mrc = { idx: 0, version: 1.1, passage: { text: 't', questions: [{ question: 'q', idx: 0, answers: [{ text: 'a', idx: 0, label: 1 }, { text: 'b', idx: 1, label: 2 }] }] } };
    const e1 = await bad('multirc', 'MultiRC', 'val.jsonl', jsonl([mrc]));
    expect(e1.field).toBe('passage.questions[0].answers[1].label');
    const dir = fresh();
    mkdirSync(join(dir, 'boolq'));
    const broken = (official.boolq.validation as Record<string, unknown>[]).map((r, i) => (i === 4 ? { ...r, label: 2 } : r));
    writeFileSync(join(dir, 'boolq', 'validation.parquet'), new Uint8Array(hfParquet(broken)));
    const e3 = await loadTaskData(dir, 'boolq', 'v0.3', false).catch((e: DataFormatError) => e);
    expect(e3).toBeInstanceOf(DataFormatError);
    expect([(e3 as DataFormatError).line, (e3 as DataFormatError).field]).toEqual([5, 'label']);
  });

  it('missing folders, missing splits and two copies of a split', async () => {
    const dir = fresh();
    await expect(loadTaskData(dir, 'cb', 'v0.3', false)).rejects.toThrow(/expected a sub-folder named cb/);
    mkdirSync(join(dir, 'CB'));
    writeFileSync(join(dir, 'CB', 'train.jsonl'), jsonl([{ premise: 'p', hypothesis: 'h', label: 'neutral', idx: 0 }]));
    await expect(loadTaskData(dir, 'cb', 'v0.3', false)).rejects.toThrow(/no validation file.*found train\.jsonl/);
    writeFileSync(join(dir, 'CB', 'val.jsonl'), jsonl([{ premise: 'p', hypothesis: 'h', label: 'neutral', idx: 0 }]));
    writeFileSync(join(dir, 'CB', 'validation.jsonl'), jsonl([{ premise: 'p', hypothesis: 'h', label: 'neutral', idx: 0 }]));
    await expect(loadTaskData(dir, 'cb', 'v0.3', false)).rejects.toThrow(DataNotFoundError);
    await expect(loadTaskData(dir, 'cb', 'v0.3', false)).rejects.toThrow(/ambiguous: val\.jsonl, validation\.jsonl/);
  });
});
