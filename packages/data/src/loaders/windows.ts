// Training and evaluation windows over token shards. A window is seqLen + 1 consecutive tokens: the model's
// input is the first seqLen, its target the last seqLen. Windows cross document boundaries freely (as in
// nanoGPT and flash-attention: no padding, EOT is an ordinary token).
import { Rng, hashWords } from '../rng.js';
import type { TokenShards } from './token-shards.js';

/** The saved position of a {@link RandomWindows}: restoring it replays the same batches from there on. */
export interface RandomWindowsState {
  seed: number;
  /** batches drawn so far */
  step: number;
}

/**
 * Random windows for training, as nanoGPT samples them: each window starts at a uniform offset in
 * [0, n − seqLen − 1]. Batch `step` is a pure function of (seed, step), so the position is just the step count.
 * @example
 * const w = new RandomWindows(TokenShards.fromManifest('tokens', 'train'), { seqLen: 1024, batchSize: 8, seed: 1 });
 * const batch = w.next(); // Int32Array [8, 1025]
 * const saved = w.state(); // … later: new RandomWindows(shards, { …, state: saved })
 */
export class RandomWindows {
  readonly seqLen: number;
  readonly batchSize: number;
  private readonly seed: number;
  private step: number;
  private readonly buf: Uint16Array; // [seqLen + 1]

  constructor(
    private readonly shards: TokenShards,
    opts: { seqLen: number; batchSize: number; seed: number; state?: RandomWindowsState },
  ) {
    const { seqLen, batchSize } = opts;
    if (!(Number.isInteger(seqLen) && seqLen >= 1)) throw new RangeError(`RandomWindows: seqLen must be a positive integer; got ${seqLen}`);
    if (!(Number.isInteger(batchSize) && batchSize >= 1)) throw new RangeError(`RandomWindows: batchSize must be a positive integer; got ${batchSize}`);
    if (shards.length < seqLen + 1) throw new RangeError(`RandomWindows: the shards hold ${shards.length} tokens, fewer than one window of seqLen + 1 = ${seqLen + 1}`);
    if (opts.state && opts.state.seed !== opts.seed) throw new RangeError(`RandomWindows: state was saved with seed ${opts.state.seed}, not ${opts.seed}`);
    this.seqLen = seqLen;
    this.batchSize = batchSize;
    this.seed = opts.seed >>> 0;
    this.step = opts.state?.step ?? 0;
    this.buf = new Uint16Array(seqLen + 1);
  }

  /** The next batch: [batchSize, seqLen + 1] token ids, row-major. */
  next(): Int32Array {
    const W = this.seqLen + 1;
    const out = new Int32Array(this.batchSize * W);
    const rng = new Rng(hashWords(this.seed, this.step % 4294967296, Math.floor(this.step / 4294967296)));
    const starts = this.shards.length - this.seqLen; // number of valid window starts
    for (let b = 0; b < this.batchSize; b++) {
      this.shards.read(rng.bigInt(starts), this.buf);
      out.set(this.buf, b * W);
    }
    this.step++;
    return out;
  }

  state(): RandomWindowsState {
    return { seed: this.seed, step: this.step };
  }
}

/**
 * Sequential, non-overlapping windows for evaluation, as flash-attention's LMDataset cuts them: window i is
 * tokens [i·seqLen, i·seqLen + seqLen + 1); there are ⌊(n − 1) / seqLen⌋ of them (a partial last one is
 * dropped), so every token but the first is a target exactly once.
 * @example for (const batch of new SequentialWindows(val, { seqLen: 1024, batchSize: 4 })) evaluate(batch);
 */
export class SequentialWindows implements Iterable<Int32Array> {
  readonly count: number;

  constructor(
    private readonly shards: TokenShards,
    private readonly opts: { seqLen: number; batchSize: number },
  ) {
    if (!(Number.isInteger(opts.seqLen) && opts.seqLen >= 1)) throw new RangeError(`SequentialWindows: seqLen must be a positive integer; got ${opts.seqLen}`);
    if (!(Number.isInteger(opts.batchSize) && opts.batchSize >= 1)) throw new RangeError(`SequentialWindows: batchSize must be a positive integer; got ${opts.batchSize}`);
    this.count = Math.max(0, Math.floor((shards.length - 1) / opts.seqLen));
  }

  /** Batches of [b, seqLen + 1] ids from window `from` on (b = batchSize, fewer in the last batch). */
  *batches(from = 0): Generator<Int32Array> {
    const { seqLen, batchSize } = this.opts;
    const W = seqLen + 1;
    const buf = new Uint16Array(W);
    for (let i = from; i < this.count; i += batchSize) {
      const b = Math.min(batchSize, this.count - i);
      const out = new Int32Array(b * W);
      for (let j = 0; j < b; j++) {
        this.shards.read((i + j) * seqLen, buf);
        out.set(buf, j * W);
      }
      yield out;
    }
  }

  [Symbol.iterator](): Generator<Int32Array> {
    return this.batches(0);
  }
}
