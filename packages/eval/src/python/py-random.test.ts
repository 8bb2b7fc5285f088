import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PyRandom } from './py-random.js';

// Reference outputs of CPython 3.11 (test/python/make-python-vectors.py).
const V = JSON.parse(readFileSync(new URL('../../test/python/python-vectors.json', import.meta.url), 'utf8'));
const range = (n: number) => Array.from({ length: n }, (_, i) => i);

describe('PyRandom matches CPython random.Random', () => {
  it('random() after integer seeds, including multi-word seeds', () => {
    const r = new PyRandom(42);
    expect(V.random_seed42.map(() => r.random())).toEqual(V.random_seed42);
    const r2 = new PyRandom(2n ** 40n + 5n);
    expect(V.random_seed_2p40_plus_5.map(() => r2.random())).toEqual(V.random_seed_2p40_plus_5);
    const r3 = new PyRandom(2n ** 64n - 1n);
    expect(V.random_seed_2p64_minus_1.map(() => r3.random())).toEqual(V.random_seed_2p64_minus_1);
  });

  it('getrandbits and randbelow', () => {
    const r = new PyRandom(0);
    for (const [k, want] of V.getrandbits_seed0) expect(r.getrandbits(k)).toBe(want);
    const r2 = new PyRandom(1234);
    for (const [n, want] of V.randbelow_seed1234) expect(r2.randbelow(n)).toBe(want);
  });

  it('shuffle', () => {
    for (const c of V.shuffle) {
      const x = range(c.n);
      new PyRandom(c.seed).shuffle(x);
      expect(x, `seed ${c.seed} n ${c.n}`).toEqual(c.result);
    }
  });

  it('sample, both the pool and the set-rejection paths', () => {
    for (const c of V.sample) {
      const r = new PyRandom(c.seed);
      const draws = c.draws.map(() => r.sample(range(c.n), c.k));
      expect(draws, `seed ${c.seed} n ${c.n} k ${c.k}`).toEqual(c.draws);
    }
    expect(() => new PyRandom(1).sample([1, 2], 3)).toThrow(/larger than population/);
  });

  it('choices', () => {
    const c = V.choices_seed11;
    expect(new PyRandom(11).choices(range(c.n), c.k)).toEqual(c.result);
  });
});
