// Test helpers ("@hippo/eval/testing"): scorers with known behaviour, for checking the evaluator end to end.
import type { LoglikelihoodResult, PrefixGroup, ScoringModel, ScoringWindow } from '../model/types.js';
import type { PreparedTask } from '../superglue.js';
import { encodePair } from '../tokenizer/encode-pair.js';
import type { Tokenizer } from '../tokenizer/tokenizer.js';

const BIG = 1 << 30; // a maxLength no test prompt reaches, so windows are never truncated

/** Recovers (context ids, continuation ids) from an untruncated window. */
function splitWindow(w: ScoringWindow): [number[], number[]] {
  const ctxLen = w.input.length - w.targets.length + 1;
  return [Array.from(w.input.subarray(0, ctxLen)), Array.from(w.targets)];
}

/**
 * A model that scores by a function of the (context ids, continuation ids) pair; never truncates.
 * @example const m = functionScorer((ctx, cont) => -cont.length);
 */
export function functionScorer(score: (context: number[], continuation: number[]) => number, name = 'function-scorer'): ScoringModel {
  return {
    info: { name, description: 'test scorer', checkpoint: null, checkpointHash: null },
    maxLength: BIG,
    scoreWindows: async (windows) => windows.map((w): LoglikelihoodResult => ({ logprob: score(...splitWindow(w)), isGreedy: false })),
  };
}

/**
 * The oracle: log-likelihood 0 for a gold continuation and −1 for the others, as each task's harness gold says.
 * @example const model = oracleScorer(tasks, gpt2Tokenizer(), 'v0.3');
 */
export function oracleScorer(tasks: readonly PreparedTask[], tokenizer: Tokenizer): ScoringModel {
  const gold = new Map<string, number>();
  for (const t of tasks)
    for (const d of t.requests.docs)
      d.continuations.forEach((c, i) => {
        const r = encodePair(tokenizer, d.context, c, t.requests.version);
        gold.set(`${r.context}|${r.continuation}`, d.gold.includes(i) ? 0 : -1);
      });
  return functionScorer((ctx, cont) => {
    const v = gold.get(`${ctx}|${cont}`);
    if (v === undefined) throw new Error('oracleScorer: a request that no prepared task made');
    return v;
  }, 'oracle');
}

/**
 * A context-blind scorer: the log-likelihood depends only on the continuation's text, so its choice among fixed
 * answer strings never changes (e.g. prefer(' yes') always answers yes). Unpreferred continuations tie at −1.
 */
export function continuationScorer(tokenizer: Tokenizer, prefer: (continuation: string) => boolean): ScoringModel {
  return functionScorer((_ctx, cont) => (prefer(tokenizer.decode(cont)) ? 0 : -1), 'constant');
}

/**
 * The shared-prefix contract, for model adapters' tests: every group's scoreSharedPrefix results equal scoring
 * each (prefix ++ continuation) as a window. Throws with the first mismatch; returns the largest |Δlogprob|.
 * `tol` is absolute on the summed log-probability (f32 models: ~1e-4 per token is typical).
 * @example const worst = await checkSharedPrefixMatchesWindows(model, [{ prefix, continuations }], 1e-4);
 */
export async function checkSharedPrefixMatchesWindows(model: ScoringModel, groups: PrefixGroup[], tol: number): Promise<number> {
  if (!model.scoreSharedPrefix) throw new Error(`${model.info.name} has no scoreSharedPrefix`);
  const shared = await model.scoreSharedPrefix(groups);
  let worst = 0;
  for (let g = 0; g < groups.length; g++) {
    const { prefix, continuations } = groups[g];
    const windows = continuations.map((c) => {
      const full = Int32Array.from([...prefix, ...c]);
      return { input: full.subarray(0, full.length - 1), targets: c };
    });
    const separate = await model.scoreWindows(windows);
    separate.forEach((s, j) => {
      const d = Math.abs(s.logprob - shared[g][j].logprob);
      worst = Math.max(worst, d);
      if (d > tol || s.isGreedy !== shared[g][j].isGreedy)
        throw new Error(`group ${g} continuation ${j}: shared prefix ${JSON.stringify(shared[g][j])} vs separate ${JSON.stringify(s)} (tol ${tol})`);
    });
  }
  return worst;
}
