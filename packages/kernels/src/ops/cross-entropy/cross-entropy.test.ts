import { describe, expect, it } from 'vitest';
import { randn, testSeed } from '../../testing/index.js';
import { Rng } from '../../util/rng.js';
import { crossEntropyBackwardRef, crossEntropyForwardRef, type CrossEntropyParams } from './cross-entropy.ref.js';

const seed = testSeed();

/** Row r's target is -1 (ignored) when r % 3 == 1, else random. */
function targetsFor(rng: Rng, p: CrossEntropyParams): Int32Array {
  return Int32Array.from({ length: p.rows }, (_, r) => (r % 3 === 1 ? -1 : rng.int(p.vocab)));
}

describe('crossEntropyForwardRef', () => {
  it('equals −log softmax at the target and 0 for ignored rows', () => {
    const rng = new Rng(seed);
    const p: CrossEntropyParams = { rows: 5, vocab: 6 };
    const logits = randn(rng, p.rows * p.vocab, true);
    const targets = targetsFor(rng, p);
    const losses = new Float64Array(p.rows).fill(Number.NaN);
    crossEntropyForwardRef(losses, logits, targets, p);
    for (let r = 0; r < p.rows; r++) {
      const t = targets[r];
      if (t < 0) {
        expect(losses[r]).toBe(0);
        continue;
      }
      let z = 0;
      for (let j = 0; j < p.vocab; j++) z += Math.exp(logits[r * p.vocab + j]);
      expect(losses[r], `row ${r} seed ${seed}`).toBeCloseTo(-Math.log(Math.exp(logits[r * p.vocab + t]) / z), 12);
    }
  });

  it('stays finite for logits where a plain exp overflows', () => {
    const p: CrossEntropyParams = { rows: 1, vocab: 3 };
    const losses = new Float32Array(1);
    crossEntropyForwardRef(losses, Float32Array.from([1000, 999, 998]), Int32Array.from([1]), p);
    // shift invariance: same as logits [2, 1, 0]
    expect(losses[0]).toBeCloseTo(Math.log(Math.exp(2) + Math.exp(1) + 1) - 1, 5);
  });
});

describe('crossEntropyBackwardRef', () => {
  it('equals (softmax − onehot)·dloss, 0 for ignored rows, overwriting its output', () => {
    const rng = new Rng(seed);
    const p: CrossEntropyParams = { rows: 4, vocab: 5 };
    const logits = randn(rng, p.rows * p.vocab, true);
    const targets = targetsFor(rng, p);
    const dlosses = randn(rng, p.rows, true);
    const dlogits = new Float64Array(p.rows * p.vocab).fill(Number.NaN);
    crossEntropyBackwardRef(dlogits, logits, targets, dlosses, p);
    for (let r = 0; r < p.rows; r++) {
      const t = targets[r];
      let z = 0;
      for (let j = 0; j < p.vocab; j++) z += Math.exp(logits[r * p.vocab + j]);
      for (let j = 0; j < p.vocab; j++) {
        const want = t < 0 ? 0 : (Math.exp(logits[r * p.vocab + j]) / z - (j === t ? 1 : 0)) * dlosses[r];
        expect(dlogits[r * p.vocab + j], `[${r}, ${j}] seed ${seed}`).toBeCloseTo(want, 12);
      }
    }
  });

  it('is the gradient of Σ dloss·loss w.r.t. logits (float64 central differences)', () => {
    const rng = new Rng(seed);
    const p: CrossEntropyParams = { rows: 4, vocab: 7 };
    const logits = randn(rng, p.rows * p.vocab, true);
    const targets = targetsFor(rng, p);
    const g = randn(rng, p.rows, true);
    const losses = new Float64Array(p.rows);
    const f = () => {
      crossEntropyForwardRef(losses, logits, targets, p);
      let s = 0;
      for (let r = 0; r < p.rows; r++) s += g[r] * losses[r];
      return s;
    };
    const dlogits = new Float64Array(p.rows * p.vocab);
    crossEntropyBackwardRef(dlogits, logits, targets, g, p);
    const h = 1e-6;
    for (let k = 0; k < logits.length; k++) {
      const x = logits[k];
      logits[k] = x + h;
      const fp = f();
      logits[k] = x - h;
      const fm = f();
      logits[k] = x;
      const fd = (fp - fm) / (2 * h);
      expect(Math.abs(fd - dlogits[k]), `logits[${k}] seed ${seed}`).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(fd)));
    }
  });
});
