import { describe, expect, it } from 'vitest';
import { randint, testSeed } from '../../testing/index.js';
import { Rng } from '../../util/rng.js';
import { expectSameBits, inWasm, normal, testRuntimes } from '../../wasm/test-helpers.js';
import { embeddingBackwardRef, embeddingForwardRef } from './embedding.ref.js';
import { embeddingBackwardWasm, embeddingForwardWasm } from './embedding.wasm.js';

const seed = testSeed();
const { rt1, rt2 } = testRuntimes();

// [n tokens, dim, vocab]: repeated ids (the scatter-add must sum them in order), odd widths, a width over
// one 256-column tile, and a size that splits between threads
const SHAPES: [number, number, number][] = [
  [1, 1, 1],
  [5, 3, 7],
  [31, 13, 4],
  [97, 257, 50],
  [2048, 600, 97],
];

describe('embeddingWasm vs the references (float32): the same bits, 1 and 2 threads', () => {
  it('forward gather and backward scatter-add', () => {
    const rng = new Rng(seed);
    for (const [n, dim, vocab] of SHAPES) {
      const p = { n, dim, vocab };
      const weight = normal(rng, vocab * dim);
      const ids = randint(rng, n, vocab);
      const dy = normal(rng, n * dim);
      const ref = new Float32Array(n * dim);
      embeddingForwardRef(ref, weight, ids, p);
      const dref = new Float32Array(vocab * dim);
      embeddingBackwardRef(dref, dy, ids, p);
      const runs = [rt1, rt2].map((rt) => {
        const idw = inWasm(rt, ids);
        const out = rt.allocF32(n * dim);
        embeddingForwardWasm(rt, out, inWasm(rt, weight), idw, p);
        const dw = rt.allocF32(vocab * dim).fill(Number.NaN); // overwritten, not accumulated into
        embeddingBackwardWasm(rt, dw, inWasm(rt, dy), idw, p);
        return { out, dw };
      });
      const label = `[${n},${dim},${vocab}]`;
      // a copy, and f32 sums over the tokens in the reference's order
      expectSameBits(runs[0].out, ref, `${label} forward`, seed);
      expectSameBits(runs[0].dw, dref, `${label} backward`, seed);
      expectSameBits(runs[1].out, runs[0].out, `${label} forward 2 threads vs 1`, seed);
      expectSameBits(runs[1].dw, runs[0].dw, `${label} backward 2 threads vs 1`, seed);
    }
  });

  it('refuses an id outside the table instead of reading other memory', () => {
    const ids = inWasm(rt1, Int32Array.from([0, -1]));
    expect(() => embeddingForwardWasm(rt1, rt1.allocF32(2 * 3), rt1.allocF32(4 * 3), ids, { n: 2, dim: 3, vocab: 4 })).toThrow(/id -1 at position 1/);
  });
});
