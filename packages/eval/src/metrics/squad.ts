// SQuAD v1.1 answer normalisation, exact match and token F1 (transformers' squad_metrics, used by the harness
// for ReCoRD): lower-case, drop ASCII punctuation, drop the articles a/an/the, collapse whitespace.
import { PY_WORD_CHAR, pySplit } from '../python/py-str.js';

const PUNCTUATION = new Set('!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~'); // Python string.punctuation
// Python's `\b(a|an|the)\b` is Unicode-aware; JavaScript's `\b` is ASCII-only, so spell the boundaries out.
const ARTICLES = new RegExp(`(?<!${PY_WORD_CHAR})(a|an|the)(?!${PY_WORD_CHAR})`, 'gu');

/** `normalize_answer(s)`. */
export function normalizeAnswer(s: string): string {
  const noPunct = Array.from(s.toLowerCase())
    .filter((ch) => !PUNCTUATION.has(ch))
    .join('');
  return pySplit(noPunct.replace(ARTICLES, ' ')).join(' ');
}

/** `compute_exact(gold, pred)`: 1 if the normalised strings are equal. */
export function squadExact(gold: string, pred: string): number {
  return normalizeAnswer(gold) === normalizeAnswer(pred) ? 1 : 0;
}

/** `compute_f1(gold, pred)`: F1 over the bags of normalised whitespace tokens. */
export function squadF1(gold: string, pred: string): number {
  const g = gold ? pySplit(normalizeAnswer(gold)) : [];
  const p = pred ? pySplit(normalizeAnswer(pred)) : [];
  if (g.length === 0 || p.length === 0) return g.length === p.length ? 1 : 0; // `int(gold_toks == pred_toks)`
  const counts = new Map<string, number>();
  for (const t of g) counts.set(t, (counts.get(t) ?? 0) + 1);
  let same = 0;
  for (const t of p) {
    const c = counts.get(t) ?? 0;
    if (c > 0) {
      same++;
      counts.set(t, c - 1);
    }
  }
  if (same === 0) return 0;
  const precision = same / p.length;
  const recall = same / g.length;
  return (2 * precision * recall) / (precision + recall);
}

/** `metric_max_over_ground_truths(fn, pred, golds)`. */
export function maxOverGold(fn: (gold: string, pred: string) => number, pred: string, golds: readonly string[]): number {
  return Math.max(...golds.map((g) => fn(g, pred)));
}
