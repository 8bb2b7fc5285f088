import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DataFormatError, EvalConfigError } from '../errors.js';
import { ToyNgramModel } from '../model/toy-ngram.js';
import { PyRandom } from '../python/py-random.js';
import { perplexity, perplexityWindows, readTokenShard } from './perplexity.js';
import { readSyntheticExamples, syntheticAccuracy } from './synthetic.js';

const root = mkdtempSync(join(tmpdir(), 'hippo-eval-more-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const seed = process.env.HIPPO_SEED ? Number(process.env.HIPPO_SEED) >>> 0 : (Math.random() * 2 ** 31) >>> 0;

describe('perplexity windows', () => {
  it('score every token exactly once, with ≤ L inputs and ≥ L − stride + 1 tokens of context once full', () => {
    for (const [N, L, stride] of [[1, 4, 4], [10, 4, 2], [10, 4, 4], [11, 5, 3], [3, 8, 1], [64, 16, 5]]) {
      const windows = perplexityWindows(N, L, stride);
      const scoredBy = new Array(N + 1).fill(0);
      for (const w of windows) {
        expect(w.end - w.start).toBeLessThanOrEqual(L);
        for (let j = w.end - w.scored + 1; j <= w.end; j++) {
          scoredBy[j]++;
          expect(j - w.start, `N ${N} L ${L} stride ${stride}: context of token ${j}`).toBeGreaterThanOrEqual(Math.min(j, L - stride + 1));
        }
      }
      expect(scoredBy.slice(1)).toEqual(new Array(N).fill(1));
    }
    expect(() => perplexityWindows(10, 4, 5)).toThrow(EvalConfigError);
  });

  it('strided perplexity of an order-1 model equals one pass over the whole stream', async () => {
    const rnd = new PyRandom(seed);
    const tokens = Array.from({ length: 40 }, () => rnd.randbelow(9));
    // cacheWeight 0: p(t | history) depends on the previous token only, so every windowing gives the same sum.
    const model = ToyNgramModel.fit([tokens.slice(0, 25)], { vocabSize: 10, maxLength: 64, cacheWeight: 0 });
    const whole = await perplexity(model, tokens, { prefixToken: 9, windowLength: 41 });
    expect(whole.windows).toBe(1);
    for (const stride of [1, 3, 7]) {
      const r = await perplexity(model, tokens, { prefixToken: 9, windowLength: 7, stride, batchSize: 4 });
      expect(Math.abs(r.nll - whole.nll), `seed ${seed} stride ${stride}`).toBeLessThan(1e-12 * whole.nll); // 40 float64 terms
      expect(r.perplexity).toBeCloseTo(Math.exp(whole.nll / 40), 10);
    }
    await expect(perplexity(model, tokens, { prefixToken: 9, windowLength: 65 })).rejects.toThrow(/maxLength 64/);
  });

  it('reads raw little-endian uint16 shards and refuses a torn one', async () => {
    const file = join(root, 'val.bin');
    writeFileSync(file, Buffer.from(new Uint16Array([1, 50256, 513]).buffer));
    expect(Array.from(await readTokenShard(file))).toEqual([1, 50256, 513]);
    writeFileSync(file, Buffer.from([1, 2, 3]));
    await expect(readTokenShard(file)).rejects.toThrow(DataFormatError);
  });
});

describe('synthetic accuracy', () => {
  it('counts an example right when every target token is the greedy choice', async () => {
    const model = ToyNgramModel.fit([[1, 2, 3, 1, 2, 3, 1, 2, 3]], { vocabSize: 8, cacheWeight: 0 });
    const r = await syntheticAccuracy(model, [
      { input: [3, 1], target: [2] }, // 1 → 2 always: right
      { input: [1], target: [2, 3] }, // right twice
      { input: [2], target: [1] }, // 2 → 3: wrong
    ]);
    expect(r.examples).toBe(3);
    expect(r.accuracy.value).toBeCloseTo(2 / 3, 15);
  });

  it('reads examples from JSON lines, naming file, line and field on bad ids', async () => {
    const file = join(root, 'recall.jsonl');
    writeFileSync(file, '{"input": [1, 2], "target": [3]}\n{"input": [1, 99], "target": [3]}\n');
    await expect(readSyntheticExamples(file, 10)).rejects.toThrow(/recall\.jsonl:2: field "input": expected a non-empty array of token ids in \[0, 10\)/);
    writeFileSync(file, '{"input": [1, 2], "target": [3]}\n');
    expect(await readSyntheticExamples(file, 10)).toEqual([{ input: [1, 2], target: [3] }]);
  });
});
