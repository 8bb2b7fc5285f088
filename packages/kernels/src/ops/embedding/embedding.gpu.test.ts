import { describe, expect, it } from 'vitest';
import { expectClose, gpuForTests, randint, randn, readF32, testSeed, upload } from '../../testing/index.js';
import { Rng } from '../../util/rng.js';
import { embeddingBackward, embeddingForward } from './embedding.js';
import { embeddingBackwardRef, embeddingForwardRef, type EmbeddingParams } from './embedding.ref.js';

const ctx = await gpuForTests();
const seed = testSeed();

// (n, dim, vocab): ones, odd/prime, many repeats of few ids, and a tall table that the backward splits into
// several 5-row chunks with a 1-row remainder.
const CASES: EmbeddingParams[] = [
  { n: 1, dim: 1, vocab: 1 },
  { n: 7, dim: 13, vocab: 5 },
  { n: 64, dim: 97, vocab: 31 },
  { n: 300, dim: 3, vocab: 2 },
  { n: 50, dim: 2, vocab: 20011 },
];
const name = (p: EmbeddingParams) => `n=${p.n} dim=${p.dim} vocab=${p.vocab}`;

describe.skipIf(!ctx)('embedding on webgpu vs the reference', () => {
  it('forward', async () => {
    const gpu = ctx!;
    const rng = new Rng(seed);
    for (const p of CASES) {
      const weight = randn(rng, p.vocab * p.dim);
      const ids = randint(rng, p.n, p.vocab);
      const ref = new Float32Array(p.n * p.dim);
      embeddingForwardRef(ref, weight, ids, p);
      const out = gpu.acquire(ref.byteLength);
      embeddingForward(gpu, out, upload(gpu, weight), upload(gpu, ids), p);
      const got = await readF32(gpu, out, ref.length);
      // a copy: exact
      expect(expectClose(got, ref, 0, `embeddingForward ${name(p)}`, seed)).toBe(0);
    }
  });

  it('backward', async () => {
    const gpu = ctx!;
    const rng = new Rng(seed);
    for (const p of CASES) {
      const dy = randn(rng, p.n * p.dim);
      const ids = randint(rng, p.n, p.vocab);
      const ref = new Float32Array(p.vocab * p.dim);
      embeddingBackwardRef(ref, dy, ids, p);
      // stale contents must be overwritten, not accumulated into
      const dweight = upload(gpu, new Float32Array(ref.length).fill(Number.NaN));
      embeddingBackward(gpu, dweight, upload(gpu, dy), upload(gpu, ids), p);
      const got = await readF32(gpu, dweight, ref.length);
      // the same f32 additions in the same token order as the reference: exact
      expect(expectClose(got, ref, 0, `embeddingBackward ${name(p)}`, seed)).toBe(0);
    }
  });
});
