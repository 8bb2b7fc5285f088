import { describe, expect, it } from 'vitest';
import { expectClose, randn, testSeed } from '../../testing/index.js';
import { Rng } from '../../util/rng.js';
import { adamwRef, type AdamWParams } from './adamw.ref.js';

const seed = testSeed();
const HYPER = { lr: 0.01, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.1, gradScale: 0.5 };

/** The formulas one scalar at a time, written out in the order they are stated. */
function scalarStep(s: { param: number; m: number; v: number }, grad: number, p: AdamWParams): void {
  const g = p.gradScale * grad;
  s.param = s.param * (1 - p.lr * p.weightDecay);
  s.m = p.beta1 * s.m + (1 - p.beta1) * g;
  s.v = p.beta2 * s.v + (1 - p.beta2) * g ** 2;
  const mHat = s.m / (1 - Math.pow(p.beta1, p.step));
  const vHat = s.v / (1 - Math.pow(p.beta2, p.step));
  s.param = s.param - (p.lr * mHat) / (Math.sqrt(vHat) + p.eps);
}

describe('adamwRef', () => {
  it('matches a scalar step-by-step implementation over several steps', () => {
    const rng = new Rng(seed);
    const n = 11;
    const param = randn(rng, n, true);
    const m = new Float64Array(n);
    const v = new Float64Array(n);
    const scalars = Array.from(param, (x) => ({ param: x, m: 0, v: 0 }));
    for (let step = 1; step <= 5; step++) {
      const grad = randn(rng, n, true);
      const p: AdamWParams = { n, step, ...HYPER };
      adamwRef(param, grad, m, v, p);
      scalars.forEach((s, i) => scalarStep(s, grad[i], p));
      // same operations in a slightly different association: float64 rounding only
      expectClose(param, scalars.map((s) => s.param), 1e-14, `param after step ${step}`, seed);
      expectClose(m, scalars.map((s) => s.m), 1e-14, `m after step ${step}`, seed);
      expect(expectClose(v, scalars.map((s) => s.v), 1e-14, `v after step ${step}`, seed)).toBeLessThanOrEqual(1e-14);
    }
  });

  it('moves each parameter by lr·g / (|g| + eps) on the first step without weight decay', () => {
    const rng = new Rng(seed);
    const n = 7;
    const param = randn(rng, n, true);
    const before = Float64Array.from(param);
    const grad = randn(rng, n, true);
    adamwRef(param, grad, new Float64Array(n), new Float64Array(n), { n, step: 1, ...HYPER, weightDecay: 0 });
    // bias correction makes m̂ = g and v̂ = g² after one step: a step of about lr·sign(g)
    for (let i = 0; i < n; i++) {
      const g = HYPER.gradScale * grad[i];
      expect(before[i] - param[i], `param ${i} seed ${seed}`).toBeCloseTo((HYPER.lr * g) / (Math.abs(g) + HYPER.eps), 12);
    }
  });
});
