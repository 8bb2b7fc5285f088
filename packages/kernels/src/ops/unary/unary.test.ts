import { describe, expect, it } from 'vitest';
import { relL2, testSeed } from '../../testing/index.js';
import { hashU32, Rng } from '../../util/rng.js';
import { dropoutKeeps, fillRef, unaryBackwardRef, unaryRef, type UnaryOp, type UnaryParams } from './unary.ref.js';

const seed = testSeed();
const ALL_OPS: UnaryOp[] = ['neg', 'exp', 'log', 'sqrt', 'square', 'relu', 'gelu', 'tanh', 'sigmoid', 'scale', 'addScalar', 'dropout'];

/** Inputs inside each op's domain: positive for log/sqrt, away from relu's kink. */
function inputs(op: UnaryOp, rng: Rng, n: number): Float64Array {
  const x = rng.fillNormal(new Float64Array(n), 0, 2);
  for (let i = 0; i < n; i++) {
    if (op === 'log' || op === 'sqrt') x[i] = 0.2 + Math.abs(x[i]);
    if (op === 'relu' && Math.abs(x[i]) < 0.1) x[i] += x[i] >= 0 ? 0.1 : -0.1;
  }
  return x;
}

const PARAMS: Partial<Record<UnaryOp, Omit<UnaryParams, 'n'>>> = {
  scale: { alpha: -1.75 },
  addScalar: { alpha: 0.3 },
  dropout: { alpha: 0.25, seed: 12345 },
};

/** The textbook formula of each op, one element at a time. */
function direct(op: UnaryOp, v: number, i: number, q: Omit<UnaryParams, 'n'>): number {
  const a = q.alpha ?? 0;
  switch (op) {
    case 'neg':
      return -v;
    case 'exp':
      return Math.exp(v);
    case 'log':
      return Math.log(v);
    case 'sqrt':
      return Math.sqrt(v);
    case 'square':
      return v ** 2;
    case 'relu':
      return Math.max(v, 0);
    case 'gelu':
      return 0.5 * v * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (v + 0.044715 * v ** 3)));
    case 'tanh':
      return (Math.exp(v) - Math.exp(-v)) / (Math.exp(v) + Math.exp(-v));
    case 'sigmoid':
      return 1 / (1 + Math.exp(-v));
    case 'scale':
      return a * v;
    case 'addScalar':
      return v + a;
    case 'dropout':
      return hashU32(q.seed ?? 0, i) / 2 ** 32 >= a ? v / (1 - a) : 0;
  }
}

describe('unaryRef', () => {
  for (const op of ALL_OPS) {
    it(`${op} matches the direct formula`, () => {
      const rng = new Rng(seed);
      const n = 257;
      const q = PARAMS[op] ?? {};
      const x = inputs(op, rng, n);
      const out = new Float64Array(n);
      unaryRef(op, out, x, { n, ...q });
      const want = Array.from(x, (v, i) => direct(op, v, i, q));
      // float64 throughout; only tanh's textbook form differs by rounding
      expect(relL2(out, want), `seed ${seed}`).toBeLessThan(1e-14);
    });
  }

  it('writes only the first n elements', () => {
    const out = new Float32Array([9, 9, 9]);
    unaryRef('neg', out, new Float32Array([1, 2, 3]), { n: 2 });
    expect(Array.from(out)).toEqual([-1, -2, 9]);
  });

  it('keeps sigmoid, tanh and gelu finite at extreme inputs', () => {
    const x = new Float32Array([-1e4, -100, 100, 1e4]);
    for (const op of ['sigmoid', 'tanh', 'gelu'] as UnaryOp[]) {
      const out = new Float32Array(4);
      unaryRef(op, out, x, { n: 4 });
      expect(out.every(Number.isFinite), op).toBe(true);
    }
    const s = new Float64Array(2);
    unaryRef('sigmoid', s, new Float64Array([-800, 800]), { n: 2 });
    expect(Array.from(s)).toEqual([0, 1]);
  });

  it('identity defaults: scale by 1, add 0, drop nothing', () => {
    const x = new Float64Array([1.5, -2, 3]);
    for (const op of ['scale', 'addScalar', 'dropout'] as UnaryOp[]) {
      const out = new Float64Array(3);
      unaryRef(op, out, x, { n: 3 });
      expect(Array.from(out), op).toEqual(Array.from(x));
    }
  });
});

