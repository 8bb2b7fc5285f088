// A synthetic task of the paper (§8 of the reference): training batches walk the training set in epochs, each
// in its own seeded order (batch k is a pure function of seed and k; a partial last batch is dropped, so every
// batch has B rows); evaluation runs the test split, whose only scored target is the final (answer) token.
import { Rng, hashWords, syntheticDataset, type SyntheticTask } from '@hippo/data';
import { TrainConfigError } from '../errors.js';
import type { Batch, DataSource } from './source.js';

export function syntheticSource(opts: {
  task: SyntheticTask;
  vocabSize?: number;
  inputSeqLen?: number;
  numExamples?: number;
  numTestExamples?: number;
  trainOn?: 'all' | 'answer';
  batchSize: number;
  seed: number;
}): DataSource {
  // the dataset's own seed stays the paper's 0 (one fixed dataset); the run's seed orders the batches
  const ds = syntheticDataset({ task: opts.task, vocabSize: opts.vocabSize, inputSeqLen: opts.inputSeqLen, numExamples: opts.numExamples, numTestExamples: opts.numTestExamples });
  const B = opts.batchSize;
  const L = ds.seqLen;
  const N = ds.train.count;
  const perEpoch = Math.floor(N / B);
  if (perEpoch === 0) throw new TrainConfigError('batchSize', `at most the ${N} training examples of ${opts.task}`, String(B));
  let position = 0;
  let order: { epoch: number; perm: number[] } | null = null;
  const permOf = (epoch: number) => {
    if (order?.epoch !== epoch) order = { epoch, perm: new Rng(hashWords(opts.seed, epoch)).shuffle(Array.from({ length: N }, (_, i) => i)) };
    return order.perm;
  };
  // crossEntropy ignores −1; the data package marks unscored targets with PyTorch's −100
  const scored = (t: number) => (t < 0 ? -1 : t);
  // trainOn 'answer' scores only the last target of a training example, as the test split does: the other
  // targets of induction head are random tokens whose gradient noise drowns the one learnable target
  const firstScored = opts.trainOn === 'answer' ? L - 1 : 0;
  const rows = (split: { inputs: Int32Array; targets: Int32Array }, idx: number[], from = 0): Batch => {
    const ids = new Int32Array(idx.length * L);
    const targets = new Int32Array(idx.length * L);
    idx.forEach((e, r) => {
      ids.set(split.inputs.subarray(e * L, (e + 1) * L), r * L);
      for (let j = 0; j < L; j++) targets[r * L + j] = j < from ? -1 : scored(split.targets[e * L + j]);
    });
    return { ids, targets, B: idx.length, L };
  };
  return {
    description: `synthetic ${opts.task}: vocabulary ${ds.vocab.length}, length ${L}, ${N} train / ${ds.test.count} test examples${firstScored > 0 ? ', trained on the answer token' : ''}`,
    vocabSize: ds.vocab.length,
    seqLen: L,
    measuresAccuracy: true,
    get position() {
      return position;
    },
    nextBatch() {
      const perm = permOf(Math.floor(position / perEpoch));
      const k = position % perEpoch;
      position++;
      return rows(ds.train, perm.slice(k * B, (k + 1) * B), firstScored);
    },
    seek(p) {
      position = p;
    },
    *evalBatches(): Generator<Batch> {
      for (let i = 0; i < ds.test.count; i += B) yield rows(ds.test, Array.from({ length: Math.min(B, ds.test.count - i) }, (_, j) => i + j));
    },
    close() {},
  };
}

/** Micro-batches per pass over the training set of a synthetic task (for --epochs). */
export function syntheticBatchesPerEpoch(numExamples: number, batchSize: number): number {
  return Math.floor(numExamples / batchSize);
}
