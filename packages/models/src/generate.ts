// Text generation: the prompt runs through the parallel forms once (FFT convolutions, causal attention), then
// every new token costs one recurrent step — O(1) per H3 layer and a KV-cache read per attention layer.
// Prompts of different lengths share the batch: all rows are prefilled up to the shortest prompt, then rows
// still inside their prompt are fed their own next token instead of a sample.
import { Rng, noGrad, tidy } from '@hippo/tensor';
import type { HybridLM } from './hybrid-lm.js';
import { sampleToken, type SamplingOptions } from './sample.js';

export interface GenerateOptions extends SamplingOptions {
  /** New tokens per row at most. */
  maxNewTokens: number;
  /** A row stops after producing this token (GPT-2's <|endoftext|> 50256 by default; null: never). */
  eosTokenId?: number | null;
  seed?: number;
  /** Called with each new token as soon as it is chosen (streaming). */
  onToken?: (row: number, token: number) => void;
}

export interface GenerateResult {
  /** The new tokens of each row (EOS included when produced). */
  tokens: number[][];
  prefillMs: number;
  decodeMs: number;
  /** Decoding steps run (one token per row each). */
  steps: number;
}

/** Generates continuations of `prompts` (token ids, each non-empty). */
export async function generate(model: HybridLM, prompts: ArrayLike<number>[], opts: GenerateOptions): Promise<GenerateResult> {
  const B = prompts.length;
  if (B === 0) throw new Error('generate: no prompts');
  prompts.forEach((p, i) => {
    if (p.length === 0) throw new Error(`generate: prompt ${i} is empty`);
  });
  const vocab = model.config.vocabSize;
  const eos = opts.eosTokenId === undefined ? 50256 : opts.eosTokenId;
  const rng = new Rng(opts.seed ?? 0);
  const wasTraining = model.training;
  model.eval();
  const minLen = Math.min(...prompts.map((p) => p.length));
  const maxLen = Math.max(...prompts.map((p) => p.length));
  const t0 = performance.now();
  const ids = new Int32Array(B * minLen);
  prompts.forEach((p, b) => {
    for (let t = 0; t < minLen; t++) ids[b * minLen + t] = p[t];
  });
  const { logits: first, states } = noGrad(() => tidy(() => model.prefill(ids, B, minLen)));
  let logits = (await first.toArray()) as Float32Array;
  first.dispose();
  const prefillMs = performance.now() - t0;
  const V = model.vocab;
  const tokens: number[][] = prompts.map(() => []);
  const done = new Array<boolean>(B).fill(false);
  let steps = 0;
  const t1 = performance.now();
  try {
    for (let pos = minLen; pos < maxLen + opts.maxNewTokens; pos++) {
      const next = new Int32Array(B);
      for (let b = 0; b < B; b++) {
        if (pos < prompts[b].length) {
          next[b] = prompts[b][pos];
          continue;
        }
        if (done[b]) {
          next[b] = eos ?? 0;
          continue;
        }
        const tok = sampleToken(logits.subarray(b * V, b * V + V), vocab, opts, rng);
        tokens[b].push(tok);
        opts.onToken?.(b, tok);
        next[b] = tok;
        if (tok === eos || tokens[b].length >= opts.maxNewTokens) done[b] = true;
      }
      if (done.every(Boolean)) break;
      const out = noGrad(() => tidy(() => model.step(next, states, pos)));
      logits = (await out.toArray()) as Float32Array;
      out.dispose();
      steps++;
    }
  } finally {
    for (const s of states) s.dispose();
    model.train(wasTraining);
  }
  return { tokens, prefillMs, decodeMs: performance.now() - t1, steps };
}
