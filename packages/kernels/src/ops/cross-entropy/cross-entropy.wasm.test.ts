import { describe, expect, it } from 'vitest';
import { expectClose, randint, testSeed } from '../../testing/index.js';
import { Rng } from '../../util/rng.js';
import { expectSameBits, inWasm, normal, testRuntimes } from '../../wasm/test-helpers.js';
import { crossEntropyBackwardRef, crossEntropyForwardRef } from './cross-entropy.ref.js';
import { crossEntropyBackwardWasm, crossEntropyForwardWasm } from './cross-entropy.wasm.js';

const seed = testSeed();
const { rt1, rt2 } = testRuntimes();

// [rows, vocab]: tiny, odd and prime vocabularies, one longer than the 8192-entry exp slice, the GPT-2
// vocabulary, and enough rows to split between threads
const SHAPES: [number, number][] = [
  [1, 1],
  [3, 7],
  [13, 97],
  [4, 10007],
  [3, 50257],
  [257, 131],
];

describe('crossEntropyWasm vs the references (float32), 1 and 2 threads', () => {
  it('forward and backward, with ignored rows', () => {
    const rng = new Rng(seed);
    for (const [rows, vocab] of SHAPES) {
      const p = { rows, vocab };
      const logits = normal(rng, rows * vocab, 3);
      const targets = randint(rng, rows, vocab);
      if (rows > 1) targets[1] = -1;
      const dl = normal(rng, rows);
      const ref = new Float32Array(rows);
      crossEntropyForwardRef(ref, logits, targets, p);
      const dref = new Float32Array(rows * vocab);
      crossEntropyBackwardRef(dref, logits, targets, dl, p);
      const runs = [rt1, rt2].map((rt) => {
        const [lw, tw] = [inWasm(rt, logits), inWasm(rt, targets)];
        const losses = rt.allocF32(rows);
        crossEntropyForwardWasm(rt, losses, lw, tw, p);
        const dlogits = rt.allocF32(rows * vocab);
        crossEntropyBackwardWasm(rt, dlogits, lw, tw, inWasm(rt, dl), p);
        return { losses, dlogits };
      });
      const label = `[${rows},${vocab}]`;
      // loss = max + ln Σ e − x_t: the f32 exps (≤ 2 ulp, plus ε·|x − max| from the f32 subtraction) perturb
      // ln Σ by ≤ ~8ε absolute; losses are O(1-10), so 8ε relative with an absolute 1e-6
      expectClose(runs[0].losses, ref, 8 * 2 ** -24, `${label} losses`, seed, 1e-6);
      // softmax − onehot: the exps' few-ulp errors carry over relative to each entry
      expectClose(runs[0].dlogits, dref, 8 * 2 ** -24, `${label} dlogits`, seed, 1e-9);
      if (rows > 1) expect(runs[0].losses[1], 'ignored row').toBe(0);
      expectSameBits(runs[1].losses, runs[0].losses, `${label} losses 2 threads vs 1`, seed);
      expectSameBits(runs[1].dlogits, runs[0].dlogits, `${label} dlogits 2 threads vs 1`, seed);
    }
  });

  it('refuses a target outside the vocabulary instead of reading past the row', () => {
    const logits = rt1.allocF32(2 * 5);
    const targets = inWasm(rt1, Int32Array.from([1, 5]));
    expect(() => crossEntropyForwardWasm(rt1, rt1.allocF32(2), logits, targets, { rows: 2, vocab: 5 })).toThrow(/target 5 at row 1 is outside \[0, 5\)/);
  });
});
