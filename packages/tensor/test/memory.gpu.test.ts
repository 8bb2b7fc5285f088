// GPU memory does not grow over training steps: tidy() frees activations, backward() frees intermediate
// gradients and the graph, and zeroGrad frees the gradients.
import { gpuForTests } from '@hippo/kernels/testing';
import { describe, expect, it } from 'vitest';
import { AdamW, MLP, Rng, Tensor, WebGpuBackend, tidy } from '../src/index.js';

const ctx = await gpuForTests();

describe.skipIf(!ctx)('webgpu memory over training steps', () => {
  it('buffers in use return to the same level after every step', async () => {
    const backend = new WebGpuBackend(ctx!);
    const rng = new Rng(3);
    const mlp = new MLP(16, { backend, rng, hidden: 32, dropout: 0.1 });
    const opt = new AdamW([{ params: mlp.parameters(), lr: 1e-3, weightDecay: 0.01 }]);
    const x = Tensor.fromArray(backend, rng.fillNormal(new Float32Array(8 * 16)), [8, 16]).keep();
    const levels: number[] = [];
    for (let step = 0; step < 5; step++) {
      const loss = tidy(() => {
        const l = mlp.forward(x).square().mean();
        l.backward();
        return l;
      });
      opt.step();
      opt.zeroGrad();
      await loss.item();
      loss.dispose();
      levels.push(ctx!.memory().inUse);
    }
    // step 1 allocates the AdamW moments; from then on the level is flat
    expect(new Set(levels.slice(1)).size, `bytes in use per step: ${levels.join(', ')}`).toBe(1);
  });
});
