// Every op of the engine on the WebAssembly cpu backend (1 and 2 threads) against the TypeScript reference
// backend: values and gradients agree to float32 tolerance, and the two thread counts agree bit for bit.
import { Rng, WasmRuntime } from '@hippo/kernels';
import { expectClose, testSeed } from '@hippo/kernels/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { WasmBackend, referenceBackend } from '../src/index.js';
import { runOn } from '../src/testing/index.js';
import { OP_CASES } from './op-cases.js';

const seed = testSeed();
const runtimes = [WasmRuntime.create({ threads: 1 }), WasmRuntime.create({ threads: 2 })];
const [one, two] = runtimes.map((rt) => new WasmBackend(rt));
afterAll(() => Promise.all(runtimes.map((rt) => rt.dispose())));

const sameBits = (a: Float32Array, b: Float32Array) => a.length === b.length && a.every((v, i) => Object.is(v, b[i]));

describe('every op: WebAssembly cpu backend values and gradients equal the reference (float32)', () => {
  for (const c of OP_CASES) {
    it(c.name, async () => {
      const inputs = c.inputs(new Rng(seed));
      const ref = await runOn(referenceBackend(), c.fn, inputs, seed);
      const got = await runOn(one, c.fn, inputs, seed);
      // f32 kernels on both sides; the WebAssembly exp/log/tanh are within 3 ulp and matmul rounds products and
      // sums separately: a few ulp times √(reduction length) relative, plus an absolute 1e-6 (≈ 8 ulp of the
      // O(1) inputs) for outputs that cancel to near zero — the tolerances of the webgpu agreement test
      expectClose(got.out, ref.out, 2e-6, `${c.name} forward`, seed, 1e-6);
      expect(got.grads.length).toBe(ref.grads.length);
      got.grads.forEach((g, i) => expectClose(g, ref.grads[i], 5e-6, `${c.name} grad ${i}`, seed, 1e-6));
      const par = await runOn(two, c.fn, inputs, seed);
      expect(sameBits(par.out, got.out), `${c.name}: 2 threads vs 1, forward`).toBe(true);
      par.grads.forEach((g, i) => expect(sameBits(g, got.grads[i]), `${c.name}: 2 threads vs 1, grad ${i}`).toBe(true));
    });
  }
});
