// End-to-end proof of the engine: the MLP language model trains from the same seed on both backends, the
// loss falls, and the two backends' losses agree step by step.
import { gpuForTests } from '@hippo/kernels/testing';
import { WebGpuBackend, cpuBackend } from '@hippo/tensor';
import { describe, expect, it } from 'vitest';
import { CharVocab } from '../src/char-vocab.js';
import { CORPUS } from '../src/corpus.js';
import { trainMlpLm } from '../src/train-mlp-lm.js';

const ctx = await gpuForTests();
const vocab = new CharVocab(CORPUS);
const tokens = vocab.encode(CORPUS);
const run = (backend: Parameters<typeof trainMlpLm>[0]['backend']) =>
  trainMlpLm({ backend, tokens, vocab: vocab.size, seed: 42, steps: 20, batch: 32, lr: 0.01, model: { context: 6, dim: 24, hidden: 48, dropout: 0.1 } });

describe('MLP language model end to end', () => {
  it('loss falls on the cpu backend', async () => {
    const { losses } = await run(cpuBackend());
    expect(losses).toHaveLength(20);
    const head = (losses[0] + losses[1] + losses[2]) / 3;
    const tail = (losses[17] + losses[18] + losses[19]) / 3;
    expect(tail).toBeLessThan(head * 0.85);
  });

  it.skipIf(!ctx)('cpu and webgpu losses agree to 1e-4 relative over 20 steps', async () => {
    const cpu = await run(cpuBackend());
    const gpu = await run(new WebGpuBackend(ctx!));
    let worst = 0;
    for (let i = 0; i < 20; i++) {
      const rel = Math.abs(gpu.losses[i] - cpu.losses[i]) / Math.abs(cpu.losses[i]);
      expect(rel, `step ${i}: webgpu ${gpu.losses[i]} vs cpu ${cpu.losses[i]}`).toBeLessThan(1e-4);
      worst = Math.max(worst, rel);
    }
    console.log(`[hippo] loss ${cpu.losses[0].toFixed(4)} → ${cpu.losses[19].toFixed(4)}; largest cpu/webgpu relative difference ${worst.toExponential(2)}`);
  });
});
