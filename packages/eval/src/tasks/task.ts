// What a SuperGLUE task is to the evaluator: the harness's doc_to_text, its continuations (leading spaces
// exact), the demonstration target, the gold index, the prediction rule (tie-breaks included) and the metrics,
// each for harness v0.3 (the H3 paper's era, default) and the current harness. See design/superglue-eval.md §2.
import type { TaskName } from '../data/docs.js';
import type { MetricValue } from '../metrics/metric.js';

/** Which lm-evaluation-harness task definitions to reproduce. */
export type PromptVersion = 'v0.3' | 'current';
/** Every prompt version, default first. */
export const PROMPT_VERSIONS: readonly PromptVersion[] = ['v0.3', 'current'];

/** One task's harness definition, over its HF-flattened documents `D`. */
export interface TaskSpec<D> {
  readonly name: TaskName;
  /** The harness's task name (current RTE is `sglue_rte`). */
  readonly harnessName: Record<PromptVersion, string>;
  /** The harness's task version: v0.3 `VERSION`, current `metadata.version`. */
  readonly harnessVersion: Record<PromptVersion, string>;
  /** The dataset the harness loads (for the record). */
  readonly harnessDataset: Record<PromptVersion, string>;
  /** The harness's per-document preprocessing (ReCoRD: sorted unique entities and answers), if any. */
  processDoc?(doc: D): D;
  /** The train documents few-shot examples are drawn from (v0.3 WSC: positives only). */
  fewshotPool(train: D[], v: PromptVersion): D[];
  /** The harness's `doc_to_text`. */
  text(doc: D, v: PromptVersion): string;
  /** The continuation strings scored for `doc`, in the harness's request order. */
  continuations(doc: D, v: PromptVersion): string[];
  /** What follows `text(doc)` in a demonstration: the target with its delimiter (v0.3 `doc_to_target`). */
  shotTarget(doc: D, v: PromptVersion): string;
  /** Indices into `continuations` of the gold answer(s), as the harness computes them. */
  gold(doc: D, v: PromptVersion): number[];
  /** The predicted continuation index from their log-likelihoods, with the harness's tie rule. */
  predict(lls: number[], v: PromptVersion): number;
  /** The task's metrics over all evaluated docs and their predictions. */
  aggregate(docs: D[], preds: number[], v: PromptVersion): Record<string, MetricValue>;
}

/** `np.argmax`: the first index of the maximum. */
export function argmaxFirst(lls: number[]): number {
  let best = 0;
  for (let i = 1; i < lls.length; i++) if (lls[i] > lls[best]) best = i;
  return best;
}

/** v0.3's `ll_yes > ll_no` over continuations [yes, no]: a tie means "no" (index 1). */
export function yesOverNo(lls: number[]): number {
  return lls[0] > lls[1] ? 0 : 1;
}
