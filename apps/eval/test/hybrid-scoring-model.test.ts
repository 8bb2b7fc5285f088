// The HybridLM scoring adapter against the definition: log p(continuation | context) = Σ_j log-softmax of
// `model.forward` on (context ++ continuation)[:-1], at the continuation's positions, over the real vocabulary
// (float64 here), and isGreedy = every continuation token is its position's argmax. Checked for windows of
// different lengths in one right-padded batch, for the shared-prefix path (prefill + recurrent steps), for a
// split logits budget, and for left truncation at a Transformer's learned positions.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Rng } from '@hippo/kernels';
import { testSeed } from '@hippo/kernels/testing';
import { loglikelihood, type LoglikelihoodRequest, type ModelInfo } from '@hippo/eval';
import { checkSharedPrefixMatchesWindows } from '@hippo/eval/testing';
import { loadCheckpoint, modelPreset, type HybridLM } from '@hippo/models';
import { cpuBackend, noGrad, tidy } from '@hippo/tensor';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { HybridScoringModel } from '../src/hybrid-scoring-model.js';
import { makeTinyCheckpoint } from './tiny-checkpoint.js';

const seed = testSeed();
const backend = cpuBackend();
const root = mkdtempSync(join(tmpdir(), 'hippo-eval-adapter-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const info: ModelInfo = { name: 'tiny', description: 'test', checkpoint: null, checkpointHash: null };
const V = 50257;

// Tolerance. The adapter and the reference run the same f32 model on the same tokens; they differ only in
// rounding: the batch is right-padded to a longer length (another FFT size in the H3 convolution, another
// attention tile split) or runs recurrently (prefill state + steps instead of the convolution). The models
// package bounds such differences at ~2e-5 relative on the logits (cpu vs webgpu through 4 blocks). With
// |Δx_v| ≤ δ for every logit, |Δ log p(t)| = |Δx_t − Δ logsumexp x| ≤ 2δ, δ = 2e-5·max|x|; per continuation
// the bound adds up over its n tokens.
const tolFor = (n: number, maxAbsLogit: number) => n * 2 * 2e-5 * Math.max(1, maxAbsLogit);

interface Direct {
  logprob: number;
  isGreedy: boolean;
  /** Smallest |x_argmax − x_target| (greedy tokens: gap to the runner-up): below the tolerance the flag is a coin toss. */
  margin: number;
  maxAbsLogit: number;
  /** The same sum with the padding rows wrongly in the softmax. */
  logprobAllRows: number;
}

/** The definition, written out: one unpadded forward of (ctx ++ cont)[:-1], float64 log-softmax per position. */
async function direct(model: HybridLM, context: readonly number[], continuation: readonly number[]): Promise<Direct> {
  const ids = Int32Array.from([...context, ...continuation].slice(0, -1));
  const T = ids.length;
  const t = noGrad(() => tidy(() => model.forward(ids, 1, T)));
  const logits = (await t.toArray()) as Float32Array;
  t.dispose();
  const Vp = model.vocab;
  const r: Direct = { logprob: 0, isGreedy: true, margin: Infinity, maxAbsLogit: 0, logprobAllRows: 0 };
  continuation.forEach((target, j) => {
    const x = Array.from(logits.subarray((T - continuation.length + j) * Vp, (T - continuation.length + j + 1) * Vp));
    const lse = (n: number) => {
      const m = Math.max(...x.slice(0, n));
      return m + Math.log(x.slice(0, n).reduce((s, v) => s + Math.exp(v - m), 0));
    };
    const real = x.slice(0, V);
    const best = real.indexOf(Math.max(...real));
    const second = Math.max(...real.filter((_, v) => v !== best));
    r.logprob += x[target] - lse(V);
    r.logprobAllRows += x[target] - lse(Vp);
    r.isGreedy &&= best === target;
    r.margin = Math.min(r.margin, best === target ? x[best] - second : x[best] - x[target]);
    r.maxAbsLogit = Math.max(r.maxAbsLogit, ...real.map(Math.abs));
  });
  return r;
}

/** Compares adapter results with the definition; the greedy flag only where it is decided beyond rounding. */
function expectMatches(got: { logprob: number; isGreedy: boolean }[], want: Direct[], reqs: LoglikelihoodRequest[]): void {
  got.forEach((g, i) => {
    const tol = tolFor(reqs[i].continuation.length, want[i].maxAbsLogit);
    const msg = `request ${i} (ctx ${reqs[i].context.length}, cont ${reqs[i].continuation.length}), seed ${seed}`;
    expect(Math.abs(g.logprob - want[i].logprob), msg).toBeLessThanOrEqual(tol);
    if (want[i].margin > 2 * tol) expect(g.isGreedy, msg).toBe(want[i].isGreedy);
  });
}

const rng = new Rng(seed);
const tokens = (n: number) => Array.from({ length: n }, () => rng.int(V));

let model: HybridLM;
beforeAll(async () => {
  const dir = join(root, 'tiny');
  await makeTinyCheckpoint(dir, backend, seed, 50);
  model = (await loadCheckpoint(dir, backend)).model;
});

describe('HybridScoringModel', () => {
  it('windows of different lengths in one padded batch equal forward + float64 log-softmax over the real vocabulary', async () => {
    const scorer = new HybridScoringModel(model, info);
    expect(model.training).toBe(false); // dropout off
    expect(scorer.maxLength).toBe(Infinity); // H3: no learned positions, no limit
    const reqs = [
      [1, 1],
      [5, 3],
      [17, 2],
      [30, 6],
      [2, 4],
    ].map(([c, n]) => ({ context: tokens(c), continuation: tokens(n) }));
    const calls = vi.spyOn(model, 'forward');
    const got = await loglikelihood(scorer, reqs, { batchSize: 8, sharedPrefix: false });
    expect(calls).toHaveBeenCalledTimes(1); // one call: five lengths, right-padded to 35
    expect(calls.mock.calls[0].slice(1)).toEqual([5, 35]);
    calls.mockRestore();
    const want = await Promise.all(reqs.map((r) => direct(model, r.context, r.continuation)));
    expectMatches(got, want, reqs);
    // The padding rows (scaled ×50) would have moved these numbers by nats: the comparison can tell.
    expect(Math.max(...want.map((w) => Math.abs(w.logprobAllRows - w.logprob)))).toBeGreaterThan(1);
  });

  it('isGreedy is true exactly for the argmax continuation, on both paths', async () => {
    const context = tokens(9);
    // the greedy continuation of 3 tokens, one full forward per token
    const greedy: number[] = [];
    for (let j = 0; j < 3; j++) {
      const ids = Int32Array.from([...context, ...greedy]);
      const t = noGrad(() => tidy(() => model.forward(ids, 1, ids.length)));
      const x = ((await t.toArray()) as Float32Array).subarray((ids.length - 1) * model.vocab, (ids.length - 1) * model.vocab + V);
      t.dispose();
      greedy.push(x.indexOf(Math.max(...x)));
    }
    const other = [...greedy.slice(0, 2), (greedy[2] + 1) % V];
    const reqs = [greedy, other, greedy.slice(0, 1), [(greedy[0] + 7) % V]].map((continuation) => ({ context, continuation }));
    const want = await Promise.all(reqs.map((r) => direct(model, r.context, r.continuation)));
    expect(want.map((w) => w.isGreedy)).toEqual([true, false, true, false]);
    const scorer = new HybridScoringModel(model, info);
    for (const sharedPrefix of [false, true]) {
      const got = await loglikelihood(scorer, reqs, { sharedPrefix });
      expectMatches(got, want, reqs);
      expect(got.map((g) => g.isGreedy), `sharedPrefix ${sharedPrefix}, seed ${seed}`).toEqual([true, false, true, false]);
    }
  });

  it('shared prefix (one prefill, recurrent steps) equals separate windows and the definition', async () => {
    const scorer = new HybridScoringModel(model, info);
    const prefill = vi.spyOn(model, 'prefill');
    const repeat = vi.spyOn(model, 'repeatStates');
    const reqs: LoglikelihoodRequest[] = [];
    for (const [c, lens] of [
      [12, [1, 1]], // yes/no: the prefill's last logits are the whole answer
      [7, [1, 4, 2]], // a mix: one-token from the prefill, the others step
      [20, [3, 5]],
    ] as const) {
      const context = tokens(c);
      for (const n of lens) reqs.push({ context, continuation: tokens(n) });
    }
    const got = await loglikelihood(scorer, reqs, { batchSize: 2 });
    expect(prefill).toHaveBeenCalledTimes(3); // one per context
    expect(prefill.mock.calls.map((c) => c[1])).toEqual([1, 1, 1]); // one row per context
    // the multi-token continuations step from copies of that one state
    expect(repeat.mock.calls.map((c) => c[1])).toEqual([2, 2]);
    prefill.mockRestore();
    repeat.mockRestore();
    const want = await Promise.all(reqs.map((r) => direct(model, r.context, r.continuation)));
    expectMatches(got, want, reqs);
    const groups = [{ prefix: Int32Array.from(tokens(6)), continuations: [Int32Array.from(tokens(1)), Int32Array.from(tokens(3)), Int32Array.from(tokens(2))] }];
    // the same bound for the longest continuation (3 tokens), logits as large as those seen above
    const tol = tolFor(3, Math.max(...want.map((w) => w.maxAbsLogit)));
    expect(await checkSharedPrefixMatchesWindows(scorer, groups, tol)).toBeLessThanOrEqual(tol);
  });

  it('splits a batch whose logits exceed the budget, with the same results', async () => {
    const reqs = [30, 20, 10].map((c) => ({ context: tokens(c), continuation: tokens(2) }));
    const whole = new HybridScoringModel(model, info);
    const split = new HybridScoringModel(model, info, { maxLogitBytes: 1 }); // one window per forward
    const calls = vi.spyOn(model, 'forward');
    const a = await loglikelihood(whole, reqs, { sharedPrefix: false });
    expect(calls).toHaveBeenCalledTimes(1);
    const b = await loglikelihood(split, reqs, { sharedPrefix: false });
    expect(calls).toHaveBeenCalledTimes(4);
    calls.mockRestore();
    const want = await Promise.all(reqs.map((r) => direct(model, r.context, r.continuation)));
    expectMatches(a, want, reqs);
    expectMatches(b, want, reqs);
  });

  it('a Transformer with learned positions scores the last maxPositionEmbeddings tokens (left truncation)', async () => {
    const dir = join(root, 'transformer');
    const config = modelPreset('transformer-tiny', { overrides: { nLayer: 1, maxPositionEmbeddings: 16 } });
    await makeTinyCheckpoint(dir, backend, seed, 1, config);
    const tf = (await loadCheckpoint(dir, backend)).model;
    const scorer = new HybridScoringModel(tf, info);
    expect(scorer.maxLength).toBe(16);
    expect(new HybridScoringModel(tf, info, { maxLength: 8 }).maxLength).toBe(8);
    const req = { context: tokens(40), continuation: tokens(3) };
    const [got] = await loglikelihood(scorer, [req]);
    // the harness's window: (ctx ++ cont)[−17:][:−1] — 16 inputs, the context's last 14 tokens
    const want = await direct(tf, req.context.slice(-14), req.continuation);
    expectMatches([got], [want], [req]);
  });
});
