// The interface between the evaluator and a language model. The evaluator speaks token ids; a model adapter
// (the @hippo/models checkpoints, or the toy model here) implements `ScoringModel`. Scheduling — dedup,
// longest-first sorting, batching, left truncation, shared-prefix grouping — lives in loglikelihood.ts, so an
// adapter only computes log-probabilities.

/** One request: log p(continuation | context), both as token ids. */
export interface LoglikelihoodRequest {
  context: readonly number[];
  continuation: readonly number[];
}

/** The harness's answer to a request. */
export interface LoglikelihoodResult {
  /** Σ_j log p(continuation[j] | context, continuation[:j]) (natural log, no length normalisation). */
  logprob: number;
  /** Every continuation token is the argmax of its next-token distribution (ties: the lowest id). */
  isGreedy: boolean;
}

/**
 * One forward pass: `input` ids [T] (already truncated to the model's length), and `targets` [n], n ≤ T: the
 * output at input position T − n + j must be scored against targets[j] (the harness's
 * `logits[inplen - contlen : inplen]`).
 */
export interface ScoringWindow {
  input: Int32Array;
  targets: Int32Array;
}

/**
 * Several continuations of one shared prefix. Result j = the LoglikelihoodResult of (prefix, continuations[j]);
 * it must equal scoring the window (prefix ++ continuations[j])[:-1] with targets continuations[j].
 */
export interface PrefixGroup {
  /** Context token ids [P], P ≥ 1: the output at its last position predicts each continuation's first token. */
  prefix: Int32Array;
  /** Continuation token ids, each [n_j ≥ 1]. */
  continuations: Int32Array[];
}

/** What the results file records about the model. */
export interface ModelInfo {
  /** Short name, e.g. "h3-125m" or "toy-ngram". */
  name: string;
  /** One line: architecture, size, training data. */
  description: string;
  /** Checkpoint path as given, or null for a model not loaded from a checkpoint. */
  checkpoint: string | null;
  /** SHA-256 of the checkpoint's weights (hex), or of the toy model's parameters. */
  checkpointHash: string | null;
}

/**
 * A causal language model as the evaluator sees it.
 * @example
 * const results = await loglikelihood(model, [{ context: [464, 3290], continuation: [318] }]);
 */
export interface ScoringModel {
  readonly info: ModelInfo;
  /** The longest input (tokens) one window may have: the harness's `max_length`. */
  readonly maxLength: number;
  /** Scores windows, sorted longest first, at most `batchSize` per call. Returns one result per window. */
  scoreWindows(windows: ScoringWindow[]): Promise<LoglikelihoodResult[]>;
  /**
   * Optional: scores every continuation of each group from one prefill of its prefix (recurrent/H3 models:
   * run the prefix once, snapshot the state, step each continuation from the snapshot). Called only for groups
   * whose every (prefix ++ continuation) fits in maxLength + 1 tokens, so no truncation is involved.
   */
  scoreSharedPrefix?(groups: PrefixGroup[]): Promise<LoglikelihoodResult[][]>;
}
