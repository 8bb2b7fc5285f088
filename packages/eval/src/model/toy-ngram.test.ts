import { describe, expect, it } from 'vitest';
import { PyRandom } from '../python/py-random.js';
import { checkSharedPrefixMatchesWindows } from '../testing/index.js';
import { ToyNgramModel } from './toy-ngram.js';

const V = 13;
const seed = process.env.HIPPO_SEED ? Number(process.env.HIPPO_SEED) >>> 0 : (Math.random() * 2 ** 31) >>> 0;
const rnd = new PyRandom(seed);
const stream = (n: number) => Array.from({ length: n }, () => rnd.randbelow(V));
const model = ToyNgramModel.fit([stream(200), stream(50), [3, 3, 3, 3]], { vocabSize: V, maxLength: 64 });

/** Brute force over the whole vocabulary: log p(t | history) for every t, via one-token windows. */
async function distribution(history: number[]): Promise<number[]> {
  const input = Int32Array.from(history);
  const r = await model.scoreWindows(Array.from({ length: V }, (_, t) => ({ input, targets: Int32Array.of(t) })));
  return r.map((x) => x.logprob);
}

describe('ToyNgramModel', () => {
  it('is a distribution after any history, and isGreedy marks exactly its argmax (lowest id on ties)', async () => {
    for (const history of [[1], [4, 4, 4], stream(20), stream(1)]) {
      const lp = await distribution(history);
      const total = lp.reduce((s, x) => s + Math.exp(x), 0);
      expect(Math.abs(total - 1), `seed ${seed} history ${history}`).toBeLessThan(1e-12); // V float64 terms
      const best = lp.indexOf(Math.max(...lp));
      const r = await model.scoreWindows(Array.from({ length: V }, (_, t) => ({ input: Int32Array.from(history), targets: Int32Array.of(t) })));
      expect(r.map((x) => x.isGreedy), `seed ${seed}`).toEqual(lp.map((_, t) => t === best));
    }
  });

  it('sums per-token log-probabilities over a multi-token continuation', async () => {
    const h = stream(6);
    const cont = stream(3);
    const [whole] = await model.scoreWindows([{ input: Int32Array.from([...h, ...cont.slice(0, 2)]), targets: Int32Array.from(cont) }]);
    let sum = 0;
    for (let j = 0; j < 3; j++) sum += (await distribution([...h, ...cont.slice(0, j)]))[cont[j]];
    expect(Math.abs(whole.logprob - sum)).toBeLessThan(1e-12);
  });

  it('scores from a shared prefix exactly as from separate windows', async () => {
    const groups = [
      { prefix: Int32Array.from(stream(9)), continuations: [Int32Array.from(stream(1)), Int32Array.from(stream(4)), Int32Array.from(stream(2))] },
      { prefix: Int32Array.of(2), continuations: [Int32Array.of(3), Int32Array.of(3, 3)] },
    ];
    // Both paths do the same float64 operations on the same counts: no tolerance needed.
    expect(await checkSharedPrefixMatchesWindows(model, groups, 0)).toBe(0);
  });

  it('hashes its parameters: same data, same hash; other data, another', () => {
    const a = ToyNgramModel.fit([[1, 2, 3]], { vocabSize: V });
    expect(ToyNgramModel.fit([[1, 2, 3]], { vocabSize: V }).info.checkpointHash).toBe(a.info.checkpointHash);
    expect(ToyNgramModel.fit([[1, 2, 4]], { vocabSize: V }).info.checkpointHash).not.toBe(a.info.checkpointHash);
    expect(() => ToyNgramModel.fit([[V]], { vocabSize: V })).toThrow(/outside the vocabulary/);
  });
});
