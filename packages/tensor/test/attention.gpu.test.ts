// The attention ops through the Tensor API on webgpu: generation-style decoding (rotary at each token's position,
// cache writes, attention over the cache) reproduces causalAttention over the whole sequences.
import { Rng } from '@hippo/kernels';
import { expectClose, gpuForTests, testSeed } from '@hippo/kernels/testing';
import { describe, expect, it } from 'vitest';
import { WebGpuBackend } from '../src/index.js';
import { stepByStepDecode } from './attention-decode-case.js';

const ctx = await gpuForTests();
const seed = testSeed();

describe.skipIf(!ctx)('attention ops on webgpu', () => {
  it('decoding token by token over a KV cache equals causalAttention, with prompts of different lengths', async () => {
    const { got, want } = await stepByStepDecode(new WebGpuBackend(ctx!), new Rng(seed));
    // both sides f32 on the GPU, scores over hd = 8 and ≤ 9 keys: the kernels' tolerance 2ε(√hd + √L + 4), twice
    const tol = 2 * 2 * 2 ** -24 * (Math.sqrt(8) + 3 + 4);
    expect(expectClose(got, want, tol, 'decode vs causalAttention (webgpu)', seed)).toBeLessThanOrEqual(tol);
  });
});
