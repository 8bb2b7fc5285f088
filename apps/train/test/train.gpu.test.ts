// A few training steps on the webgpu backend: the same run as on the cpu backend (same initial weights, batches
// and dropout masks, which come from a counter hash shared bit for bit by both backends), so the losses agree
// to float32 rounding; plus evaluation and a checkpoint, which read the GPU's tensors back.
import { join } from 'node:path';
import { gpuForTests, testSeed } from '@hippo/kernels/testing';
import { WebGpuBackend, cpuBackend } from '@hippo/tensor';
import { describe, expect, it } from 'vitest';
import { chooseBackend } from '../src/backend-choice.js';
import { latestCheckpoint } from '../src/checkpoint.js';
import { train } from '../src/trainer.js';
import { TINY, tempDir } from './tiny.js';

const ctx = await gpuForTests();
const seed = testSeed();

describe.skipIf(!ctx)('webgpu', () => {
  it('the automatic backend choice is WebGPU on a hardware adapter and cpu on a software one', async () => {
    const lines: string[] = [];
    const env = process.env.HIPPO_BACKEND;
    delete process.env.HIPPO_BACKEND; // the choice itself is under test
    const b = await chooseBackend(null, (l) => lines.push(l)).finally(() => {
      if (env !== undefined) process.env.HIPPO_BACKEND = env;
    });
    const software = ctx!.adapter.isFallbackAdapter;
    expect(b.name).toBe(software ? 'cpu' : 'webgpu');
    expect(lines).toEqual([expect.stringMatching(software ? /— the WebGPU adapter is a software fallback \(.*\), slower than the cpu backend/ : /— a WebGPU adapter was found$/)]);
  });

  it('trains a few steps with the cpu backend\'s losses, evaluates and checkpoints', async () => {
    const opts = { preset: 'h3-tiny', overrides: TINY, data: { kind: 'synthetic' as const, task: 'induction-head' as const, numExamples: 64, numTestExamples: 16 }, steps: 3, batchSize: 8, lr: 3e-3, warmupSteps: 0, seed };
    const out = join(tempDir('gpu'), 'run');
    const gpu = await train({ ...opts, out }, { backend: new WebGpuBackend(ctx!), log: () => {} });
    const cpu = await train(opts, { backend: cpuBackend(), log: () => {} });
    // f32 with different reduction orders: a few ε = 1.2e-7 relative per op, through ~10 ops of depth; measured
    // ≤ 1 ulp (7.6e-8) on the loss over three seeds, so 1e-5 leaves ~100× room and still catches any real bug
    gpu.train.forEach((s, i) => expect(Math.abs(s.loss - cpu.train[i].loss) / cpu.train[i].loss).toBeLessThan(1e-5));
    expect(Math.abs(gpu.final.valLoss - cpu.final.valLoss) / cpu.final.valLoss).toBeLessThan(1e-5);
    expect(gpu.final.targets).toBe(16);
    expect(latestCheckpoint(out)?.step).toBe(3);
  });
});
