import { Rng } from '@hippo/kernels';
import { expectClose, testSeed } from '@hippo/kernels/testing';
import { cpuBackend } from '@hippo/tensor';
import { describe, expect, it } from 'vitest';
import { HybridLM, generate, modelPreset, sampleToken } from '../src/index.js';
import { checkGreedyEquivalence } from './greedy.js';

const seed = testSeed();

describe('generation: recurrent steps reproduce the full forward', () => {
  it('h3-tiny, greedy, batched prompts of different lengths (cpu)', () => checkGreedyEquivalence(cpuBackend(), 'h3-tiny'));
  it('transformer-tiny, greedy, batched prompts of different lengths (cpu)', () => checkGreedyEquivalence(cpuBackend(), 'transformer-tiny'));

  it('streams tokens, stops at EOS and at maxNewTokens, and is reproducible by seed', async () => {
    const model = new HybridLM(modelPreset('h3-tiny', { overrides: { vocabSize: 61 } }), { backend: cpuBackend(), seed });
    const prompts = [[1, 2, 3], [4, 5, 6, 7]];
    const streamed: [number, number][] = [];
    const a = await generate(model, prompts, { maxNewTokens: 6, temperature: 1.5, topK: 20, topP: 0.9, seed: 7, eosTokenId: null, onToken: (r, t) => streamed.push([r, t]) });
    const b = await generate(model, prompts, { maxNewTokens: 6, temperature: 1.5, topK: 20, topP: 0.9, seed: 7, eosTokenId: null });
    expect(a.tokens).toEqual(b.tokens);
    expect(a.tokens.map((t) => t.length)).toEqual([6, 6]);
    expect(streamed.filter(([r]) => r === 1).map(([, t]) => t)).toEqual(a.tokens[1]);
    const eos = a.tokens[0][2];
    const c = await generate(model, prompts, { maxNewTokens: 6, temperature: 1.5, topK: 20, topP: 0.9, seed: 7, eosTokenId: eos });
    expect(c.tokens[0]).toEqual(a.tokens[0].slice(0, a.tokens[0].indexOf(eos) + 1));
  });
});

describe('sampling', () => {
  const logits = Float32Array.from([0.1, 2.0, -1, 1.9, 0.5, 9, 9]); // the last two are padding
  it('greedy, top-k = 1 and a tiny top-p all pick the maximum of the real vocabulary', () => {
    const rng = new Rng(seed);
    expect(sampleToken(logits, 5, { greedy: true }, rng)).toBe(1);
    expect(sampleToken(logits, 5, { topK: 1 }, rng)).toBe(1);
    expect(sampleToken(logits, 5, { topP: 1e-6 }, rng)).toBe(1);
  });
  it('temperature sampling follows softmax(logits / T); top-k and top-p cut the tail', () => {
    const rng = new Rng(seed);
    const counts = new Array(5).fill(0);
    const n = 20000;
    for (let i = 0; i < n; i++) counts[sampleToken(logits, 5, { temperature: 2 }, rng)]++;
    const w = Array.from(logits.subarray(0, 5), (x) => Math.exp(x / 2));
    const z = w.reduce((a, b) => a + b, 0);
    // binomial standard error √(p(1−p)/n) ≤ 0.0036; 5σ bound
    counts.forEach((c, i) => expect(Math.abs(c / n - w[i] / z)).toBeLessThan(0.018));
    for (let i = 0; i < 200; i++) expect([1, 3]).toContain(sampleToken(logits, 5, { temperature: 1, topK: 2 }, rng));
    // p(1) ≈ 0.45, p(3) ≈ 0.41 at T = 1: top-p 0.8 keeps exactly those two
    for (let i = 0; i < 200; i++) expect([1, 3]).toContain(sampleToken(logits, 5, { topP: 0.8 }, rng));
  });
});

describe('repeated states', () => {
  it('one prefill repeated for three continuations gives each continuation the full-forward logits', async () => {
    const model = new HybridLM(modelPreset('h3-tiny', { overrides: { vocabSize: 61 } }), { backend: cpuBackend(), seed });
    model.eval();
    const prompt = [5, 9, 2, 33, 7];
    const { logits, states } = model.prefill(Int32Array.from(prompt), 1, prompt.length);
    logits.dispose();
    const three = model.repeatStates(states, 3);
    for (const s of states) s.dispose(); // the copies own their tensors
    const next = [1, 40, 17];
    const stepped = (await model.step(Int32Array.from(next), three, prompt.length).toArray()) as Float32Array;
    for (const s of three) s.dispose();
    for (let r = 0; r < 3; r++) {
      const seq = [...prompt, next[r]];
      const full = (await model.forward(Int32Array.from(seq), 1, seq.length).toArray()) as Float32Array;
      const V = model.vocab;
      expectClose(stepped.subarray(r * V, (r + 1) * V), full.subarray((seq.length - 1) * V), 1e-5, `row ${r}`, seed);
    }
  });
});
