import { describe, expect, it } from 'vitest';
import { expectClose, gpuForTests, randn, readF32, testSeed, upload } from '../../testing/index.js';
import { Rng } from '../../util/rng.js';
import { crossEntropyBackward, crossEntropyForward } from './cross-entropy.js';
import { crossEntropyBackwardRef, crossEntropyForwardRef, type CrossEntropyParams } from './cross-entropy.ref.js';

const ctx = await gpuForTests();
const seed = testSeed();

// (rows, vocab): ones, odd, prime and past one 256-wide workgroup, GPT-2's vocabulary; `shift` is added to
// every logit and overflows exp(x) in f32 unless the row max is subtracted.
const CASES: (CrossEntropyParams & { shift: number })[] = [
  { rows: 1, vocab: 1, shift: 0 },
  { rows: 3, vocab: 7, shift: 0 },
  { rows: 13, vocab: 257, shift: 0 },
  { rows: 2, vocab: 50257, shift: 0 },
  { rows: 4, vocab: 31, shift: 100 },
];
const name = (p: CrossEntropyParams & { shift: number }) => `rows=${p.rows} vocab=${p.vocab} shift=${p.shift}`;

/** Inputs with logits ~ N(shift, 2²) and row r ignored (target −1) when r % 3 == 1. */
function inputs(rng: Rng, p: CrossEntropyParams & { shift: number }) {
  const logits = rng.fillNormal(new Float32Array(p.rows * p.vocab), p.shift, 2);
  const targets = Int32Array.from({ length: p.rows }, (_, r) => (r % 3 === 1 ? -1 : rng.int(p.vocab)));
  return { logits, targets };
}

// Tolerances. exp/log in WGSL are accurate to a few ulp for |x − max| ≲ 15 and each invocation sums
// ≲ vocab/256 + 8 terms in f32 (ε·√terms typical), so softmax entries carry ~1e-6 relative error; the loss
// m + log s − x_t also loses a few ε·|m| ≈ 1e-7·shift to cancellation (the losses here are ≳ 1).
const tol = (shift: number) => 1e-5 + 1e-7 * shift;

describe.skipIf(!ctx)('cross-entropy on webgpu vs the reference', () => {
  it('forward', async () => {
    const gpu = ctx!;
    const rng = new Rng(seed);
    for (const p of CASES) {
      const { logits, targets } = inputs(rng, p);
      const ref = new Float32Array(p.rows);
      crossEntropyForwardRef(ref, logits, targets, p);
      const losses = upload(gpu, new Float32Array(p.rows).fill(Number.NaN));
      crossEntropyForward(gpu, losses, upload(gpu, logits), upload(gpu, targets), p);
      const got = await readF32(gpu, losses, p.rows);
      for (let r = 1; r < p.rows; r += 3) expect(got[r], `ignored row ${r} of ${name(p)}`).toBe(0);
      expect(expectClose(got, ref, tol(p.shift), `crossEntropyForward ${name(p)}`, seed)).toBeLessThanOrEqual(tol(p.shift));
    }
  });

  it('backward', async () => {
    const gpu = ctx!;
    const rng = new Rng(seed);
    for (const p of CASES) {
      const { logits, targets } = inputs(rng, p);
      const dlosses = randn(rng, p.rows);
      const ref = new Float32Array(p.rows * p.vocab);
      crossEntropyBackwardRef(ref, logits, targets, dlosses, p);
      const dlogits = upload(gpu, new Float32Array(ref.length).fill(Number.NaN));
      crossEntropyBackward(gpu, dlogits, upload(gpu, logits), upload(gpu, targets), upload(gpu, dlosses), p);
      const got = await readF32(gpu, dlogits, ref.length);
      // softmax − onehot needs no cancellation beyond p_t − 1, so no shift term here
      expect(expectClose(got, ref, tol(0), `crossEntropyBackward ${name(p)}`, seed)).toBeLessThanOrEqual(tol(0));
    }
  });
});
