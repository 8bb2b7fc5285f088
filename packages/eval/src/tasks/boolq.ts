// BoolQ (design/superglue-eval.md §2.1): "{passage}\nQuestion: {question}?\nAnswer:" → " yes" / " no".
import type { BoolqDoc } from '../data/docs.js';
import type { TaskSpec } from './task.js';
import { yesNoAcc, yesNoChoices, yesNoGold, yesNoPredict, yesNoShot } from './yes-no.js';

/** The BoolQ task. */
export const boolq: TaskSpec<BoolqDoc> = {
  name: 'boolq',
  harnessName: { 'v0.3': 'boolq', current: 'boolq' },
  harnessVersion: { 'v0.3': '1', current: '2.0' },
  harnessDataset: { 'v0.3': 'super_glue/boolq', current: 'aps/super_glue/boolq' },
  fewshotPool: (train) => train,
  text: (d) => `${d.passage}\nQuestion: ${d.question}?\nAnswer:`,
  continuations: (_d, v) => yesNoChoices(v),
  shotTarget: (d, v) => yesNoShot(d.label, v),
  gold: (d, v) => yesNoGold(d.label, v),
  predict: yesNoPredict,
  aggregate: (docs, preds, v) => yesNoAcc(docs.map((d) => d.label), preds, v),
};
