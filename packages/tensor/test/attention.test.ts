// The attention ops through the Tensor API on the cpu backends: decoding over a cache filled token by token
// reproduces the full causal attention, the cache write is in place, and the no-gradient ops refuse to run
// while autograd records an input that requires grad.
import { Rng } from '@hippo/kernels';
import { expectClose, testSeed } from '@hippo/kernels/testing';
import { describe, expect, it } from 'vitest';
import { Tensor, attentionDecode, causalAttention, cpuBackend, kvCacheWrite, noGrad, referenceBackend, rotary, type Backend } from '../src/index.js';
import { stepByStepDecode } from './attention-decode-case.js';

const seed = testSeed();

describe.each([
  ['reference', referenceBackend()],
  ['wasm', cpuBackend()],
] as [string, Backend][])('attention ops on the %s cpu backend', (_name, backend) => {
  it('decoding token by token over a KV cache equals causalAttention, with prompts of different lengths', async () => {
    const { got, want } = await stepByStepDecode(backend, new Rng(seed));
    // both f32 with float64 accumulation inside: a few ulp
    expect(expectClose(got, want, 1e-6, 'decode vs causalAttention', seed)).toBeLessThan(1e-6);
  });

  it('kvCacheWrite writes in place and returns the cache; bad positions and grad-recording inputs are refused', async () => {
    const cache = Tensor.zeros(backend, [2, 1, 3, 2]);
    const x = Tensor.fromArray(backend, [1, 2, 3, 4], [2, 1, 1, 2]);
    expect(kvCacheWrite(cache, x, Int32Array.from([2, 0]))).toBe(cache);
    expect([...(await cache.toArray())]).toEqual([0, 0, 0, 0, 1, 2, 3, 4, 0, 0, 0, 0]);
    expect(() => kvCacheWrite(cache, x, Int32Array.from([3, 0]))).toThrow(/positions\[0\] = 3 is outside \[0, 2\]/);
    expect(() => kvCacheWrite(cache, Tensor.zeros(backend, [2, 1, 2, 2]), Int32Array.from([0, 0]))).toThrow(/x must have shape \[B, heads, 1, hd\]/);
    const xg = Tensor.fromArray(backend, [1, 2, 3, 4], [2, 1, 1, 2], { requiresGrad: true });
    expect(() => kvCacheWrite(cache, xg, Int32Array.from([0, 0]))).toThrow(/has no gradient, but x requires grad/);
    expect(() => attentionDecode(xg, cache, cache, Int32Array.from([1, 1]))).toThrow(/attentionDecode: has no gradient, but q requires grad/);
    expect(() => attentionDecode(x, cache, cache, Int32Array.from([1, 4]))).toThrow(/lengths\[1\] = 4 is outside \[1, 3\]/);
    noGrad(() => kvCacheWrite(cache, xg, Int32Array.from([0, 0])));
    expect([...(await cache.toArray())]).toEqual([1, 2, 0, 0, 1, 2, 3, 4, 0, 0, 0, 0]);
  });

  it('rejects mismatched shapes', () => {
    const q = Tensor.zeros(backend, [1, 2, 3, 4]);
    expect(() => causalAttention(q, Tensor.zeros(backend, [1, 2, 4, 4]), q)).toThrow(/causalAttention: k must have shape \[1,2,3,4\]/);
    expect(() => rotary(q, { rotaryDim: 5 })).toThrow(/rotaryDim must be even/);
    expect(() => rotary(Tensor.zeros(backend, [3, 4]), { rotaryDim: 2 })).toThrow(/x must have shape \[B, L, heads, hd\]/);
  });
});
