import { describe, it } from 'vitest';
import { expectClose, testSeed } from '../../testing/index.js';
import { Rng } from '../../util/rng.js';
import { expectSameBits, inWasm, normal, testRuntimes } from '../../wasm/test-helpers.js';
import { softmaxBackwardRef, softmaxForwardRef } from './softmax.ref.js';
import { softmaxBackwardWasm, softmaxForwardWasm } from './softmax.wasm.js';

const seed = testSeed();
const { rt1, rt2 } = testRuntimes();

// [rows, dim]: odd and prime widths with 1-3 element tails, a long row, and enough rows to split
const SHAPES: [number, number][] = [
  [1, 1],
  [3, 7],
  [13, 31],
  [5, 257],
  [2, 5003],
  [601, 97],
];

describe('softmaxWasm vs the references (float32), 1 and 2 threads', () => {
  it('forward', () => {
    const rng = new Rng(seed);
    for (const [rows, dim] of SHAPES) {
      const x = normal(rng, rows * dim, 4);
      const ref = new Float32Array(rows * dim);
      softmaxForwardRef(ref, x, { rows, dim });
      const outs = [rt1, rt2].map((rt) => {
        const out = rt.allocF32(rows * dim);
        softmaxForwardWasm(rt, out, inWasm(rt, x), { rows, dim });
        return out;
      });
      // exp within 2 ulp, x − max rounded in f32 (relative ε·|x − max| in the exp), sum in f64, one more
      // rounding in e·(1/sum): a few ulp per element; 8 ulp bounds the relative L2 error
      expectClose(outs[0], ref, 8 * 2 ** -24, `forward [${rows},${dim}]`, seed);
      expectSameBits(outs[1], outs[0], `forward [${rows},${dim}] 2 threads vs 1`, seed);
    }
  });

  it('backward', () => {
    const rng = new Rng(seed);
    for (const [rows, dim] of SHAPES) {
      const y = new Float32Array(rows * dim);
      softmaxForwardRef(y, normal(rng, rows * dim, 2), { rows, dim });
      const dy = normal(rng, rows * dim);
      const ref = new Float32Array(rows * dim);
      softmaxBackwardRef(ref, y, dy, { rows, dim });
      const outs = [rt1, rt2].map((rt) => {
        const dx = rt.allocF32(rows * dim);
        softmaxBackwardWasm(rt, dx, inWasm(rt, y), inWasm(rt, dy), { rows, dim });
        return dx;
      });
      // f64 arithmetic like the reference; only the order of the dot product differs (~dim·2^-53 relative)
      expectClose(outs[0], ref, 2 ** -23, `backward [${rows},${dim}]`, seed, 1e-9);
      expectSameBits(outs[1], outs[0], `backward [${rows},${dim}] 2 threads vs 1`, seed);
    }
  });
});
