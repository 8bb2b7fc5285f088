// What the trainer asks of its data: deterministic training micro-batches addressed by a position (so a
// checkpoint stores one integer and a resumed run sees the same batches), and a fixed validation set.
import type { DataSpec } from '../options.js';

/** One micro-batch: ids and next-token targets, both [B, L] row-major; target −1 = not scored. */
export interface Batch {
  ids: Int32Array;
  targets: Int32Array;
  B: number;
  L: number;
}

export interface DataSource {
  /** One line for the log, e.g. "embedded corpus: 1,969,785 train / 104,727 val tokens". */
  readonly description: string;
  /** Ids the model must embed (GPT-2: 50257; a synthetic task: its vocabulary). */
  readonly vocabSize: number;
  /** L of every batch. */
  readonly seqLen: number;
  /** Evaluation reports the accuracy on scored targets (synthetic tasks: the final token). */
  readonly measuresAccuracy: boolean;
  /** Micro-batches drawn so far: the loader position a checkpoint stores. */
  readonly position: number;
  /** The micro-batch at `position`, then advances it. */
  nextBatch(): Batch;
  /** Moves to a saved position. */
  seek(position: number): void;
  /** The validation batches, identical at every evaluation. */
  evalBatches(): Iterable<Batch>;
  close(): void;
}

/** What opening a source needs besides its spec. */
export interface SourceSettings {
  spec: DataSpec;
  batchSize: number;
  /** Language modelling only; synthetic tasks have their own. */
  seqLen: number;
  /** Validation batches per evaluation (language modelling). */
  evalBatches: number;
  seed: number;
  /** Where the embedded corpus is tokenized to (reused when complete); null: a temporary folder. */
  corpusTokensDir: string | null;
  log: (line: string) => void;
}

/** Splits windows [B, L + 1] into inputs (first L) and targets (last L). */
export function windowsToBatch(w: Int32Array, B: number, L: number): Batch {
  const ids = new Int32Array(B * L);
  const targets = new Int32Array(B * L);
  for (let b = 0; b < B; b++) {
    ids.set(w.subarray(b * (L + 1), b * (L + 1) + L), b * L);
    targets.set(w.subarray(b * (L + 1) + 1, (b + 1) * (L + 1)), b * L);
  }
  return { ids, targets, B, L };
}
