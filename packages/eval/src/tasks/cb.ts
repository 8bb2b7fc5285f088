// CommitmentBank (§2.2): "{premise}\nQuestion: {hypothesis}. True, False or Neither?\nAnswer:" (current adds a
// comma: "True, False, or Neither?") → " True" / " False" / " Neither"; metrics acc and macro-F1.
import type { CbDoc } from '../data/docs.js';
import { cbMacroF1 } from '../metrics/f1.js';
import { bootstrapStderr, meanMetric } from '../metrics/stats.js';
import { argmaxFirst, type TaskSpec } from './task.js';

const CHOICES = ['True', 'False', 'Neither'];
/** The harness default `bootstrap_iters`; the harness itself reports no stderr for CB's F1. */
const F1_BOOTSTRAP_ITERS = 100_000;

/** The CB task. */
export const cb: TaskSpec<CbDoc> = {
  name: 'cb',
  harnessName: { 'v0.3': 'cb', current: 'cb' },
  harnessVersion: { 'v0.3': '1', current: '1.0' },
  harnessDataset: { 'v0.3': 'super_glue/cb', current: 'aps/super_glue/cb' },
  fewshotPool: (train) => train,
  text: (d, v) => `${d.premise}\nQuestion: ${d.hypothesis}. ${v === 'v0.3' ? 'True, False or Neither?' : 'True, False, or Neither?'}\nAnswer:`,
  continuations: () => CHOICES.map((c) => ` ${c}`),
  shotTarget: (d) => ` ${CHOICES[d.label]}`,
  gold: (d) => [d.label],
  predict: (lls) => argmaxFirst(lls),
  aggregate: (docs, preds) => {
    const items = docs.map((d, i) => [preds[i], d.label] as const);
    return {
      acc: meanMetric(items.map(([p, g]) => Number(p === g))),
      f1: { value: cbMacroF1(items), stderr: bootstrapStderr(cbMacroF1, items, F1_BOOTSTRAP_ITERS), stderrMethod: `bootstrap-${F1_BOOTSTRAP_ITERS}`, origin: 'harness' },
    };
  },
};
