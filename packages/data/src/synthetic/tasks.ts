// The H3 paper's synthetic language tasks (§3.1, Table 1), generated the way the authors' dataloader does
// (safari `src/dataloaders/synthetics.py`; design/h3-reference.md §8), with this package's seeded Rng in place
// of numpy's, so the semantics match but the exact examples do not.
//
// Vocabulary of size V: V − 2 regular tokens "0" … "V−3" plus two specials, the copy prefix "=>" and the
// no-op "."; ids are the positions of these strings sorted as strings (".", "0", "1", "10", …, "=>").
// Each example is a sequence S of length T; the model sees input S[0..T−2] and predicts target S[1..T−1].
// Train targets are all positions; test targets are −100 (ignored) except the last, so test accuracy is the
// accuracy on the final, answer token.
import { Rng } from '../rng.js';

/** Which task. */
export type SyntheticTask = 'induction-head' | 'assoc-recall';

/** Settings of a synthetic dataset; the defaults are the paper's. */
export interface SyntheticConfig {
  task: SyntheticTask;
  /** V, specials included (paper: 20 for induction head, 10 for associative recall) */
  vocabSize?: number;
  /** length of the random prefix before the answer part (paper: 30 for induction head, 20 for associative recall) */
  inputSeqLen?: number;
  /** distinct training examples (paper: 5000) */
  numExamples?: number;
  /** distinct test examples (paper: 500) */
  numTestExamples?: number;
  seed?: number;
}

/** One split: N examples of L = T − 1 positions, row-major. */
export interface SyntheticSplit {
  /** [N, L] input ids */
  inputs: Int32Array;
  /** [N, L] target ids; −100 where the loss ignores a position */
  targets: Int32Array;
  /** N */
  count: number;
}

/** A generated dataset. */
export interface SyntheticDataset {
  config: Required<SyntheticConfig>;
  /** id → token string */
  vocab: string[];
  /** L = T − 1, the model's sequence length */
  seqLen: number;
  train: SyntheticSplit;
  test: SyntheticSplit;
}

/** The paper's settings per task. */
export const PAPER_SETTINGS: Record<SyntheticTask, Required<Omit<SyntheticConfig, 'task'>>> = {
  'induction-head': { vocabSize: 20, inputSeqLen: 30, numExamples: 5000, numTestExamples: 500, seed: 0 },
  'assoc-recall': { vocabSize: 10, inputSeqLen: 20, numExamples: 5000, numTestExamples: 500, seed: 0 },
};

export const IGNORE_INDEX = -100;

/**
 * Generates train and test sets of a synthetic task, deduplicated within each split and shuffled.
 * @example
 * const ds = syntheticDataset({ task: 'induction-head', seed: 1 });
 * ds.train.inputs.length === 5000 * 31; ds.seqLen === 31;
 */
export function syntheticDataset(config: SyntheticConfig): SyntheticDataset {
  const c = { ...PAPER_SETTINGS[config.task], ...stripUndefined(config) } as Required<SyntheticConfig>;
  if (!Number.isInteger(c.vocabSize) || c.vocabSize < 4) throw new RangeError(`syntheticDataset: vocabSize must be an integer ≥ 4; got ${c.vocabSize}`);
  if (c.task === 'induction-head' && !(Number.isInteger(c.inputSeqLen) && c.inputSeqLen >= 3)) throw new RangeError(`syntheticDataset: induction-head needs inputSeqLen ≥ 3; got ${c.inputSeqLen}`);
  if (c.task === 'assoc-recall' && !(Number.isInteger(c.inputSeqLen) && c.inputSeqLen >= 2)) throw new RangeError(`syntheticDataset: assoc-recall needs inputSeqLen ≥ 2; got ${c.inputSeqLen}`);
  const vocab = taskVocab(c.vocabSize);
  const id = new Map(vocab.map((t, i) => [t, i]));
  const regular = vocab.filter((t) => t !== '=>' && t !== '.');
  const rng = new Rng(c.seed);
  const make = c.task === 'induction-head' ? () => inductionHead(regular, c.inputSeqLen, rng) : () => assocRecall(regular, c.inputSeqLen, rng);
  const T = c.task === 'induction-head' ? c.inputSeqLen + 2 : 2 * Math.floor(c.inputSeqLen / 2) + 3;
  const split = (n: number, test: boolean): SyntheticSplit => {
    const seen = new Set<string>();
    const examples: number[][] = [];
    // the number of distinct sequences is astronomically larger than n for the paper's settings; the cap
    // turns an impossible request (tiny vocabulary, many examples) into an error instead of a hang
    for (let tries = 0; examples.length < n; tries++) {
      if (tries > 100 * n + 1000) throw new RangeError(`syntheticDataset: could not find ${n} distinct ${c.task} examples with vocabSize ${c.vocabSize}, inputSeqLen ${c.inputSeqLen}`);
      const ex = make().map((t) => id.get(t)!);
      const key = ex.join(',');
      if (seen.has(key)) continue;
      seen.add(key);
      examples.push(ex);
    }
    rng.shuffle(examples);
    const L = T - 1;
    const inputs = new Int32Array(n * L);
    const targets = new Int32Array(n * L);
    examples.forEach((ex, i) => {
      for (let j = 0; j < L; j++) {
        inputs[i * L + j] = ex[j];
        targets[i * L + j] = test && j < L - 1 ? IGNORE_INDEX : ex[j + 1];
      }
    });
    return { inputs, targets, count: n };
  };
  const train = split(c.numExamples, false);
  const test = split(c.numTestExamples, true);
  return { config: c, vocab, seqLen: T - 1, train, test };
}

/** The task vocabulary of size V, sorted as strings. */
export function taskVocab(vocabSize: number): string[] {
  const tokens = Array.from({ length: vocabSize - 2 }, (_, i) => String(i));
  return [...tokens, '=>', '.'].sort();
}

/**
 * Induction head: L random regular tokens, then "=>"; one earlier position p ∈ [0, L − 2) becomes "=>" too, and
 * the answer appended at the end is the token that follows it. T = L + 2.
 */
function inductionHead(regular: string[], L: number, rng: Rng): string[] {
  const s = Array.from({ length: L }, () => regular[rng.int(regular.length)]);
  s.push('=>');
  const p = rng.int(L - 2);
  s[p] = '=>';
  s.push(s[p + 1]);
  return s;
}

/**
 * Associative recall: regular tokens split in sorted order into keys (first half) and values (second half); a
 * fresh random key → value map per example; ⌊L/2⌋ pairs "k v" with keys drawn with replacement; then "=> k v"
 * for a key that occurred (drawn among all keys, redrawn among the present ones if absent). T = 2⌊L/2⌋ + 3.
 */
function assocRecall(regular: string[], L: number, rng: Rng): string[] {
  const half = Math.floor(regular.length / 2);
  const keys = regular.slice(0, half);
  const values = regular.slice(half);
  const map = keys.map(() => values[rng.int(values.length)]);
  const s: string[] = [];
  const present: number[] = [];
  for (let i = 0; i < Math.floor(L / 2); i++) {
    const k = rng.int(keys.length);
    s.push(keys[k], map[k]);
    if (!present.includes(k)) present.push(k);
  }
  // as the reference: draw any key; if it did not occur, draw again among those that did
  let q = rng.int(keys.length);
  if (!present.includes(q)) q = present[rng.int(present.length)];
  s.push('=>', keys[q], map[q]);
  return s;
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
