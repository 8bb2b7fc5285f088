import { describe, expect, it } from 'vitest';
import { Rng, hashU32 } from './rng.js';

describe('Rng', () => {
  it('replays the same stream from the same seed and a saved state', () => {
    const a = new Rng(123);
    const b = new Rng(123);
    const xs = Array.from({ length: 5 }, () => a.nextU32());
    expect(Array.from({ length: 5 }, () => b.nextU32())).toEqual(xs);
    const state = a.getState();
    const next = [a.uniform(), a.normal(), a.int(10)];
    const c = new Rng(999);
    c.setState(state);
    expect([c.uniform(), c.normal(), c.int(10)]).toEqual(next);
    expect(new Rng(124).nextU32()).not.toBe(xs[0]);
  });

  it('draws uniform and normal samples with the right moments', () => {
    const rng = new Rng(7);
    const n = 200_000;
    const u = rng.fillUniform(new Float64Array(n));
    const z = rng.fillNormal(new Float64Array(n));
    const mean = (v: Float64Array) => v.reduce((s, x) => s + x, 0) / v.length;
    const vari = (v: Float64Array) => mean(v.map((x) => x * x)) - mean(v) ** 2;
    // 6 standard errors: fails by chance with probability ~1e-9
    expect(Math.abs(mean(u) - 0.5)).toBeLessThan(6 * Math.sqrt(1 / 12 / n));
    expect(Math.abs(mean(z))).toBeLessThan(6 / Math.sqrt(n));
    expect(Math.abs(vari(z) - 1)).toBeLessThan(6 * Math.sqrt(2 / n));
    expect(u.every((x) => x >= 0 && x < 1)).toBe(true);
  });

  it('hashU32 is a deterministic function of (seed, index) with balanced bits', () => {
    expect(hashU32(1, 2)).toBe(hashU32(1, 2));
    expect(hashU32(1, 2)).not.toBe(hashU32(2, 1));
    let ones = 0;
    for (let i = 0; i < 10_000; i++) ones += hashU32(42, i) >>> 31;
    expect(Math.abs(ones - 5000)).toBeLessThan(6 * 50); // binomial sd = 50
  });
});
