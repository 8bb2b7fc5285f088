import { Rng } from '@hippo/kernels';
import { expectClose, gpuForTests, testSeed } from '@hippo/kernels/testing';
import { describe, expect, it } from 'vitest';
import { WebGpuBackend, cpuBackend } from '../src/index.js';
import { runOn } from '../src/testing/index.js';
import { OP_CASES } from './op-cases.js';

const ctx = await gpuForTests();
const seed = testSeed();

describe.skipIf(!ctx)('every op: webgpu values and gradients equal cpu (float32)', () => {
  const gpu = ctx ? new WebGpuBackend(ctx) : null;
  for (const c of OP_CASES) {
    it(c.name, async () => {
      const inputs = c.inputs(new Rng(seed));
      const ref = await runOn(cpuBackend(), c.fn, inputs, seed);
      const got = await runOn(gpu!, c.fn, inputs, seed);
      // f32 kernels on both sides with different summation orders: a few ulp times √(reduction length) relative,
      // plus an absolute 1e-6 (≈ 8 ulp of the O(1) inputs) for outputs that cancel to near zero
      expectClose(got.out, ref.out, 2e-6, `${c.name} forward`, seed, 1e-6);
      expect(got.grads.length).toBe(ref.grads.length);
      got.grads.forEach((g, i) => expectClose(g, ref.grads[i], 5e-6, `${c.name} grad ${i}`, seed, 1e-6));
    });
  }
});
