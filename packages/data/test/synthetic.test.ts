// The synthetic tasks: vocabulary, lengths, answer positions and masks as in the authors' dataloader
// (design/h3-reference.md §8), seeded, deduplicated, and the answer actually determined by the prefix.
import { describe, expect, it } from 'vitest';
import { IGNORE_INDEX, syntheticDataset, taskVocab } from '../src/synthetic/tasks.js';
import { testSeed } from './helpers.js';

const seed = testSeed();
const tag = `(HIPPO_SEED=${seed})`;

const rows = (a: Int32Array, L: number) => Array.from({ length: a.length / L }, (_, i) => Array.from(a.subarray(i * L, (i + 1) * L)));

describe('task vocabulary', () => {
  it('sorts regular tokens and the two specials as strings', () => {
    expect(taskVocab(10)).toEqual(['.', '0', '1', '2', '3', '4', '5', '6', '7', '=>']);
    expect(taskVocab(20).slice(0, 5)).toEqual(['.', '0', '1', '10', '11']);
    expect(taskVocab(20).at(-1)).toBe('=>');
  });
});

describe('induction head (paper: vocabulary 20, length 30)', () => {
  const ds = syntheticDataset({ task: 'induction-head', seed });
  const L = ds.seqLen;
  const arrow = ds.vocab.indexOf('=>');

  it('has 5000 train and 500 test sequences of 31 (+1) tokens, distinct within each split', () => {
    expect(L).toBe(31);
    expect(ds.train.count).toBe(5000);
    expect(ds.test.count).toBe(500);
    for (const s of [ds.train, ds.test]) {
      const full = rows(s.inputs, L).map((r, i) => [...r, s.targets[(i + 1) * L - 1]].join(','));
      expect(new Set(full).size, tag).toBe(s.count);
    }
  });

  it('ends in "=>" followed by the token that followed the earlier "=>"', () => {
    expect.hasAssertions();
    const targets = rows(ds.train.targets, L);
    rows(ds.train.inputs, L).forEach((x, i) => {
      expect(x[L - 1]).toBe(arrow);
      const p = x.indexOf(arrow);
      expect(p, tag).toBeLessThan(28); // trigger in [0, 30 − 2)
      expect(x.slice(0, L - 1).filter((t) => t === arrow).length).toBe(1);
      expect(targets[i][L - 1], tag).toBe(x[p + 1]);
      expect(targets[i].slice(0, L - 1)).toEqual(x.slice(1)); // train targets: the sequence shifted by one
    });
  });

  it('masks every test target but the last', () => {
    for (const t of rows(ds.test.targets, L)) {
      expect(t.slice(0, L - 1).every((v) => v === IGNORE_INDEX)).toBe(true);
      expect(t[L - 1]).not.toBe(IGNORE_INDEX);
    }
  });

  it('is a pure function of the seed', () => {
    const again = syntheticDataset({ task: 'induction-head', seed, numExamples: 50, numTestExamples: 5 });
    const same = syntheticDataset({ task: 'induction-head', seed, numExamples: 50, numTestExamples: 5 });
    const other = syntheticDataset({ task: 'induction-head', seed: seed + 1, numExamples: 50, numTestExamples: 5 });
    expect(Array.from(again.train.inputs)).toEqual(Array.from(same.train.inputs));
    expect(Array.from(other.train.inputs)).not.toEqual(Array.from(same.train.inputs));
  });
});

describe('associative recall (paper: vocabulary 10, length 20)', () => {
  const ds = syntheticDataset({ task: 'assoc-recall', seed });
  const L = ds.seqLen;
  const v = ds.vocab;
  const keys = new Set(['0', '1', '2', '3'].map((t) => v.indexOf(t)));
  const values = new Set(['4', '5', '6', '7'].map((t) => v.indexOf(t)));

  it('has sequences of 10 key-value pairs, "=>", a present key, and its value as the answer', () => {
    expect(L).toBe(22); // 20 + 3 tokens, minus one for the shift
    expect.hasAssertions();
    const targets = rows(ds.train.targets, L);
    rows(ds.train.inputs, L).forEach((x, i) => {
      const map = new Map<number, number>();
      for (let j = 0; j < 20; j += 2) {
        expect(keys.has(x[j]) && values.has(x[j + 1]), tag).toBe(true);
        if (map.has(x[j])) expect(map.get(x[j]), `one value per key within an example ${tag}`).toBe(x[j + 1]);
        map.set(x[j], x[j + 1]);
      }
      expect(x[20]).toBe(v.indexOf('=>'));
      expect(map.has(x[21]), `the query key occurred ${tag}`).toBe(true);
      expect(targets[i][L - 1]).toBe(map.get(x[21]));
    });
  });

  it('masks every test target but the last', () => {
    for (const t of rows(ds.test.targets, L)) {
      expect(t.slice(0, L - 1).every((x) => x === IGNORE_INDEX)).toBe(true);
      expect(values.has(t[L - 1])).toBe(true);
    }
  });

  it('refuses an impossible request instead of looping forever', () => {
    expect(() => syntheticDataset({ task: 'assoc-recall', vocabSize: 4, inputSeqLen: 2, numExamples: 100, seed })).toThrow(/could not find 100 distinct/);
  });
});