describe('dropout mask', () => {
  it('keeps ≈ (1−p) of 1e5 elements (binomial bound)', () => {
    const n = 100_000;
    const rng = new Rng(seed);
    for (const p of [0.1, 0.5, 0.9]) {
      const s = rng.nextU32();
      let kept = 0;
      for (let i = 0; i < n; i++) if (dropoutKeeps(s, i, p)) kept++;
      // 6 binomial standard deviations: a false failure has probability ~1e-9
      expect(Math.abs(kept - n * (1 - p)), `p=${p} mask seed ${s} (test seed ${seed})`).toBeLessThan(6 * Math.sqrt(n * p * (1 - p)));
    }
  });

  it('depends on the seed and is scaled by 1/(1−p)', () => {
    const n = 1000;
    const x = new Float64Array(n).fill(1);
    const a = new Float64Array(n);
    const b = new Float64Array(n);
    unaryRef('dropout', a, x, { n, alpha: 0.5, seed: 1 });
    unaryRef('dropout', b, x, { n, alpha: 0.5, seed: 2 });
    expect(new Set(a)).toEqual(new Set([0, 2]));
    expect(a.some((v, i) => v !== b[i])).toBe(true);
  });

  it('p = 0 keeps all, p = 1 drops all', () => {
    const x = new Float64Array([1, -2, 3, 4]);
    const out = new Float64Array(4);
    unaryRef('dropout', out, x, { n: 4, alpha: 0, seed: 7 });
    expect(Array.from(out)).toEqual([1, -2, 3, 4]);
    unaryRef('dropout', out, x, { n: 4, alpha: 1, seed: 7 });
    expect(Array.from(out)).toEqual([0, 0, 0, 0]);
  });
});

describe('unaryBackwardRef', () => {
  for (const op of ALL_OPS) {
    it(`${op} ${op === 'dropout' ? 'matches the mask definition' : 'matches central finite differences (float64)'}`, () => {
      const rng = new Rng(seed);
      const n = 101;
      const q = { n, ...(PARAMS[op] ?? {}) };
      const x = inputs(op, rng, n);
      const g = rng.fillNormal(new Float64Array(n));
      const y = new Float64Array(n);
      unaryRef(op, y, x, q);
      const dx = new Float64Array(n).fill(Number.NaN);
      unaryBackwardRef(op, dx, x, y, g, q);
      const want = new Float64Array(n);
      if (op === 'dropout') {
        for (let i = 0; i < n; i++) want[i] = dropoutKeeps(q.seed!, i, q.alpha!) ? g[i] / (1 - q.alpha!) : 0;
        expect(Array.from(dx)).toEqual(Array.from(want));
        return;
      }
      // f = Σ g·y is separable, so one perturbation of every x at once gives each ∂f/∂x_i
      const h = 1e-6;
      const yp = new Float64Array(n);
      const ym = new Float64Array(n);
      unaryRef(op, yp, x.map((v) => v + h), q);
      unaryRef(op, ym, x.map((v) => v - h), q);
      for (let i = 0; i < n; i++) want[i] = (g[i] * (yp[i] - ym[i])) / (2 * h);
      // O(h²) truncation + ε/h rounding ≈ 1e-10 relative
      expect(relL2(dx, want), `seed ${seed}`).toBeLessThan(1e-6);
    });
  }
});

describe('fillRef', () => {
  it('fills the first n elements of float and int arrays', () => {
    const f = new Float32Array(4);
    fillRef(f, 2.5, 3);
    expect(Array.from(f)).toEqual([2.5, 2.5, 2.5, 0]);
    const k = new Int32Array(3).fill(1);
    fillRef(k, -4, 3);
    expect(Array.from(k)).toEqual([-4, -4, -4]);
  });
});
