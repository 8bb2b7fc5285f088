// Log-probability and greedy check of one target token from one row of logits, over the real vocabulary only:
// the embedding is padded (50257 → 50264 rows) and the padding rows are not tokens, so they take no part in
// the softmax or the argmax. Float64 accumulation: log p(t) = x_t − (m + log Σ_v exp(x_v − m)), m = max_v x_v.

/** Running sum of a continuation's log-probabilities and whether every token was the argmax. */
export interface TokenScore {
  logprob: number;
  isGreedy: boolean;
}

/**
 * Adds log p(target | row) to `acc` and clears `acc.isGreedy` unless target is the row's argmax (ties: the
 * lowest id, as torch's argmax).
 * @param logits rows of width `stride` (V_pad); row `row` is read at [row·stride, row·stride + vocabSize)
 * @example const acc = { logprob: 0, isGreedy: true }; addTokenScore(acc, logits, 0, 50264, 50257, 318);
 */
export function addTokenScore(acc: TokenScore, logits: Float32Array, row: number, stride: number, vocabSize: number, target: number): void {
  const x = logits.subarray(row * stride, row * stride + vocabSize);
  let m = -Infinity;
  let best = 0;
  for (let v = 0; v < vocabSize; v++)
    if (x[v] > m) {
      m = x[v];
      best = v;
    }
  let s = 0;
  for (let v = 0; v < vocabSize; v++) s += Math.exp(x[v] - m);
  acc.logprob += x[target] - m - Math.log(s);
  if (best !== target) acc.isGreedy = false;
}
