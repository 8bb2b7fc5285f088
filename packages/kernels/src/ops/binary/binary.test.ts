import { describe, expect, it } from 'vitest';
import { Rng } from '../../util/rng.js';
import { binaryRef } from './binary.ref.js';
import { planBroadcast } from './broadcast.js';

describe('broadcast plan', () => {
  it('merges contiguous dims and keeps broadcast ones apart', () => {
    const p = planBroadcast('t', [2, 3, 4], [4]);
    expect(p.outShape).toEqual([2, 3, 4]);
    expect(p.dims).toEqual([6, 4]);
    expect(p.aStrides).toEqual([4, 1]);
    expect(p.bStrides).toEqual([0, 1]);
  });
  it('names both shapes when they do not broadcast', () => {
    expect(() => planBroadcast('add', [2, 3], [4])).toThrow(/add: b must have shape broadcastable with a \[2,3\]; got \[4\]/);
  });
});

describe('binaryRef', () => {
  it('matches a direct index computation on a 3-d broadcast', () => {
    const rng = new Rng(1);
    const a = rng.fillNormal(new Float64Array(2 * 1 * 5));
    const b = rng.fillNormal(new Float64Array(3 * 1));
    const plan = planBroadcast('t', [2, 1, 5], [3, 1]);
    const out = new Float64Array(plan.size);
    binaryRef('sub', out, a, b, plan);
    for (let i = 0; i < 2; i++)
      for (let j = 0; j < 3; j++)
        for (let k = 0; k < 5; k++) expect(out[i * 15 + j * 5 + k]).toBe(a[i * 5 + k] - b[j]);
  });
});
