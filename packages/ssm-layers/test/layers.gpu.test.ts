import { Rng } from '@hippo/kernels';
import { expectClose, gpuForTests, testSeed } from '@hippo/kernels/testing';
import { WebGpuBackend, cpuBackend, slice, type Backend } from '@hippo/tensor';
import { describe, it } from 'vitest';
import { MIXER_CASES, randomInput, stepThrough, type MixerCase } from './mixers.js';

const ctx = await gpuForTests();
const seed = testSeed();

/** Forward output and every parameter's gradient of Σ g ⊙ forward(x) on one backend. */
async function forwardAndGrads(c: MixerCase, be: Backend): Promise<{ out: Float32Array; grads: Map<string, Float32Array> }> {
  const mixer = c.make(be, seed);
  const x = randomInput(be, new Rng(seed + 4), [2, 19, 8]);
  const y = mixer.forward(x);
  const out = (await y.toArray()) as Float32Array;
  y.backward(randomInput(be, new Rng(seed + 5), [2, 19, 8]));
  const grads = new Map<string, Float32Array>();
  for (const [n, p] of mixer.namedParameters()) grads.set(n, (await p.grad!.toArray()) as Float32Array);
  return { out, grads };
}

describe.skipIf(!ctx)('webgpu: step equals forward, gradients equal cpu (float32)', () => {
  const gpu = ctx ? new WebGpuBackend(ctx) : null;
  for (const c of MIXER_CASES) {
    it(`${c.name}: step over the tokens and prefill + step equal forward`, async () => {
      const mixer = c.make(gpu!, seed);
      mixer.eval();
      const x = randomInput(gpu!, new Rng(seed + 2), [2, 20, 8]);
      const full = mixer.forward(x);
      const state = mixer.defaultState(2);
      expectClose(await stepThrough(mixer, x, state).toArray(), await full.toArray(), 1e-5, `${c.name} step vs forward`, seed);
      state.dispose();
      const head = mixer.prefill(slice(x, 1, 0, 9));
      const tail = await stepThrough(mixer, x, head.state, 9).toArray();
      head.state.dispose();
      expectClose(tail, await slice(full, 1, 9, 20).toArray(), 1e-5, `${c.name} prefill + step vs forward`, seed);
    });

    it(`${c.name}: forward and every parameter gradient equal the cpu backend`, async () => {
      const ref = await forwardAndGrads(c, cpuBackend());
      const got = await forwardAndGrads(c, gpu!);
      // two f32 implementations (different FFT orders, tree vs serial sums): ~1e-6 relative per output;
      // gradients of the SSM parameters sum over B·L·channels terms, hence the 1e-4 bound
      expectClose(got.out, ref.out, 1e-5, `${c.name} forward`, seed);
      for (const [n, g] of ref.grads) expectClose(got.grads.get(n)!, g, 1e-4, `${c.name} grad ${n}`, seed, 1e-6);
    });
  }
});
