import { describe, expect, it } from 'vitest';
import { expectClose, gpuForTests, randn, readF32, testSeed, upload } from '../../testing/index.js';
import { Rng } from '../../util/rng.js';
import { adamw } from './adamw.js';
import { adamwRef, type AdamWParams } from './adamw.ref.js';

const ctx = await gpuForTests();
const seed = testSeed();

// 1, odd, not a multiple of the 256 workgroup, and one past 2¹⁶
const SIZES = [1, 7, 1000, 65537];
const STEPS = 3;
const HYPER = { lr: 0.01, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.1, gradScale: 0.5 };
// Elementwise: each step is ~10 f32 roundings (sqrt and ÷ within 2.5 ulp in WGSL) on values the reference keeps
// in float64 between stores, so a few ulp (ε = 6e-8) per step, compounding over the steps.
const TOL = 1e-6;
// A parameter that crosses zero loses its relative precision: its absolute error stays a few ulp of the O(1)
// values it started from, so an absolute term of 4 ulp per step covers near-zero results.
const ATOL = 4 * STEPS * 2 ** -24;

describe.skipIf(!ctx)('adamw on webgpu vs adamwRef', () => {
  it(`${STEPS} steps`, async () => {
    const gpu = ctx!;
    const rng = new Rng(seed);
    for (const n of SIZES) {
      const param = randn(rng, n) as Float32Array;
      const m = new Float32Array(n);
      const v = new Float32Array(n);
      const [dParam, dM, dV] = [param, m, v].map((a) => upload(gpu, a));
      for (let step = 1; step <= STEPS; step++) {
        const grad = randn(rng, n);
        const p: AdamWParams = { n, step, ...HYPER };
        adamwRef(param, grad, m, v, p);
        adamw(gpu, dParam, upload(gpu, grad), dM, dV, p);
      }
      for (const [label, buf, ref] of [['param', dParam, param], ['m', dM, m], ['v', dV, v]] as const) {
        const got = await readF32(gpu, buf, n);
        expectClose(got, ref, TOL, `adamw ${label} n=${n} after ${STEPS} steps`, seed, ATOL);
        expect(got.length).toBe(n);
      }
    }
  });
});
