// Choosing the next token from one row of logits: greedy, or sampling with temperature, then top-k, then
// top-p (nucleus), from a seeded generator — applied at every step (the official v0.2.8 loop drops top-p
// after the first token; we do not copy that quirk).
import type { Rng } from '@hippo/tensor';

export interface SamplingOptions {
  /** 0 (or greedy: true) picks the most likely token. Default 1. */
  temperature?: number;
  greedy?: boolean;
  /** Keep the k most likely tokens (0: all). */
  topK?: number;
  /** Keep the smallest set of tokens whose probability reaches p (1: all). */
  topP?: number;
}

/** A token id from logits[0..vocab) (the padded tail of the embedding is never chosen). */
export function sampleToken(logits: ArrayLike<number>, vocab: number, opts: SamplingOptions, rng: Rng): number {
  const temperature = opts.greedy ? 0 : (opts.temperature ?? 1);
  if (temperature === 0) {
    let best = 0;
    for (let i = 1; i < vocab; i++) if (logits[i] > logits[best]) best = i;
    return best;
  }
  let ids = Array.from({ length: vocab }, (_, i) => i).sort((a, b) => logits[b] - logits[a]);
  if (opts.topK && opts.topK > 0) ids = ids.slice(0, opts.topK);
  const top = logits[ids[0]];
  let probs = ids.map((i) => Math.exp((logits[i] - top) / temperature));
  const total = probs.reduce((a, b) => a + b, 0);
  probs = probs.map((p) => p / total);
  const topP = opts.topP ?? 1;
  if (topP < 1) {
    let cum = 0;
    let keep = 0;
    while (keep < probs.length && cum < topP) cum += probs[keep++];
    ids = ids.slice(0, keep);
    probs = probs.slice(0, keep);
  }
  // the draw walks the kept tokens in id order, not logit order: same distribution, but two near-equal logits
  // that another backend rounds the other way round (swapping their places in the sort) map a draw to the same token
  const order = ids.map((_, i) => i).sort((a, b) => ids[a] - ids[b]);
  let u = rng.uniform() * probs.reduce((a, b) => a + b, 0);
  for (const i of order) {
    u -= probs[i];
    if (u < 0) return ids[i];
  }
  return ids[order[order.length - 1]];
}
