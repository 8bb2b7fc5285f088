// A deterministic toy language model so that the evaluator runs end to end before the H3 models exist:
// an add-k smoothed bigram model interpolated with a cache of the tokens seen so far in the input,
//   p(t | h) = (1 − β)·p_bi(t | h_last) + β·count_h(t) / |h|       (β = 0 for an empty history)
//   p_bi(t | s) = (c(s, t) + k·p_uni(t)) / (c(s) + k),   p_uni(t) = (c(t) + 1) / (N + V).
// The cache makes the state depend on the whole history, so its shared-prefix path (state after the prefix,
// copied per continuation) is a real test of the scheduling. All arithmetic is float64.
import { createHash } from 'node:crypto';
import type { LoglikelihoodResult, ModelInfo, PrefixGroup, ScoringModel, ScoringWindow } from './types.js';

/** Settings of the toy model (defaults in brackets). */
export interface ToyNgramConfig {
  /** Vocabulary size V (GPT-2: 50257). */
  vocabSize: number;
  /** Longest input window [2048, the H3 models' context]. */
  maxLength?: number;
  /** Bigram smoothing strength k [1]. */
  smoothing?: number;
  /** Cache interpolation weight β [0.2]. */
  cacheWeight?: number;
}

/** State after a history: the last token and the history's token counts. */
interface State {
  last: number; // -1 for an empty history
  counts: Map<number, number>;
  length: number;
}

/**
 * The toy model. Fit it on token streams, then evaluate with it like any ScoringModel.
 * @example const m = ToyNgramModel.fit([[464, 3290, 318]], { vocabSize: 50257 }); await m.scoreWindows([...]);
 */
export class ToyNgramModel implements ScoringModel {
  readonly info: ModelInfo;
  readonly maxLength: number;
  private readonly V: number;
  private readonly k: number;
  private readonly beta: number;
  private readonly unigram: Float64Array; // [V] c(t)
  private readonly total: number; // N
  private readonly bigram: Map<number, Map<number, number>>; // s → t → c(s, t)
  private readonly bigramTotal: Map<number, number>; // s → c(s)
  private readonly byUnigram: Int32Array; // token ids sorted by (−c(t), id)

  private constructor(cfg: ToyNgramConfig, streams: readonly (readonly number[])[]) {
    this.V = cfg.vocabSize;
    this.maxLength = cfg.maxLength ?? 2048;
    this.k = cfg.smoothing ?? 1;
    this.beta = cfg.cacheWeight ?? 0.2;
    this.unigram = new Float64Array(this.V);
    this.bigram = new Map();
    this.bigramTotal = new Map();
    let total = 0;
    for (const s of streams) {
      for (let i = 0; i < s.length; i++) {
        const t = s[i];
        if (!Number.isInteger(t) || t < 0 || t >= this.V) throw new RangeError(`ToyNgramModel.fit: token ${t} outside the vocabulary [0, ${this.V})`);
        this.unigram[t]++;
        total++;
        if (i > 0) {
          let row = this.bigram.get(s[i - 1]);
          if (!row) this.bigram.set(s[i - 1], (row = new Map()));
          row.set(t, (row.get(t) ?? 0) + 1);
          this.bigramTotal.set(s[i - 1], (this.bigramTotal.get(s[i - 1]) ?? 0) + 1);
        }
      }
    }
    this.total = total;
    this.byUnigram = Int32Array.from({ length: this.V }, (_, i) => i).sort((a, b) => this.unigram[b] - this.unigram[a] || a - b);
    const hash = this.parameterHash();
    this.info = {
      name: 'toy-ngram',
      description: `toy bigram + cache model (k=${this.k}, β=${this.beta}) fitted on ${total} tokens; for plumbing tests, not a language model`,
      checkpoint: null,
      checkpointHash: hash,
    };
  }

