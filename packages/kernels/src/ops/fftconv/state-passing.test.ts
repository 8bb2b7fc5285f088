import { describe, expect, it } from 'vitest';
import { relL2, testSeed } from '../../testing/index.js';
import { Rng } from '../../util/rng.js';
import { causalConvDirect } from './direct.ref.js';
import { fftConvForwardRef } from './fftconv.ref.js';
import { randomDiagSsm } from './oracle-check.js';
import { ssmConvStatePassingRef, ssmKernelRef, ssmPowers } from './state-passing.ref.js';

const seed = testSeed();

describe('state passing reference (float64)', () => {
  it('the SSM kernel is 2·Re Σ W·Ā^s, with powers accurate far down the sequence', () => {
    const ssm = randomDiagSsm(new Rng(seed), 2, 3);
    const k = ssmKernelRef(ssm, 300);
    for (const [h, s] of [[0, 0], [1, 7], [0, 299]]) {
      let want = 0;
      for (let n = 0; n < 3; n++) {
        const i = 2 * (h * 3 + n);
        // exp(s·log Ā) in float64 as an independent evaluation of Ā^s
        const mag = Math.hypot(ssm.A[i], ssm.A[i + 1]) ** s;
        const ang = s * Math.atan2(ssm.A[i + 1], ssm.A[i]);
        want += 2 * (ssm.W[i] * mag * Math.cos(ang) - ssm.W[i + 1] * mag * Math.sin(ang));
      }
      expect(k[h * 300 + s]).toBeCloseTo(want, 12);
    }
    const pw = ssmPowers(ssm, 3, 100); // Ā^0, Ā^100, Ā^200
    expect(pw[0]).toBe(1);
    expect(pw[1]).toBe(0);
  });

  it('chunked state passing equals the full convolution (exact regrouping), also for a short last chunk', () => {
    const rng = new Rng(seed);
    for (const [B, H, m, L, T] of [[2, 3, 4, 1000, 128], [1, 2, 32, 4096, 512], [1, 1, 2, 64, 64]]) {
      const ssm = randomDiagSsm(rng, H, m);
      const u = rng.fillNormal(new Float64Array(B * H * L));
      const got = new Float64Array(B * H * L);
      ssmConvStatePassingRef(got, u, ssm, { batch: B, length: L }, T);
      const want = new Float64Array(B * H * L);
      const p = { batch: B, channels: H, length: L, kernelLength: L };
      if (L <= 1000) causalConvDirect(want, u, ssmKernelRef(ssm, L), ssm.D, p);
      else fftConvForwardRef(want, u, ssmKernelRef(ssm, L), ssm.D, p);
      // float64 throughout: ~1e-15 per operation, sums of ≤ 4096 terms
      expect(relL2(got, want), `[${B},${H},${L}] T=${T} seed ${seed}`).toBeLessThan(1e-11);
    }
  });
});
