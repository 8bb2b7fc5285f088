// Generation oracles shared by the cpu and webgpu tests.
import { Rng } from '@hippo/kernels';
import { testSeed } from '@hippo/kernels/testing';
import { noGrad, tidy, type Backend } from '@hippo/tensor';
import { expect } from 'vitest';
import { HybridLM, generate, modelPreset, sampleToken } from '../src/index.js';

const seed = testSeed();

/**
 * Logit gap below which two tokens count as tied: the recurrent step and the full forward round differently
 * (measured ≤ 1.1e-6 apart on a logit), so where the oracle's top two are this close either may be picked.
 */
const TIE = 1e-4;

/**
 * Greedy continuation by re-running the full forward on the whole sequence at every step. Where `generated`
 * picked a token within TIE of the maximum (a near tie), the oracle follows it, so one tie cannot derail the
 * rest of the comparison; any other difference remains.
 */
export async function greedyByFullForward(model: HybridLM, prompt: number[], n: number, generated: number[] = []): Promise<number[]> {
  const seq = [...prompt];
  const V = model.vocab;
  for (let i = 0; i < n; i++) {
    const L = seq.length;
    const logits = noGrad(() => tidy(() => model.forward(Int32Array.from(seq), 1, L)));
    const last = ((await logits.toArray()) as Float32Array).subarray((L - 1) * V, L * V);
    logits.dispose();
    const best = sampleToken(last, model.config.vocabSize, { greedy: true }, new Rng(0));
    const other = generated[i];
    const tie = other !== undefined && other !== best && other < model.config.vocabSize && last[best] - last[other] < TIE;
    seq.push(tie ? other : best);
  }
  return seq.slice(prompt.length);
}

export function randomPrompt(rng: Rng, L: number, vocab: number): number[] {
  return Array.from({ length: L }, () => rng.int(vocab));
}

/** Greedy generation of `n` tokens for two prompts of different lengths equals the full-forward oracle. */
export async function checkGreedyEquivalence(backend: Backend, preset: string, n = 10, lengths: [number, number] = [9, 5]): Promise<void> {
  const model = new HybridLM(modelPreset(preset), { backend, seed });
  model.eval();
  const rng = new Rng(seed);
  const prompts = [randomPrompt(rng, lengths[0], 50257), randomPrompt(rng, lengths[1], 50257)];
  const { tokens } = await generate(model, prompts, { maxNewTokens: n, greedy: true, eosTokenId: null });
  for (let b = 0; b < prompts.length; b++) expect(tokens[b], `${preset} row ${b}`).toEqual(await greedyByFullForward(model, prompts[b], n, tokens[b]));
}

