import { describe, expect, it } from 'vitest';
import { expectClose, gpuForTests, randn, readF32, testSeed, upload } from '../../testing/index.js';
import { Rng } from '../../util/rng.js';
import { softmaxBackward, softmaxForward } from './softmax.js';
import { softmaxBackwardRef, softmaxForwardRef } from './softmax.ref.js';

const ctx = await gpuForTests();
const seed = testSeed();

// [rows, dim]: 1, odd, prime, not a multiple of the workgroup, and a GPT-2 vocabulary row
const SHAPES: [number, number][] = [
  [1, 1],
  [1, 7],
  [3, 13],
  [17, 64],
  [5, 257],
  [2, 50257],
];

// f32 sums over n terms err by ~√n·2⁻²⁴ relative (random rounding); exp itself is good to a few ulp
const tol = (n: number) => 4 * (Math.sqrt(n) + 8) * 2 ** -24;

describe.skipIf(!ctx)('softmax on webgpu vs the reference', () => {
  it('forward', async () => {
    const gpu = ctx!;
    const rng = new Rng(seed);
    for (const [rows, dim] of SHAPES) {
      const p = { rows, dim };
      // logits of scale 3 plus an offset of 50: peaked rows, and exp(x) alone would lose precision
      const x = rng.fillNormal(new Float32Array(rows * dim), 50, 3);
      const ref = new Float32Array(rows * dim);
      softmaxForwardRef(ref, x, p);
      const out = gpu.acquire(rows * dim * 4);
      softmaxForward(gpu, out, upload(gpu, x), p);
      const got = await readF32(gpu, out, rows * dim);
      expect(expectClose(got, ref, tol(dim), `softmaxForward [${rows}, ${dim}]`, seed)).toBeLessThanOrEqual(tol(dim));
    }
  });

  it('backward', async () => {
    const gpu = ctx!;
    const rng = new Rng(seed);
    for (const [rows, dim] of SHAPES) {
      const p = { rows, dim };
      const y = new Float32Array(rows * dim);
      softmaxForwardRef(y, rng.fillNormal(new Float32Array(rows * dim), 0, 3), p);
      const dy = randn(rng, rows * dim);
      const ref = new Float32Array(rows * dim);
      softmaxBackwardRef(ref, y, dy, p);
      const dx = gpu.acquire(rows * dim * 4);
      softmaxBackward(gpu, dx, upload(gpu, y), upload(gpu, dy), p);
      const got = await readF32(gpu, dx, rows * dim);
      // dx = y(dy − s) cancels when dy ≈ s = Σ dy·y: rounding of both terms gives |err| ≲ y(|dy| + |s|)·ε per
      // element, so the bound is relative to ‖y(|dy| + |s|)‖, not to ‖dx‖
      let scale = 0;
      let norm = 0;
      for (let r = 0; r < rows; r++) {
        let s = 0;
        for (let i = 0; i < dim; i++) s += dy[r * dim + i] * y[r * dim + i];
        for (let i = 0; i < dim; i++) {
          const k = r * dim + i;
          scale += (y[k] * (Math.abs(dy[k]) + Math.abs(s))) ** 2;
          norm += ref[k] ** 2;
        }
      }
      const bound = tol(dim) * (norm > 0 ? Math.max(1, Math.sqrt(scale / norm)) : 1);
      expect(expectClose(got, ref, bound, `softmaxBackward [${rows}, ${dim}]`, seed)).toBeLessThanOrEqual(bound);
    }
  });
});
