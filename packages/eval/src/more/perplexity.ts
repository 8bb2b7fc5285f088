// Perplexity of a model on a token stream with strided sliding windows (the Hugging Face "perplexity of
// fixed-length models" scheme): an EOT prefix makes the first token predictable; windows of up to
// `windowLength` inputs start every `stride` tokens, and each scores only the tokens the previous windows did
// not, so every token is scored exactly once with at least windowLength − stride tokens of context once the
// first window is full. stride = windowLength gives disjoint windows (cheapest); smaller strides give more
// context per token at more cost.
import { readFile } from 'node:fs/promises';
import { DataFormatError, EvalConfigError } from '../errors.js';
import { loglikelihood, type LoglikelihoodOptions } from '../model/loglikelihood.js';
import type { LoglikelihoodRequest, ScoringModel } from '../model/types.js';

/** One window over the prefixed sequence S = [EOT, t_0, …, t_{N−1}]: inputs S[start, end), scoring its last `scored` outputs. */
export interface PerplexityWindow {
  start: number;
  end: number;
  scored: number;
}

/**
 * The windows for N tokens. Every S[j], j = 1..N, is scored by exactly one window.
 * @example perplexityWindows(10, 4, 2); // [{start:0,end:4,scored:4},{start:2,end:6,scored:2},…]
 */
export function perplexityWindows(nTokens: number, windowLength: number, stride: number): PerplexityWindow[] {
  if (!Number.isInteger(windowLength) || windowLength < 1) throw new EvalConfigError('--window', 'an integer ≥ 1', String(windowLength));
  if (!Number.isInteger(stride) || stride < 1 || stride > windowLength) throw new EvalConfigError('--stride', `an integer in [1, window = ${windowLength}]`, String(stride));
  const out: PerplexityWindow[] = [];
  let predicted = 0; // S[1..predicted] are scored
  for (let start = 0; predicted < nTokens; start += stride) {
    const end = Math.min(start + windowLength, nTokens); // inputs S[start..end) predict S[start+1..end]
    if (end > predicted) out.push({ start, end, scored: end - predicted });
    predicted = end;
  }
  return out;
}

/** Options of {@link perplexity}. */
export interface PerplexityOptions extends LoglikelihoodOptions {
  /** Inputs per window [the model's maxLength]. */
  windowLength?: number;
  /** Tokens between window starts [windowLength]. */
  stride?: number;
  /** The token that precedes the stream (GPT-2: EOT 50256). */
  prefixToken: number;
}

/** Perplexity of a token stream. */
export interface PerplexityResult {
  tokens: number;
  windows: number;
  windowLength: number;
  stride: number;
  /** Σ −log p, in nats. */
  nll: number;
  /** exp(nll / tokens). */
  perplexity: number;
  bitsPerToken: number;
}

/**
 * Scores `tokens` with strided windows.
 * @example const r = await perplexity(model, tokens, { prefixToken: 50256, stride: 512 }); r.perplexity;
 */
export async function perplexity(model: ScoringModel, tokens: ArrayLike<number>, opts: PerplexityOptions): Promise<PerplexityResult> {
  const windowLength = opts.windowLength ?? model.maxLength;
  if (windowLength > model.maxLength) throw new EvalConfigError('--window', `at most the model's maxLength ${model.maxLength}`, String(windowLength));
  const stride = opts.stride ?? windowLength;
  const n = tokens.length;
  if (n === 0) throw new EvalConfigError('tokens', 'at least one token', 'an empty stream');
  const S = (j: number) => (j === 0 ? opts.prefixToken : tokens[j - 1]);
  const range = (a: number, b: number) => Array.from({ length: b - a }, (_, i) => S(a + i));
  const windows = perplexityWindows(n, windowLength, stride);
  // Window → request: context S[start, end − scored + 1), continuation S[end − scored + 1, end + 1); its input is
  // exactly S[start, end), never truncated (≤ windowLength ≤ maxLength tokens).
  const reqs: LoglikelihoodRequest[] = windows.map((w) => ({ context: range(w.start, w.end - w.scored + 1), continuation: range(w.end - w.scored + 1, w.end + 1) }));
  const scored = await loglikelihood(model, reqs, opts);
  const nll = -scored.reduce((s, r) => s + r.logprob, 0);
  return { tokens: n, windows: windows.length, windowLength, stride, nll, perplexity: Math.exp(nll / n), bitsPerToken: nll / n / Math.LN2 };
}

/**
 * Reads a token shard: raw little-endian uint16 token ids (the nanoGPT `.bin` layout).
 * @example const tokens = await readTokenShard('val.bin'); // Uint16Array
 */
export async function readTokenShard(path: string): Promise<Uint16Array> {
  const buf = await readFile(path);
  if (buf.byteLength % 2 !== 0) throw new DataFormatError(path, 0, '(file)', 'an even number of bytes (uint16 token ids)', `${buf.byteLength} bytes`);
  const out = new Uint16Array(buf.byteLength / 2);
  for (let i = 0; i < out.length; i++) out[i] = buf.readUInt16LE(2 * i);
  return out;
}
