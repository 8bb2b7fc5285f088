// Which documents are evaluated, in which order, with which demonstrations — exactly as each harness version
// draws them (design/superglue-eval.md §2.0):
// - v0.3 (`evaluator.evaluate`): one `random.Random(42)` per task shuffles the validation docs, `--limit` keeps
//   the first n of the shuffled order, then each doc in turn gets `rnd.sample(train_pool, k)` from the same
//   generator.
// - current (`ContextSampler`): `random.Random(1234)` per task, docs in dataset order (`--limit` = first n);
//   each doc draws `rnd.sample(train_pool, k + 1)`, drops a drawn doc equal to the eval doc, keeps the first k.
import { isDeepStrictEqual } from 'node:util';
import { EvalConfigError } from '../errors.js';
import { PyRandom } from '../python/py-random.js';
import type { PromptVersion } from '../tasks/task.js';

/** The harness's default seed per version: v0.3 shuffles and samples with 42, current samples with 1234. */
export const DEFAULT_SEED: Record<PromptVersion, number> = { 'v0.3': 42, current: 1234 };

/** The evaluation plan of one task: doc indices in evaluation order and each one's demonstrations. */
export interface FewshotPlan<D> {
  /** Indices into the validation docs, in the order the harness walks them. */
  order: number[];
  /** `shots[i]` are the demonstrations of doc `order[i]`, in prompt order. */
  shots: D[][];
}

/** Options of {@link planFewshot}. */
export interface FewshotOptions {
  version: PromptVersion;
  /** Demonstrations per prompt (k). */
  shots: number;
  /** Evaluate only the first n docs of the harness's order; null = all. */
  limit: number | null;
  /** Defaults to {@link DEFAULT_SEED}. */
  seed?: number;
}

/**
 * Plans one task's evaluation. `pool` is the few-shot pool (train docs after the task's filter).
 * @example const plan = planFewshot(valDocs, trainDocs, { version: 'v0.3', shots: 3, limit: null });
 */
export function planFewshot<D>(validation: readonly D[], pool: readonly D[], opts: FewshotOptions): FewshotPlan<D> {
  const { version, shots: k, limit } = opts;
  const rnd = new PyRandom(opts.seed ?? DEFAULT_SEED[version]);
  const need = version === 'v0.3' ? k : k + 1;
  if (k > 0 && pool.length < need)
    throw new EvalConfigError('--shots', `at most ${version === 'v0.3' ? pool.length : pool.length - 1} for this task (its few-shot pool has ${pool.length} train docs${version === 'current' ? ' and the current harness draws k + 1' : ''})`, String(k));
  let order = validation.map((_, i) => i);
  if (version === 'v0.3') rnd.shuffle(order);
  if (limit !== null) order = order.slice(0, limit);
  const shots = order.map((i) => {
    if (k === 0) return [];
    if (version === 'v0.3') return rnd.sample(pool, k);
    return rnd.sample(pool, k + 1).filter((d) => !isDeepStrictEqual(d, validation[i])).slice(0, k);
  });
  return { order, shots };
}
