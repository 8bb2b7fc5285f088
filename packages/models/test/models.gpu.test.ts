import { expectClose, gpuForTests, testSeed } from '@hippo/kernels/testing';
import { WebGpuBackend, cpuBackend, noGrad, tidy, type Backend } from '@hippo/tensor';
import { describe, it } from 'vitest';
import { HybridLM, modelPreset } from '../src/index.js';
import { checkGreedyEquivalence } from './greedy.js';

const ctx = await gpuForTests();
const seed = testSeed();

describe.skipIf(!ctx)('webgpu', () => {
  const gpu = ctx ? new WebGpuBackend(ctx) : null;
  // fewer tokens than on the cpu: every oracle step re-runs the whole forward, slow on a software adapter
  it('h3-tiny: greedy recurrent generation equals the full forward at every step', () => checkGreedyEquivalence(gpu!, 'h3-tiny', 5, [6, 3]));
  it('transformer-tiny: greedy recurrent generation equals the full forward at every step', () => checkGreedyEquivalence(gpu!, 'transformer-tiny', 5, [6, 3]));
  it('h3-tiny logits equal the cpu backend', async () => {
    const ids = Int32Array.from({ length: 2 * 16 }, (_, i) => (i * 7919) % 50257);
    const logits = async (be: Backend) => {
      const m = new HybridLM(modelPreset('h3-tiny'), { backend: be, seed });
      m.eval();
      return (await noGrad(() => tidy(() => m.forward(ids, 2, 16))).toArray()) as Float32Array;
    };
    // f32 on both sides with different reduction orders, through 4 blocks: ~1e-6 relative per layer
    expectClose(await logits(gpu!), await logits(cpuBackend()), 2e-5, 'h3-tiny logits', seed);
  });
});
