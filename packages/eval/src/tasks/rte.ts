// RTE (§2.4): "{premise}\nQuestion: {hypothesis} True or False?\nAnswer:" → " True" (entailment) / " False".
// v0.3 predicts `ll_false > ll_true`, so a tie means True; the current harness takes the argmax (also True).
import type { RteDoc } from '../data/docs.js';
import { meanMetric } from '../metrics/stats.js';
import { argmaxFirst, type TaskSpec } from './task.js';

const CHOICES = [' True', ' False'];

/** The RTE task (v0.3 `rte` on GLUE data, current `sglue_rte`). */
export const rte: TaskSpec<RteDoc> = {
  name: 'rte',
  harnessName: { 'v0.3': 'rte', current: 'sglue_rte' },
  harnessVersion: { 'v0.3': '0', current: '0.0' },
  harnessDataset: { 'v0.3': 'glue/rte', current: 'aps/super_glue/rte' },
  fewshotPool: (train) => train,
  text: (d) => `${d.premise}\nQuestion: ${d.hypothesis} True or False?\nAnswer:`,
  continuations: () => CHOICES,
  shotTarget: (d) => CHOICES[d.label],
  gold: (d) => [d.label],
  predict: (lls) => argmaxFirst(lls),
  aggregate: (docs, preds) => ({ acc: meanMetric(docs.map((d, i) => Number(d.label === preds[i]))) }),
};
