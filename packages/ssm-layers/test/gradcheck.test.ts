import { Rng } from '@hippo/kernels';
import { testSeed } from '@hippo/kernels/testing';
import { referenceBackend } from '@hippo/tensor';
import { moduleGradcheck } from '@hippo/tensor/testing';
import { describe, expect, it } from 'vitest';
import { S4DKernel, ShiftKernel } from '../src/index.js';
import { MIXER_CASES, randomInput } from './mixers.js';

const seed = testSeed();

// Central differences in float64 with h = 1e-4: truncation ~h²·|f'''|/6 ≈ 1e-9 relative; the rounding noise
// eps·Σ|g·y|/h is allowed for by moduleGradcheck. Measured: inv_A_real, the smallest gradients, err ≈ 1.5e-7 at
// h = 1e-3 … 1e-4 and growing as 1/h below (3.8e-6 at 1e-5: noise, not the analytic gradient). A sweep of 60
// seeds × these 5 layers (300 checks) gave at most 3.3e-7, so tol 1e-5; a wrong gradient is off by O(1e-2…1).
describe('float64 finite-difference gradients of every parameter of every layer', () => {
  for (const c of MIXER_CASES) {
    it(c.name, () => {
      const be = referenceBackend();
      const mixer = c.make(be, seed, 'f64');
      const x = randomInput(be, new Rng(seed + 3), [2, 7, 8], 'f64');
      const errors = moduleGradcheck(mixer, (t) => mixer.forward(t), x, { seed, checkInput: true, tol: 1e-5 });
      expect(errors.size).toBe(mixer.parameters().length + 1);
    });
  }

  it('S4DKernel (S4D-Lin and S4D-Inv) at a length longer than the state', () => {
    for (const init of ['lin', 'inv'] as const) {
      const k = new S4DKernel({ backend: referenceBackend(), rng: new Rng(seed), channels: 3, stateSize: 6, init, dtype: 'f64' });
      const errors = moduleGradcheck(k, () => k.forward(13), randomInput(referenceBackend(), new Rng(1), [1, 1, 1], 'f64'), { seed, tol: 1e-5 });
      expect([...errors.keys()].sort()).toEqual(['A_imag', 'B', 'C', 'inv_A_real', 'log_dt']);
    }
  });

  it('ShiftKernel, kernel shorter and longer than the sequence', () => {
    for (const L of [3, 9]) {
      const k = new ShiftKernel({ backend: referenceBackend(), rng: new Rng(seed), channels: 3, stateSize: 5, dtype: 'f64' });
      const errors = moduleGradcheck(k, () => k.forward(L), randomInput(referenceBackend(), new Rng(1), [1, 1, 1], 'f64'), { seed, tol: 1e-5 });
      expect([...errors.keys()].sort()).toEqual(['B', 'C']);
    }
  });
});
