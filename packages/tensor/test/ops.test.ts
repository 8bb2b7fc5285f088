import { Rng } from '@hippo/kernels';
import { testSeed } from '@hippo/kernels/testing';
import { describe, expect, it } from 'vitest';
import { gradcheck } from '../src/testing/index.js';
import { OP_CASES } from './op-cases.js';

const seed = testSeed();

describe('float64 finite-difference gradient check of every op (cpu)', () => {
  for (const c of OP_CASES) {
    it(c.name, () => {
      const { errors } = gradcheck(c.name, c.fn, c.inputs(new Rng(seed)), { seed, h: c.h ?? 1e-6, tol: 1e-6 });
      // central differences in float64: truncation O(h²) + rounding O(ε/h) ≈ 1e-10 relative. The S4D kernel
      // cases take h = 1e-5: their dA gradients are O(Δ²) (Δ down to 1e-3) against O(Δ·ε/h) quotient noise
      expect(errors.length).toBeGreaterThan(0);
      for (const e of errors) expect(e).toBeLessThan(1e-6);
    });
  }
});
