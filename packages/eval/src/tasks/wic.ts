// WiC (§2.7): the word is sliced from sentence1 by its code-point offsets (not the `word` field, a lemma).
import type { WicDoc } from '../data/docs.js';
import { pySlice } from '../python/py-str.js';
import type { TaskSpec } from './task.js';
import { yesNoAcc, yesNoChoices, yesNoGold, yesNoPredict, yesNoShot } from './yes-no.js';

/** The WiC task. */
export const wic: TaskSpec<WicDoc> = {
  name: 'wic',
  harnessName: { 'v0.3': 'wic', current: 'wic' },
  harnessVersion: { 'v0.3': '0', current: '1.0' },
  harnessDataset: { 'v0.3': 'super_glue/wic', current: 'aps/super_glue/wic' },
  fewshotPool: (train) => train,
  text: (d) =>
    `Sentence 1: ${d.sentence1}\nSentence 2: ${d.sentence2}\nQuestion: Is the word '${pySlice(d.sentence1, d.start1, d.end1)}'` +
    ' used in the same way in the two sentences above?\nAnswer:',
  continuations: (_d, v) => yesNoChoices(v),
  shotTarget: (d, v) => yesNoShot(d.label, v),
  gold: (d, v) => yesNoGold(d.label, v),
  predict: yesNoPredict,
  aggregate: (docs, preds, v) => yesNoAcc(docs.map((d) => d.label), preds, v),
};
