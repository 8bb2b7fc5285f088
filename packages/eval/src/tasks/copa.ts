// COPA (§2.3): premise without its last character + " because"/" therefore"; choices with the first character
// lower-cased. v0.3 scores " it had …"; the current harness prepends its " " delimiter to choices that already
// start with a space, so it scores "  it had …" (two spaces) and its demonstrations read "because  it …".
import type { CopaDoc } from '../data/docs.js';
import { pyLen, pySlice, pyStrip } from '../python/py-str.js';
import { meanMetric } from '../metrics/stats.js';
import { argmaxFirst, type PromptVersion, type TaskSpec } from './task.js';

/** `convert_choice`: lower-case only the first character. */
function convertChoice(c: string): string {
  return pySlice(c, 0, 1).toLowerCase() + pySlice(c, 1);
}

const lead = (v: PromptVersion) => (v === 'v0.3' ? ' ' : '  ');

/** The COPA task. */
export const copa: TaskSpec<CopaDoc> = {
  name: 'copa',
  harnessName: { 'v0.3': 'copa', current: 'copa' },
  harnessVersion: { 'v0.3': '0', current: '1.0' },
  harnessDataset: { 'v0.3': 'super_glue/copa', current: 'aps/super_glue/copa' },
  fewshotPool: (train) => train,
  text: (d) => {
    const p = pyStrip(d.premise);
    return `${pySlice(p, 0, Math.max(0, pyLen(p) - 1))} ${d.question === 'cause' ? 'because' : 'therefore'}`;
  },
  continuations: (d, v) => [d.choice1, d.choice2].map((c) => lead(v) + convertChoice(c)),
  shotTarget: (d, v) => lead(v) + convertChoice(d.label === 0 ? d.choice1 : d.choice2),
  gold: (d) => [d.label],
  predict: (lls) => argmaxFirst(lls),
  aggregate: (docs, preds) => ({ acc: meanMetric(docs.map((d, i) => Number(d.label === preds[i]))) }),
};
