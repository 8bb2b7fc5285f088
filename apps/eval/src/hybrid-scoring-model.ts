// The evaluator's ScoringModel over a @hippo/models HybridLM.
// - Windows: right-padded to the longest window of a call and run through `forward` in one batch (causal
//   model: a position never sees the padding after it). Only the scored positions' logit rows are gathered on
//   the device and read back; log-softmax and argmax run on the host in float64 over the real vocabulary.
//   Calls are split so that one call's logits [B, T, V_pad] stay under a byte budget.
// - Shared prefix (one document's choices): one `prefill` of the context gives the logits after its last
//   token — the whole answer for one-token continuations (" yes", " True", …) and the first token of longer
//   ones, which then take recurrent `step`s from the prefill state. Prefill computes the LM head for the last
//   position only, so the context's positions skip the head that `forward` pays for everywhere.
//   The context is prefilled once (one row); for r ≥ 2 multi-token continuations its state is repeated into r
//   rows (`repeatStates`), which then step together.
import { noGrad, tidy, concat, reshape, slice, type Tensor } from '@hippo/tensor';
import type { HybridLM } from '@hippo/models';
import type { LoglikelihoodResult, ModelInfo, PrefixGroup, ScoringModel, ScoringWindow } from '@hippo/eval';
import { addTokenScore, type TokenScore } from './token-scores.js';

/** Options of {@link HybridScoringModel}. */
export interface HybridScoringOptions {
  /** Cap on the input window (the harness's --max_length); the model's own limit applies anyway. */
  maxLength?: number;
  /** Largest logits tensor one forward call may produce, bytes [256 MiB]; a longer batch is split. */
  maxLogitBytes?: number;
  /** Token written into the padding positions (any real id; its outputs are never read) [0]. */
  padToken?: number;
}

/**
 * @example
 * const { model } = await loadCheckpoint('checkpoints/main', cpuBackend());
 * const scorer = new HybridScoringModel(model, { name: 'h3-tiny', description: '…', checkpoint: 'checkpoints/main', checkpointHash: null });
 * const [r] = await loglikelihood(scorer, [{ context: [464, 3290], continuation: [318] }]);
 */
export class HybridScoringModel implements ScoringModel {
  /**
   * Longest input window: the learned positions of a Transformer (maxPositionEmbeddings), no limit (Infinity)
   * for H3 models, whose state carries any length — or the cap given.
   */
  readonly maxLength: number;
  /** The real vocabulary (the logits' first vocabSize columns; the rest up to V_pad is padding). */
  readonly vocabSize: number;
  private readonly vPad: number;
  private readonly maxLogitBytes: number;
  private readonly padToken: number;

  constructor(
    readonly model: HybridLM,
    readonly info: ModelInfo,
    opts: HybridScoringOptions = {},
  ) {
    model.eval(); // dropout off
    const positions = model.config.maxPositionEmbeddings;
    this.maxLength = Math.min(opts.maxLength ?? Infinity, positions > 0 ? positions : Infinity);
    this.vocabSize = model.config.vocabSize;
    this.vPad = model.vocab;
    this.maxLogitBytes = opts.maxLogitBytes ?? 256 * 2 ** 20;
    this.padToken = opts.padToken ?? 0;
  }

  async scoreWindows(windows: ScoringWindow[]): Promise<LoglikelihoodResult[]> {
    const out: LoglikelihoodResult[] = [];
    for (let i = 0; i < windows.length; ) {
      // windows come longest first, so the first of a call sets its length T
      const T = windows[i].input.length;
      const rows = Math.max(1, Math.floor(this.maxLogitBytes / (4 * T * this.vPad)));
      const call = windows.slice(i, i + rows);
      out.push(...(await this.scoreBatch(call)));
      i += call.length;
    }
    return out;
  }

  /** windows → one forward over ids [B, T] (right-padded), logits of the scored positions only. */
  private async scoreBatch(windows: ScoringWindow[]): Promise<LoglikelihoodResult[]> {
    const B = windows.length;
    const T = Math.max(...windows.map((w) => w.input.length));
    const ids = new Int32Array(B * T).fill(this.padToken);
    windows.forEach((w, b) => ids.set(w.input, b * T));
    const picked = noGrad(() =>
      tidy(() => {
        const flat = reshape(this.model.forward(ids, B, T), [B * T, this.vPad]);
        const parts = windows.map((w, b) => slice(flat, 0, b * T + w.input.length - w.targets.length, b * T + w.input.length));
        return parts.length === 1 ? parts[0] : concat(parts, 0);
      }),
    );
    const logits = await readAndFree(picked); // [Σ n_b, V_pad]
    let row = 0;
    return windows.map((w) => {
      const acc: TokenScore = { logprob: 0, isGreedy: true };
      for (let j = 0; j < w.targets.length; j++) addTokenScore(acc, logits, row++, this.vPad, this.vocabSize, w.targets[j]);
      return acc;
    });
  }

  async scoreSharedPrefix(groups: PrefixGroup[]): Promise<LoglikelihoodResult[][]> {
    const out: LoglikelihoodResult[][] = [];
    for (const g of groups) out.push(await this.scoreGroup(g));
    return out;
  }

  private async scoreGroup({ prefix, continuations }: PrefixGroup): Promise<LoglikelihoodResult[]> {
    const P = prefix.length;
    const multi = continuations.flatMap((c, i) => (c.length > 1 ? [i] : []));
    const R = Math.max(1, multi.length); // row r steps continuation multi[r]
    const prefilled = noGrad(() => tidy(() => this.model.prefill(Int32Array.from(prefix), 1, P)));
    let states = prefilled.states;
    try {
      const firstRow = await readAndFree(prefilled.logits); // [1, V_pad]: the prefix's next-token logits
      const results: TokenScore[] = continuations.map(() => ({ logprob: 0, isGreedy: true }));
      continuations.forEach((c, i) => addTokenScore(results[i], firstRow, 0, this.vPad, this.vocabSize, c[0]));
      if (R > 1) {
        const repeated = this.model.repeatStates(states, R);
        for (const s of states) s.dispose();
        states = repeated;
      }
      const steps = Math.max(0, ...multi.map((i) => continuations[i].length - 1));
      for (let j = 1; j <= steps; j++) {
        // feed token j − 1 of each continuation at position P + j − 1; finished rows repeat their last token
        const next = Int32Array.from(multi, (i) => continuations[i][Math.min(j, continuations[i].length) - 1]);
        const logits = await readAndFree(noGrad(() => tidy(() => this.model.step(next, states, P + j - 1))));
        multi.forEach((i, r) => {
          if (j < continuations[i].length) addTokenScore(results[i], logits, r, this.vPad, this.vocabSize, continuations[i][j]);
        });
      }
      return results;
    } finally {
      for (const s of states) s.dispose();
    }
  }
}

async function readAndFree(t: Tensor): Promise<Float32Array> {
  try {
    return (await t.toArray()) as Float32Array;
  } finally {
    t.dispose();
  }
}
