// ReCoRD (§2.6): the passage's highlights become "  - {highlight}.\n" lines; each entity fills @placeholder in
// "  - {query}" (v0.3; the current harness adds its " " delimiter: three spaces). Prediction = the entity with
// the highest log-likelihood; f1/em = max over the gold answers of SQuAD token F1 / exact match.
import type { RecordDoc } from '../data/docs.js';
import { pySortedUnique, pyStrip } from '../python/py-str.js';
import { maxOverGold, squadExact, squadF1 } from '../metrics/squad.js';
import { meanMetric } from '../metrics/stats.js';
import { argmaxFirst, type PromptVersion, type TaskSpec } from './task.js';

/** `format_answer(query, entity)`: every @placeholder replaced (a function replacer, so `$` stays literal). */
function formatAnswer(query: string, entity: string): string {
  return `  - ${query}`.replaceAll('@placeholder', () => entity);
}

const lead = (v: PromptVersion) => (v === 'v0.3' ? '' : ' ');

/** The ReCoRD task. */
export const record: TaskSpec<RecordDoc> = {
  name: 'record',
  harnessName: { 'v0.3': 'record', current: 'record' },
  harnessVersion: { 'v0.3': '0', current: '2.0' },
  harnessDataset: { 'v0.3': 'super_glue/record', current: 'aps/super_glue/record' },
  processDoc: (d) => ({ ...d, entities: pySortedUnique(d.entities), answers: pySortedUnique(d.answers) }),
  fewshotPool: (train) => train,
  text: (d) => {
    const [article, ...highlights] = pyStrip(d.passage).split('\n@highlight\n');
    return `${article}\n\n${highlights.map((h) => `  - ${h}.\n`).join('')}`;
  },
  continuations: (d, v) => d.entities.map((e) => lead(v) + formatAnswer(d.query, e)),
  shotTarget: (d, v) => lead(v) + formatAnswer(d.query, d.answers[0]),
  gold: (d) => d.entities.flatMap((e, i) => (d.answers.includes(e) ? [i] : [])),
  predict: (lls) => argmaxFirst(lls),
  aggregate: (docs, preds) => ({
    f1: meanMetric(docs.map((d, i) => maxOverGold(squadF1, d.entities[preds[i]], d.answers))),
    em: meanMetric(docs.map((d, i) => maxOverGold(squadExact, d.entities[preds[i]], d.answers))),
  }),
};
