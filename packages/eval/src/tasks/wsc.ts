// WSC, binary SuperGLUE form (§2.8). The pronoun (span2, a word index into text.split()) is wrapped in
// asterisks and the passage run through the harness's `general_detokenize`. Its quirks are kept on purpose:
// it assumes single spaces between words, and span2_index 0 yields a leading space and drops one character.
import type { WscDoc } from '../data/docs.js';
import { pyLen, pySlice, pySplit } from '../python/py-str.js';
import type { TaskSpec } from './task.js';
import { yesNoAcc, yesNoChoices, yesNoGold, yesNoPredict, yesNoShot } from './yes-no.js';

/** lm_eval.utils.general_detokenize. */
export function generalDetokenize(s: string): string {
  return s
    .replaceAll(" n't", "n't")
    .replaceAll(' )', ')')
    .replaceAll('( ', '(')
    .replaceAll('" ', '"')
    .replaceAll(' "', '"')
    .replace(/ (['.,])/g, '$1');
}

/** The WSC task (v0.3 `wsc`, few-shot from positive examples only; current `wsc` on `wsc.fixed`, all). */
export const wsc: TaskSpec<WscDoc> = {
  name: 'wsc',
  harnessName: { 'v0.3': 'wsc', current: 'wsc' },
  harnessVersion: { 'v0.3': '0', current: '1.0' },
  harnessDataset: { 'v0.3': 'super_glue/wsc', current: 'aps/super_glue/wsc.fixed' },
  fewshotPool: (train, v) => (v === 'v0.3' ? train.filter((d) => d.label === 1) : train),
  text: (d) => {
    const pre = pySplit(d.text).slice(0, d.span2_index).join(' ');
    const post = pySlice(d.text, pyLen(pre) + pyLen(d.span2_text) + 1);
    const passage = generalDetokenize(`${pre} *${d.span2_text}*${post}`);
    return `Passage: ${passage}\nQuestion: In the passage above, does the pronoun "*${d.span2_text}*" refer to "*${d.span1_text}*"?\nAnswer:`;
  },
  continuations: (_d, v) => yesNoChoices(v),
  shotTarget: (d, v) => yesNoShot(d.label, v),
  gold: (d, v) => yesNoGold(d.label, v),
  predict: yesNoPredict,
  aggregate: (docs, preds, v) => yesNoAcc(docs.map((d) => d.label), preds, v),
};
