import { describe, it } from 'vitest';
import { expectClose, testSeed } from '../../testing/index.js';
import { Rng } from '../../util/rng.js';
import { expectSameBits, inWasm, normal, testRuntimes } from '../../wasm/test-helpers.js';
import { layerNormBackwardRef, layerNormForwardRef } from './layernorm.ref.js';
import { layerNormBackwardWasm, layerNormForwardWasm } from './layernorm.wasm.js';

const seed = testSeed();
const { rt1, rt2 } = testRuntimes();

// [rows, dim]: odd/prime widths, one wider than a 1024-column gradient tile, and enough rows to split
const SHAPES: [number, number][] = [
  [1, 1],
  [3, 7],
  [13, 31],
  [7, 257],
  [5, 2053],
  [1201, 97],
];
// f64 arithmetic in the reference's order except the row sums (~dim·2^-53 relative), then one rounding to
// f32: within an ulp; relative L2 bound 2^-23 (absolute 1e-9 for outputs that cancel)
const TOL = 2 ** -23;

describe('layerNormWasm vs the references (float32), 1 and 2 threads', () => {
  it('forward and backward', () => {
    const rng = new Rng(seed);
    for (const [rows, dim] of SHAPES) {
      const p = { rows, dim, eps: 1e-5 };
      // an offset mean tests the two-pass variance
      const x = normal(rng, rows * dim, 2).map((v) => v + 3);
      const w = normal(rng, dim);
      const b = normal(rng, dim);
      const dy = normal(rng, rows * dim);
      const ref = { out: new Float32Array(rows * dim), mean: new Float32Array(rows), rstd: new Float32Array(rows) };
      layerNormForwardRef(ref.out, ref.mean, ref.rstd, x, w, b, p);
      const grads = { dx: new Float32Array(rows * dim), dw: new Float32Array(dim), db: new Float32Array(dim) };
      layerNormBackwardRef(grads.dx, grads.dw, grads.db, dy, x, w, ref.mean, ref.rstd, p);
      const runs = [rt1, rt2].map((rt) => {
        const out = rt.allocF32(rows * dim);
        const mean = rt.allocF32(rows);
        const rstd = rt.allocF32(rows);
        const [xw, ww] = [inWasm(rt, x), inWasm(rt, w)];
        layerNormForwardWasm(rt, out, mean, rstd, xw, ww, inWasm(rt, b), p);
        // the backward gets the reference's saved statistics, so it is compared on equal inputs
        const dx = rt.allocF32(rows * dim);
        const dw = rt.allocF32(dim);
        const db = rt.allocF32(dim);
        layerNormBackwardWasm(rt, dx, dw, db, inWasm(rt, dy), xw, ww, inWasm(rt, ref.mean), inWasm(rt, ref.rstd), p);
        return { out, mean, rstd, dx, dw, db };
      });
      const label = `[${rows},${dim}]`;
      expectClose(runs[0].out, ref.out, TOL, `${label} out`, seed, 1e-9);
      expectClose(runs[0].mean, ref.mean, TOL, `${label} mean`, seed, 1e-9);
      expectClose(runs[0].rstd, ref.rstd, TOL, `${label} rstd`, seed);
      expectClose(runs[0].dx, grads.dx, TOL, `${label} dx`, seed, 1e-9);
      // column sums in the reference's order: its bits
      expectSameBits(runs[0].dw, grads.dw, `${label} dweight`, seed);
      expectSameBits(runs[0].db, grads.db, `${label} dbias`, seed);
      for (const k of ['out', 'mean', 'rstd', 'dx', 'dw', 'db'] as const) expectSameBits(runs[1][k], runs[0][k], `${label} ${k} 2 threads vs 1`, seed);
    }
  });
});
