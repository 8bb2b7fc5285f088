// The document-level train/val split. Same semantics as the Hugging Face `train_test_split(test_size=f,
// seed=s)` that nanoGPT and flash-attention use for OpenWebText (each document lands in val with probability f,
// chosen by a seeded random draw), but not numpy-identical, and streaming: a document's split is a pure function
// of (seed, its key), so it never depends on timing, worker count or how many documents follow. The val count
// is therefore Binomial(n, f) rather than exactly ceil(f·n).

import { hashWords } from '../rng.js';

/** nanoGPT / flash-attention's OpenWebText setting. */
export const DEFAULT_VAL_FRACTION = 0.0005;
export const DEFAULT_VAL_SEED = 2357;

/**
 * Whether the document with key (file, a, b) goes to the val split. The key: `file` = index of the source file in
 * the sorted input list; `a` = line (jsonl), row (parquet) or member (OpenWebText tar); `b` = entry inside an
 * OpenWebText member, else 0.
 * @example isVal(0.0005, 2357, 0, 41, 0) // false for almost every key
 */
export function isVal(fraction: number, seed: number, file: number, a: number, b: number): boolean {
  if (fraction <= 0) return false;
  if (fraction >= 1) return true;
  return hashWords(seed, file, a, b) < fraction * 4294967296;
}
