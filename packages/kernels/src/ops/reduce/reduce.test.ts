import { describe, expect, it } from 'vitest';
import { relL2, testSeed } from '../../testing/index.js';
import { Rng } from '../../util/rng.js';
import { reduceRef, type ReduceOp, type ReduceParams } from './reduce.ref.js';

const seed = testSeed();
const SHAPES: ReduceParams[] = [
  { outer: 1, n: 1, inner: 1 },
  { outer: 3, n: 7, inner: 1 },
  { outer: 5, n: 13, inner: 31 },
  { outer: 4, n: 1, inner: 9 },
  { outer: 2, n: 0, inner: 3 },
];

/** The definition, one output at a time with direct indexing. */
function direct(op: ReduceOp, x: Float64Array, { outer, n, inner }: ReduceParams): number[] {
  const out: number[] = [];
  for (let o = 0; o < outer; o++)
    for (let k = 0; k < inner; k++) {
      const column = Array.from({ length: n }, (_, j) => x[(o * n + j) * inner + k]);
      const sum = column.reduce((a, b) => a + b, 0);
      out.push(op === 'max' ? Math.max(...column) : op === 'mean' ? sum / n : sum);
    }
  return out;
}

describe('reduceRef', () => {
  for (const op of ['sum', 'mean', 'max'] as ReduceOp[]) {
    it(`${op} matches the definition`, () => {
      const rng = new Rng(seed);
      for (const p of SHAPES) {
        const x = rng.fillNormal(new Float64Array(p.outer * p.n * p.inner));
        const out = new Float64Array(p.outer * p.inner);
        reduceRef(op, out, x, p);
        const want = direct(op, x, p);
        if (p.n === 0) expect(Array.from(out)).toEqual(want);
        // same float64 additions in the same order: identical
        else expect(relL2(out, want), `${op} [${p.outer},${p.n},${p.inner}] seed ${seed}`).toBe(0);
      }
    });
  }

  it('sums float32 input with a float64 accumulator', () => {
    const n = 1_000_000;
    const x = new Float32Array(n).fill(0.1);
    const out = new Float32Array(2);
    reduceRef('sum', out, x, { outer: 1, n, inner: 1 });
    reduceRef('sum', out.subarray(1), x, { outer: 1, n: n / 2, inner: 2 });
    // k·fround(0.1) needs 24 + 20 bits, so every partial sum is exact in float64
    expect(out[0]).toBe(Math.fround(n * Math.fround(0.1)));
    expect(out[1]).toBe(Math.fround((n / 2) * Math.fround(0.1)));
  });
});
