// Scoring SuperGLUE requests with a HybridLM (h3-tiny, random weights, cpu backend): the shared-prefix path
// (one prefill per context, recurrent steps for multi-token answers) against one padded forward window per
// choice, on the bundled sample data, 1-shot. Two groups: the one-token answer tasks (BoolQ, CB, MultiRC, RTE,
// WiC, WSC: " yes"/" no", " True"/…) and the multi-token ones (COPA, ReCoRD).
// Run: cd apps/eval && pnpm bench
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodePair, gpt2Tokenizer, loglikelihood, prepareSuperGlue, writeSampleData, type TaskName } from '@hippo/eval';
import { HybridLM, modelPreset } from '@hippo/models';
import { cpuBackend } from '@hippo/tensor';
import { benchLine, timeMs } from '@hippo/tooling/bench';
import { HybridScoringModel } from '../src/hybrid-scoring-model.js';

const dir = mkdtempSync(join(tmpdir(), 'hippo-eval-bench-'));
await writeSampleData(dir, 'official');
const tok = gpt2Tokenizer();
const model = new HybridScoringModel(new HybridLM(modelPreset('h3-tiny'), { backend: cpuBackend(), seed: 0 }), {
  name: 'h3-tiny',
  description: 'random weights',
  checkpoint: null,
  checkpointHash: null,
});
for (const [label, tasks] of [
  ['one-token-answers', ['boolq', 'cb', 'multirc', 'rte', 'wic', 'wsc']],
  ['multi-token-answers', ['copa', 'record']],
] as [string, TaskName[]][]) {
  const prepared = await prepareSuperGlue({ dataDir: dir, tasks, shots: 1, withTrain: true });
  const reqs = prepared.flatMap((t) => t.requests.docs.flatMap((d) => d.continuations.map((c) => encodePair(tok, d.context, c, 'v0.3'))));
  const tokens = reqs.reduce((s, r) => s + r.context.length + r.continuation.length, 0);
  console.log(`${label}: ${reqs.length} requests, ${tokens} tokens`);
  const shared = await timeMs(() => loglikelihood(model, reqs, { batchSize: 16 }), { warmup: 0, reps: 2 });
  const windows = await timeMs(() => loglikelihood(model, reqs, { batchSize: 16, sharedPrefix: false }), { warmup: 0, reps: 2 });
  benchLine(`eval-h3-tiny-superglue-sample-1shot-${label}`, shared, 'one-forward-window-per-choice', windows);
}
rmSync(dir, { recursive: true, force: true });
