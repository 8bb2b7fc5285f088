// Two costs that dominate a real SuperGLUE run, on ReCoRD-shaped synthetic docs (a ~250-token passage, 14
// entities per query, as in the validation split):
// - tokenizing the requests: each distinct string once (contexts are shared by ~14 choices) vs every request
//   encoded from scratch, as the harness's `loglikelihood` does;
// - scoring with the shared-prefix hook (one prefill per doc) vs one full window per choice, with the toy model
//   (a stand-in for the H3 recurrent state; the real model's ratio is measured when @hippo/models exists).
// Run: cd packages/eval && pnpm bench
import { benchLine, timeMs } from '@hippo/tooling/bench';
import { loglikelihood } from '../src/model/loglikelihood.js';
import { ToyNgramModel } from '../src/model/toy-ngram.js';
import { PyRandom } from '../src/python/py-random.js';
import { buildTaskRequests } from '../src/prompt/requests.js';
import { encodeRequests, type PreparedTask } from '../src/superglue.js';
import { TASKS } from '../src/tasks/registry.js';
import { encodePair } from '../src/tokenizer/encode-pair.js';
import { gpt2Tokenizer } from '../src/tokenizer/tokenizer.js';
import type { RecordDoc } from '../src/data/docs.js';

const DOCS = 300;
const rnd = new PyRandom(7);
const WORDS = 'the council said on monday that its new plan would cut costs and improve services across the region by next year'.split(' ');
const NAMES = Array.from({ length: 60 }, (_, i) => `Name${i} Person${(i * 7) % 60}`);
const docs: RecordDoc[] = Array.from({ length: DOCS }, (_, i) => {
  const entities = rnd.sample(NAMES, 14);
  const sentence = () => `${entities[rnd.randbelow(14)]} ${Array.from({ length: 12 }, () => WORDS[rnd.randbelow(WORDS.length)]).join(' ')}.`;
  const article = Array.from({ length: 12 }, sentence).join(' ');
  return { passage: `${article}\n@highlight\n${sentence()}\n@highlight\n${sentence()}`, query: `@placeholder ${sentence()}`, entities, answers: [entities[0]], idx: { passage: i, query: i } };
}).map((d) => TASKS.record.processDoc!(d));
const requests = buildTaskRequests(TASKS.record, docs, null, { version: 'v0.3', shots: 0, limit: null });
const task = { requests } as PreparedTask;
const tok = gpt2Tokenizer();
const nReq = requests.docs.reduce((s, d) => s + d.continuations.length, 0);
console.log(`${DOCS} ReCoRD-shaped docs, ${nReq} requests`);

const memoMs = await timeMs(() => encodeRequests([task], tok, 'v0.3'), { warmup: 1, reps: 3 });
const plainMs = await timeMs(() => requests.docs.flatMap((d) => d.continuations.map((c) => encodePair(tok, d.context, c, 'v0.3'))), { warmup: 1, reps: 3 });
benchLine(`eval-tokenize-record-${DOCS}docs`, memoMs, 'encode-every-request', plainMs);

const encoded = encodeRequests([task], tok, 'v0.3');
const model = ToyNgramModel.fit(encoded.slice(0, 200).map((r) => [...r.context, ...r.continuation]), { vocabSize: tok.vocabSize });
const sharedMs = await timeMs(() => loglikelihood(model, encoded, { batchSize: 16 }), { warmup: 1, reps: 3 });
const windowsMs = await timeMs(() => loglikelihood(model, encoded, { batchSize: 16, sharedPrefix: false }), { warmup: 1, reps: 3 });
benchLine(`eval-score-record-${DOCS}docs-toy`, sharedMs, 'one-window-per-choice', windowsMs);