  /** Fits the counts on token streams (each stream is one document; bigrams do not cross streams). */
  static fit(streams: readonly (readonly number[])[], cfg: ToyNgramConfig): ToyNgramModel {
    return new ToyNgramModel(cfg, streams);
  }

  async scoreWindows(windows: ScoringWindow[]): Promise<LoglikelihoodResult[]> {
    return windows.map(({ input, targets }) => {
      const T = input.length;
      const n = targets.length;
      if (n < 1 || n > T) throw new RangeError(`ToyNgramModel.scoreWindows: targets [${n}] must be 1..${T} (input [${T}])`);
      const st = this.emptyState();
      for (let p = 0; p < T - n; p++) this.push(st, input[p]);
      return this.scoreFrom(st, targets, (j) => input[T - n + j]);
    });
  }

  async scoreSharedPrefix(groups: PrefixGroup[]): Promise<LoglikelihoodResult[][]> {
    return groups.map(({ prefix, continuations }) => {
      const st = this.emptyState();
      for (let p = 0; p < prefix.length - 1; p++) this.push(st, prefix[p]);
      const last = prefix[prefix.length - 1];
      return continuations.map((cont) => {
        const own: State = { last: st.last, counts: new Map(st.counts), length: st.length };
        // input position of target j: the prefix's last token, then the continuation's tokens before j
        return this.scoreFrom(own, cont, (j) => (j === 0 ? last : cont[j - 1]));
      });
    });
  }

  private scoreFrom(st: State, targets: Int32Array, inputAt: (j: number) => number): LoglikelihoodResult {
    let logprob = 0;
    let isGreedy = true;
    for (let j = 0; j < targets.length; j++) {
      this.push(st, inputAt(j));
      logprob += Math.log(this.prob(st, targets[j]));
      if (isGreedy && this.argmax(st) !== targets[j]) isGreedy = false;
    }
    return { logprob, isGreedy };
  }

  private emptyState(): State {
    return { last: -1, counts: new Map(), length: 0 };
  }

  private push(st: State, t: number): void {
    st.last = t;
    st.counts.set(t, (st.counts.get(t) ?? 0) + 1);
    st.length++;
  }

  private prob(st: State, t: number): number {
    const pUni = (this.unigram[t] + 1) / (this.total + this.V);
    let pBi = pUni;
    if (st.last >= 0) {
      const c = this.bigram.get(st.last)?.get(t) ?? 0;
      pBi = (c + this.k * pUni) / ((this.bigramTotal.get(st.last) ?? 0) + this.k);
    }
    if (st.length === 0) return pBi;
    return (1 - this.beta) * pBi + (this.beta * (st.counts.get(t) ?? 0)) / st.length;
  }

  /**
   * The most likely next token (lowest id on ties). Only tokens with a bigram count or in the cache can beat
   * p_uni's order, so the candidates are those plus the best token outside them in (−c(t), id) order.
   */
  private argmax(st: State): number {
    const cands = new Set<number>(st.counts.keys());
    for (const t of this.bigram.get(st.last)?.keys() ?? []) cands.add(t);
    for (const t of this.byUnigram) {
      if (!cands.has(t)) {
        cands.add(t);
        break;
      }
    }
    let best = -1;
    let bestP = -Infinity;
    for (const t of cands) {
      const p = this.prob(st, t);
      if (p > bestP || (p === bestP && t < best)) {
        best = t;
        bestP = p;
      }
    }
    return best;
  }

  private parameterHash(): string {
    const h = createHash('sha256');
    h.update(JSON.stringify({ V: this.V, k: this.k, beta: this.beta, maxLength: this.maxLength }));
    h.update(new Uint8Array(this.unigram.buffer));
    for (const s of [...this.bigram.keys()].sort((a, b) => a - b)) {
      const row = this.bigram.get(s)!;
      h.update(JSON.stringify([s, [...row.entries()].sort((a, b) => a[0] - b[0])]));
    }
    return h.digest('hex');
  }
}
