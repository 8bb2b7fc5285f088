// WebGPU smoke test of the scoring adapter: the same tiny checkpoint loaded on the cpu and webgpu backends gives
// the same log-likelihoods and greedy flags, through both the padded-window path and the shared-prefix path.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Rng } from '@hippo/kernels';
import { gpuForTests, testSeed } from '@hippo/kernels/testing';
import { loglikelihood, type ModelInfo } from '@hippo/eval';
import { loadCheckpoint } from '@hippo/models';
import { WebGpuBackend, cpuBackend } from '@hippo/tensor';
import { afterAll, describe, expect, it } from 'vitest';
import { HybridScoringModel } from '../src/hybrid-scoring-model.js';
import { makeTinyCheckpoint } from './tiny-checkpoint.js';

const ctx = await gpuForTests();
const seed = testSeed();
const root = mkdtempSync(join(tmpdir(), 'hippo-eval-gpu-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const info: ModelInfo = { name: 'tiny', description: 'test', checkpoint: null, checkpointHash: null };

describe.skipIf(!ctx)('HybridScoringModel on webgpu', () => {
  it('log-likelihoods equal the cpu backend (windows and shared prefix)', async () => {
    await makeTinyCheckpoint(root, cpuBackend(), seed);
    const rng = new Rng(seed);
    const tokens = (n: number) => Array.from({ length: n }, () => rng.int(50257));
    const context = tokens(11);
    const reqs = [
      { context, continuation: tokens(1) },
      { context, continuation: tokens(3) },
      { context: tokens(5), continuation: tokens(2) },
    ];
    const score = async (scorer: HybridScoringModel) => [
      ...(await loglikelihood(scorer, reqs, { sharedPrefix: false })),
      ...(await loglikelihood(scorer, reqs, { sharedPrefix: true })),
    ];
    const cpu = await score(new HybridScoringModel((await loadCheckpoint(root, cpuBackend())).model, info));
    const gpu = await score(new HybridScoringModel((await loadCheckpoint(root, new WebGpuBackend(ctx!))).model, info));
    // f32 logits on both backends agree to ~2e-5 relative (@hippo/models' cpu-vs-webgpu test); |Δ log p| ≤ 2·max|Δx|
    // per token, logits here are O(1): ≤ 4e-5 per token, up to 3 tokens.
    gpu.forEach((g, i) => {
      expect(Math.abs(g.logprob - cpu[i].logprob), `request ${i % 3}, seed ${seed}`).toBeLessThanOrEqual(3 * 4e-5);
      expect(g.isGreedy).toBe(cpu[i].isGreedy); // random tokens: almost surely not the argmax, nowhere near a tie
    });
  });
});
