// MultiRC (§2.5): each row is one candidate answer, scored as " {answer}\nIs the answer correct? yes|no".
// v0.3 (default): a correct answer is "yes"; the metric `acc` is the question-level exact match (`acc_all`).
// The current harness indexes [yes, no] by the HF label (1 = correct), so its gold for a correct answer is the
// "no" string, its demonstrations carry flipped labels, and its `acc` is per answer row. `current` reproduces
// that as it is, and adds `em`/`f1a` computed with the true labels as extra metrics.
import type { MultircDoc } from '../data/docs.js';
import { accAll, accAllStderr, type AnswerOutcome } from '../metrics/acc-all.js';
import { binaryF1 } from '../metrics/f1.js';
import type { MetricValue } from '../metrics/metric.js';
import { bootstrapStderr, meanMetric } from '../metrics/stats.js';
import { argmaxFirst, yesOverNo, type TaskSpec } from './task.js';

const answerText = (d: MultircDoc, yes: boolean) => `${d.answer}\nIs the answer correct? ${yes ? 'yes' : 'no'}`;
/** Bootstrap resamples for the extra F1a's stderr (4,848 rows make the harness's 100,000 slow). */
const F1A_BOOTSTRAP_ITERS = 1000;

type Row = readonly [predictedCorrect: boolean, isCorrect: boolean];
const f1a = (rows: Row[]) => binaryF1(rows.map(([, g]) => g), rows.map(([p]) => p));

/** SuperGLUE's question-level EM and answer-level F1a, from "the model says yes" vs the true label. */
function trueMetrics(docs: MultircDoc[], preds: number[]): { em: MetricValue; f1a: MetricValue } {
  const rows: Row[] = docs.map((d, i) => [preds[i] === 0, d.label === 1]);
  const outcomes: AnswerOutcome[] = docs.map((d, i) => ({ paragraph: d.idx.paragraph, question: d.idx.question, correct: rows[i][0] === rows[i][1] }));
  return {
    em: { value: accAll(outcomes), stderr: accAllStderr(outcomes), stderrMethod: 'acc_all', origin: 'harness' },
    f1a: { value: f1a(rows), stderr: bootstrapStderr(f1a, rows, F1A_BOOTSTRAP_ITERS), stderrMethod: `bootstrap-${F1A_BOOTSTRAP_ITERS}`, origin: 'extra' },
  };
}

/** The MultiRC task. */
export const multirc: TaskSpec<MultircDoc> = {
  name: 'multirc',
  harnessName: { 'v0.3': 'multirc', current: 'multirc' },
  harnessVersion: { 'v0.3': '1', current: '2.0' },
  harnessDataset: { 'v0.3': 'super_glue/multirc', current: 'aps/super_glue/multirc' },
  fewshotPool: (train) => train,
  text: (d) => `${d.paragraph}\nQuestion: ${d.question}\nAnswer:`,
  continuations: (d) => [` ${answerText(d, true)}`, ` ${answerText(d, false)}`],
  // v0.3: the true label; current: choices[label] with choices [yes, no], i.e. flipped.
  shotTarget: (d, v) => ` ${answerText(d, v === 'v0.3' ? d.label === 1 : d.label === 0)}`,
  gold: (d, v) => [v === 'v0.3' ? 1 - d.label : d.label],
  predict: (lls, v) => (v === 'v0.3' ? yesOverNo(lls) : argmaxFirst(lls)),
  aggregate: (docs, preds, v): Record<string, MetricValue> => {
    const { em, f1a } = trueMetrics(docs, preds);
    if (v === 'v0.3') return { acc: em, f1a };
    const acc = meanMetric(docs.map((d, i) => Number(preds[i] === d.label)));
    return { acc, em: { ...em, origin: 'extra' }, f1a };
  },
};
