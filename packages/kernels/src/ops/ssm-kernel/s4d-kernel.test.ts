import { describe, expect, it } from 'vitest';
import { expectClose, numericGrad, relL2, testSeed } from '../../testing/index.js';
import { Rng } from '../../util/rng.js';
import { s4dDiscretizeRef, s4dKernelBackwardRef, s4dKernelRef, type S4dKernelParams } from './s4d-kernel.ref.js';
import { s4dTestParams, type S4dInit, type S4dTestParams } from './test-params.js';

const seed = testSeed();

type Cx = [number, number];
const mul = (a: Cx, b: Cx): Cx => [a[0] * b[0] - a[1] * b[1], a[0] * b[1] + a[1] * b[0]];
const div = (a: Cx, b: Cx): Cx => {
  const d = b[0] * b[0] + b[1] * b[1];
  return [(a[0] * b[0] + a[1] * b[1]) / d, (a[1] * b[0] - a[0] * b[1]) / d];
};

/** The kernel straight from the definition: complex division, powers by repeated multiplication. */
function bruteKernel(q: S4dTestParams, p: S4dKernelParams): Float64Array {
  const { channels: H, modes: N2, length: L } = p;
  const K = new Float64Array(H * L);
  for (let h = 0; h < H; h++)
    for (let n = 0; n < N2; n++) {
      const hn = h * N2 + n;
      const dt = Math.exp(q.logDt[h]);
      const dtA: Cx = [-dt * Math.exp(q.invAReal[hn]), dt * q.AImag[hn]];
      const Ab = div([1 + dtA[0] / 2, dtA[1] / 2], [1 - dtA[0] / 2, -dtA[1] / 2]);
      const Bb = div([dt * q.B[2 * hn], dt * q.B[2 * hn + 1]], [1 - dtA[0] / 2, -dtA[1] / 2]);
      let term = mul([q.C[2 * hn], q.C[2 * hn + 1]], Bb);
      for (let l = 0; l < L; l++) {
        K[h * L + l] += 2 * term[0];
        term = mul(term, Ab);
      }
    }
  return K;
}

function kernel(q: S4dTestParams, p: S4dKernelParams): Float64Array {
  const K = new Float64Array(p.channels * p.length);
  s4dKernelRef(K, q.logDt, q.invAReal, q.AImag, q.B, q.C, p);
  return K;
}

const CASES: [S4dKernelParams, S4dInit][] = [
  [{ channels: 1, modes: 1, length: 1 }, 'lin'],
  [{ channels: 3, modes: 3, length: 7 }, 'inv'],
  [{ channels: 2, modes: 32, length: 100 }, 'lin'],
  [{ channels: 5, modes: 4, length: 1000 }, 'inv'],
];

describe('s4dKernelRef', () => {
  it('matches the definition computed by complex division and repeated multiplication (float64)', () => {
    const rng = new Rng(seed);
    for (const [p, init] of CASES) {
      const q = s4dTestParams(rng, p.channels, p.modes, init, 0.3);
      // repeated multiplication drifts by ~l·ε relative: 1000·2⁻⁵³ ≈ 1e−13, plus cancellation among N2 terms
      expect(relL2(kernel(q, p), bruteKernel(q, p)), `${JSON.stringify(p)} ${init} seed ${seed}`).toBeLessThan(1e-11);
    }
  });

  it('with float32 arrays rounds the float64 result once', () => {
    const rng = new Rng(seed);
    const p = { channels: 2, modes: 8, length: 50 };
    const q = s4dTestParams(rng, 2, 8, 'lin');
    const f32 = (a: Float64Array) => Float32Array.from(a);
    const [lg, ar, ai, b, c] = [q.logDt, q.invAReal, q.AImag, q.B, q.C].map(f32);
    const K32 = new Float32Array(p.channels * p.length);
    s4dKernelRef(K32, lg, ar, ai, b, c, p);
    const K64 = new Float64Array(K32.length);
    s4dKernelRef(K64, lg, ar, ai, b, c, p);
    expect(Array.from(K32)).toEqual(Array.from(Float32Array.from(K64)));
  });

  it('agrees with the recurrence x ← Ā·x + B̄·u, y = 2·Re Σ C·x on an impulse (the step form)', () => {
    const rng = new Rng(seed);
    const [H, N2, L] = [2, 5, 40];
    const q = s4dTestParams(rng, H, N2, 'inv', 0.2);
    const ssm = s4dDiscretizeRef(q.logDt, q.invAReal, q.AImag, q.B, q.C, H, N2);
    expect(Array.from(ssm.D)).toEqual([0, 0]);
    const K = kernel(q, { channels: H, modes: N2, length: L });
    const rec = new Float64Array(H * L);
    for (let h = 0; h < H; h++)
      for (let n = 0; n < N2; n++) {
        const hn = h * N2 + n;
        // W = C·B̄ and an impulse u = δ: x_0 = B̄, y_l = 2·Re(C·Ā^l·B̄) = 2·Re(W·Ā^l)
        let x: Cx = [ssm.W[2 * hn], ssm.W[2 * hn + 1]];
        for (let l = 0; l < L; l++) {
          rec[h * L + l] += 2 * x[0];
          x = mul([ssm.A[2 * hn], ssm.A[2 * hn + 1]], x);
        }
      }
    expect(relL2(K, rec)).toBeLessThan(1e-12);
  });
});

describe('s4dKernelBackwardRef', () => {
  it('matches central finite differences of Σ g·K for every input (float64)', () => {
    const rng = new Rng(seed);
    for (const [p, init] of [CASES[0], CASES[1], [{ channels: 2, modes: 6, length: 60 }, 'lin'] as [S4dKernelParams, S4dInit]]) {
      const { channels: H, modes: N2, length: L } = p;
      const q = s4dTestParams(rng, H, N2, init, 0.3);
      const g = rng.fillNormal(new Float64Array(H * L));
      const loss = () => kernel(q, p).reduce((acc, v, i) => acc + g[i] * v, 0);
      const grads = [new Float64Array(H), new Float64Array(H * N2), new Float64Array(H * N2), new Float64Array(2 * H * N2), new Float64Array(2 * H * N2)];
      grads.forEach((a) => a.fill(NaN)); // outputs are overwritten, not accumulated
      s4dKernelBackwardRef(grads[0], grads[1], grads[2], grads[3], grads[4], g, q.logDt, q.invAReal, q.AImag, q.B, q.C, p);
      const inputs = [q.logDt, q.invAReal, q.AImag, q.B, q.C];
      const names = ['logDt', 'invAReal', 'AImag', 'B', 'C'];
      // truncation h²·|f'''| (phases l·Δ·AImag reach ~90 rad at L = 60) + rounding ε·|f|/h. dInvAReal and dAImag
      // are O(Δ²) with Δ down to 1e-3, so at one mode their quotient noise is relative to a tiny gradient: each
      // input's error is taken against ‖numeric‖ + 1e-3·rms·√n, rms over all five inputs' numeric gradients
      // (expectClose's atol, in units of tol)
      const numeric = inputs.map((v) => numericGrad(loss, v, 2e-6));
      const all = numeric.flatMap((n) => [...n]);
      const rms = Math.sqrt(all.reduce((acc, v) => acc + v * v, 0) / all.length);
      numeric.forEach((n, k) => expectClose(grads[k], n, 1e-6, `${JSON.stringify(p)} d${names[k]}`, seed, 1e-6 * 1e-3 * rms));
    }
  });
});
