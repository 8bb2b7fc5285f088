// Metrics on known predictions: hand-computed values, and CPython's output of the harness's own formulas
// (test/python/make-python-vectors.py) for the stderrs and the SQuAD answer metrics.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { TASKS } from '../tasks/registry.js';
import { accAll, accAllStderr } from './acc-all.js';
import { binaryF1, cbMacroF1 } from './f1.js';
import { maxOverGold, normalizeAnswer, squadExact, squadF1 } from './squad.js';
import { bootstrapStderr, mean, meanStderr, sampleStddev } from './stats.js';

const PY = JSON.parse(readFileSync(new URL('../../test/python/python-vectors.json', import.meta.url), 'utf8'));
// Values computed by the same arithmetic in another order agree to a few ulps: 1e-12 relative is ample.
const close = (got: number | null, want: number) => expect(Math.abs((got ?? NaN) - want)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(want)));

describe('harness stderr formulas', () => {
  it('mean_stderr and the seeded bootstrap equal CPython', () => {
    const xs: number[] = PY.stats.items;
    close(meanStderr(xs), PY.stats.mean_stderr);
    close(bootstrapStderr(mean, xs, 2000), PY.stats.bootstrap_mean_2000);
  });

  it('undefined below two items (the harness divides by zero there)', () => {
    expect(sampleStddev([1])).toBeNull();
    expect(meanStderr([])).toBeNull();
  });
});

describe('F1', () => {
  it('binary F1 with sklearn zero-division (0 without true positives)', () => {
    expect(binaryF1([true, true, false, false], [true, false, true, false])).toBeCloseTo(0.5, 15);
    expect(binaryF1([false, false], [false, false])).toBe(0);
    expect(binaryF1([true], [true])).toBe(1);
  });

  it('CB macro F1 on a hand-worked confusion', () => {
    // golds 0 0 1 1 2 2 / preds 0 1 1 1 2 0: F1 = 1/2, 4/5, 2/3 per class.
    const items = [[0, 0], [1, 0], [1, 1], [1, 1], [2, 2], [0, 2]] as [number, number][];
    close(cbMacroF1(items), (0.5 + 0.8 + 2 / 3) / 3);
    // Absent classes count as F1 = 0 in the mean, as in the harness.
    close(cbMacroF1([[0, 0], [0, 0]]), 1 / 3);
  });
});

describe('MultiRC question-level exact match', () => {
  const rows = [
    { paragraph: 0, question: 0, correct: true },
    { paragraph: 0, question: 0, correct: true },
    { paragraph: 0, question: 1, correct: true },
    { paragraph: 0, question: 1, correct: false },
    { paragraph: 1, question: 2, correct: true },
  ];
  it('acc_all groups by (paragraph, question); its stderr is over the question scores', () => {
    close(accAll(rows), 2 / 3);
    close(accAllStderr(rows), Math.sqrt(1 / 3) / Math.sqrt(3)); // scores 1, 0, 1: sample var 1/3
  });

  it('the v0.3 task metric: acc = acc_all from yes/no predictions, plus F1a', () => {
    const doc = (paragraph: number, question: number, answer: number, label: number) => ({ paragraph: 'p', question: 'q', answer: 'a', label, idx: { paragraph, question, answer } });
    const docs = [doc(0, 0, 0, 1), doc(0, 0, 1, 0), doc(0, 1, 0, 1), doc(0, 1, 1, 1)];
    const preds = [0, 1, 0, 1]; // yes, no, yes, no: question 0 right, question 1 wrong
    const m = TASKS.multirc.aggregate(docs, preds, 'v0.3');
    close(m.acc.value, 0.5);
    expect(m.acc.origin).toBe('harness');
    close(m.f1a.value, (2 * 2) / (2 * 2 + 0 + 1)); // tp 2, fp 0, fn 1
    expect(m.f1a.origin).toBe('extra');
    // current: acc per row against the harness's gold index (= the label), em/f1a with the true labels.
    const c = TASKS.multirc.aggregate(docs, [1, 0, 1, 0], 'current');
    close(c.acc.value, 3 / 4);
    close(c.em.value, 0); // rows say no, yes, no, yes: each question has a wrong row
  });
});

describe('SQuAD answer metrics (ReCoRD)', () => {
  it('normalisation, exact match and F1 equal CPython on tricky strings', () => {
    for (const c of PY.squad) {
      expect(normalizeAnswer(c.gold), c.gold).toBe(c.norm_gold);
      expect(squadExact(c.gold, c.pred), `${c.gold} / ${c.pred}`).toBe(c.exact);
      close(squadF1(c.gold, c.pred), c.f1);
    }
  });

  it('ReCoRD aggregate: max over gold answers, mean over docs', () => {
    const doc = { passage: 'x', query: '@placeholder', entities: ['Barack Obama', 'Obama', 'Paris'], answers: ['Barack Obama', 'Obama'], idx: { passage: 0, query: 0 } };
    expect(maxOverGold(squadF1, 'Obama', doc.answers)).toBe(1);
    const m = TASKS.record.aggregate([doc, doc], [1, 2], 'v0.3');
    close(m.em.value, 0.5);
    close(m.f1.value, 0.5);
  });
});

describe('task predictions follow the harness tie rules', () => {
  it('v0.3 yes/no tasks: a tie means no; RTE/CB/COPA/ReCoRD: the first maximum', () => {
    for (const t of [TASKS.boolq, TASKS.wic, TASKS.wsc, TASKS.multirc]) {
      expect(t.predict([-1, -1], 'v0.3')).toBe(1);
      expect(t.predict([-1, -1], 'current')).toBe(0); // current choices are [no, yes]: the first is "no" again
    }
    expect(TASKS.rte.predict([-1, -1], 'v0.3')).toBe(0);
    expect(TASKS.cb.predict([-2, -1, -1], 'v0.3')).toBe(1);
    expect(TASKS.record.predict([-3, -1, -1], 'v0.3')).toBe(1);
  });

  it('CB reports acc and macro F1 with a bootstrap stderr', () => {
    const docs = [0, 1, 2, 0].map((label, idx) => ({ premise: 'p', hypothesis: 'h', idx, label }));
    const m = TASKS.cb.aggregate(docs, [0, 1, 0, 0], 'v0.3');
    close(m.acc.value, 0.75);
    close(m.f1.value, (0.8 + 1 + 0) / 3); // class 0: tp 2 fp 1 fn 0; class 1: tp 1; class 2: none predicted
    expect(m.f1.stderrMethod).toBe('bootstrap-100000');
    expect(m.f1.stderr).toBeGreaterThan(0);
  });
});
