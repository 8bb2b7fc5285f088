import { describe, expect, it } from 'vitest';
import { randint, randn, testSeed } from '../../testing/index.js';
import { Rng } from '../../util/rng.js';
import { embeddingBackwardRef, embeddingForwardRef, type EmbeddingParams } from './embedding.ref.js';

const seed = testSeed();

describe('embeddingForwardRef', () => {
  it('copies the row of each id', () => {
    const rng = new Rng(seed);
    const p: EmbeddingParams = { n: 6, dim: 5, vocab: 4 };
    const weight = randn(rng, p.vocab * p.dim, true);
    const ids = Int32Array.from([3, 0, 3, 1, 2, 0]);
    const out = new Float64Array(p.n * p.dim);
    embeddingForwardRef(out, weight, ids, p);
    for (let i = 0; i < p.n; i++)
      for (let d = 0; d < p.dim; d++) expect(out[i * p.dim + d], `seed ${seed}`).toBe(weight[ids[i] * p.dim + d]);
  });
});

describe('embeddingBackwardRef', () => {
  it('sums the dy rows of repeated ids, leaves unused rows zero and overwrites its output', () => {
    const rng = new Rng(seed);
    const p: EmbeddingParams = { n: 5, dim: 3, vocab: 4 };
    const dy = randn(rng, p.n * p.dim, true);
    const ids = Int32Array.from([2, 0, 2, 2, 0]); // row 1 and 3 unused
    const dweight = new Float64Array(p.vocab * p.dim).fill(7);
    embeddingBackwardRef(dweight, dy, ids, p);
    for (let d = 0; d < p.dim; d++) {
      const col = (i: number) => dy[i * p.dim + d];
      expect(dweight[0 * p.dim + d]).toBeCloseTo(col(1) + col(4), 14);
      expect(dweight[1 * p.dim + d]).toBe(0);
      expect(dweight[2 * p.dim + d]).toBeCloseTo(col(0) + col(2) + col(3), 14);
      expect(dweight[3 * p.dim + d]).toBe(0);
    }
  });

  it('is the gradient of Σ g·embeddingForward w.r.t. weight (float64 central differences)', () => {
    const rng = new Rng(seed);
    const p: EmbeddingParams = { n: 9, dim: 4, vocab: 5 };
    const weight = randn(rng, p.vocab * p.dim, true);
    const ids = randint(rng, p.n, p.vocab);
    ids[1] = ids[0]; // at least one repeated id
    const g = randn(rng, p.n * p.dim, true);
    const out = new Float64Array(p.n * p.dim);
    const f = () => {
      embeddingForwardRef(out, weight, ids, p);
      let s = 0;
      for (let k = 0; k < out.length; k++) s += g[k] * out[k];
      return s;
    };
    const dweight = new Float64Array(p.vocab * p.dim);
    embeddingBackwardRef(dweight, g, ids, p);
    const h = 1e-6;
    for (let k = 0; k < weight.length; k++) {
      const w = weight[k];
      weight[k] = w + h;
      const fp = f();
      weight[k] = w - h;
      const fm = f();
      weight[k] = w;
      const fd = (fp - fm) / (2 * h);
      expect(Math.abs(fd - dweight[k]), `weight[${k}] seed ${seed}`).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(fd)));
    }
  });
});
