// Language modelling on GPT-2 token shards: random windows for training (a pure function of seed and batch
// index, nanoGPT-style) and the first `evalBatches` sequential validation windows for evaluation.
import { GPT2_VOCAB_SIZE, RandomWindows, SequentialWindows, TokenShards } from '@hippo/data';
import { TrainConfigError } from '../errors.js';
import { windowsToBatch, type Batch, type DataSource } from './source.js';

/** Opens `<dir>/manifest.json`'s train and val splits. */
export function shardsSource(dir: string, opts: { batchSize: number; seqLen: number; evalBatches: number; seed: number; label?: string }): DataSource {
  const train = TokenShards.fromManifest(dir, 'train');
  const val = TokenShards.fromManifest(dir, 'val');
  const { batchSize: B, seqLen: L, seed } = opts;
  if (val.length < L + 1)
    throw new TrainConfigError('seqLen', `at most ${val.length - 1} (the validation split of ${dir} holds ${val.length} tokens)`, String(L));
  let windows = new RandomWindows(train, { seqLen: L, batchSize: B, seed });
  const evalWindows = new SequentialWindows(val, { seqLen: L, batchSize: B });
  const fmt = (n: number) => n.toLocaleString('en-US');
  return {
    description: `${opts.label ?? `token shards ${dir}`}: ${fmt(train.length)} train / ${fmt(val.length)} val tokens`,
    vocabSize: GPT2_VOCAB_SIZE,
    seqLen: L,
    measuresAccuracy: false,
    get position() {
      return windows.state().step;
    },
    nextBatch: () => windowsToBatch(windows.next(), B, L),
    seek(position) {
      windows = new RandomWindows(train, { seqLen: L, batchSize: B, seed, state: { seed: seed >>> 0, step: position } });
    },
    *evalBatches(): Generator<Batch> {
      let n = 0;
      for (const w of evalWindows) {
        if (n++ >= opts.evalBatches) return;
        yield windowsToBatch(w, w.length / (L + 1), L);
      }
    },
    close() {
      train.close();
      val.close();
    },
  };
}
