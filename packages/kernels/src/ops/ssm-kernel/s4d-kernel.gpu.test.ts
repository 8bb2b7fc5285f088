import { describe, expect, it } from 'vitest';
import { expectClose, gpuForTests, readF32, testSeed, upload } from '../../testing/index.js';
import { Rng } from '../../util/rng.js';
import { s4dKernelBackward, s4dKernelForward } from './s4d-kernel.js';
import { s4dDiscretizeRef, s4dKernelBackwardRef, s4dKernelRef, type S4dKernelParams } from './s4d-kernel.ref.js';
import { s4dTestParams, type S4dInit } from './test-params.js';

const ctx = await gpuForTests();
const seed = testSeed();
const EPS = 2 ** -24;

// [H, N2, L, init]: odd H and H = 65 (two blocks of the dlogDt sum); N2 = 1, 3, 32 and 65 (two chunks of 64
// staged modes, the second partial); L = 1, 7 (one partial workgroup), 100, 1000 and 8192 (where the phase
// l·arg Ā reaches ~8192·π)
const CASES: [number, number, number, S4dInit][] = [
  [1, 1, 1, 'lin'],
  [3, 3, 7, 'inv'],
  [5, 32, 1000, 'lin'],
  [3, 32, 1000, 'inv'],
  [1, 1, 1000, 'inv'],
  [2, 65, 100, 'inv'],
  [65, 3, 7, 'lin'],
  [2, 32, 8192, 'lin'],
];

/**
 * The f32 error model of s4d-mode.wgsl, per (mode, power l), relative to |W·Ā^l|:
 * - C0·ε for the discretisation (W, B̄: ~10 roundings), the quarter-turn reduction and the sin/cos polynomial,
 *   plus 4·TAPS·ε for the running products by Ā after each invocation's first tap (≤ TAPS − 1 complex products);
 * - exp(l·Re log Ā): the WGSL bound 3 + 2·l·|Re log Ā| ulp;
 * - l·(|arg Ā| + |Re log Ā|)·c·ε for the rounding of log Ā, c = C1 (our atan2/log1p series and the arithmetic
 *   around them) + the WGSL exp bounds on Δ = exp(logDt) and exp(invAReal), 3 + 2|x| ulp each.
 */
const C0 = 16;
const TAPS = 16; // s4d-kernel.ts
const C1 = 8;

function modeTables(logDt: Float32Array, invAReal: Float32Array, AImag: Float32Array, B: Float32Array, C: Float32Array, H: number, N2: number) {
  const ssm = s4dDiscretizeRef(logDt, invAReal, AImag, B, C, H, N2);
  const absP = new Float64Array(H * N2);
  const absLog = new Float64Array(H * N2);
  const reLog = new Float64Array(H * N2);
  const absW = new Float64Array(H * N2);
  const c = new Float64Array(H * N2);
  for (let i = 0; i < H * N2; i++) {
    const [pr, pi] = [ssm.A[2 * i], ssm.A[2 * i + 1]];
    absP[i] = Math.hypot(pr, pi);
    reLog[i] = Math.abs(Math.log(absP[i]));
    absLog[i] = Math.abs(Math.atan2(pi, pr)) + reLog[i];
    absW[i] = Math.hypot(ssm.W[2 * i], ssm.W[2 * i + 1]);
    c[i] = C1 + 3 + 2 * Math.abs(logDt[Math.floor(i / N2)]) + 3 + 2 * Math.abs(invAReal[i]);
  }
  /** The relative error bound of W·Ā^l for mode i. */
  const rel = (i: number, l: number) => (C0 + 4 * TAPS + 3 + 2 * l * reLog[i] + l * absLog[i] * c[i]) * EPS;
  return { absP, absW, rel };
}

describe.skipIf(!ctx)('S4D kernel on webgpu vs the float64 reference', () => {
  it('forward: K [H, L] within the f32 error model (tolerance = ‖per-tap bound‖ / ‖K‖)', async () => {
    expect.hasAssertions();
    const gpu = ctx!;
    const rng = new Rng(seed);
    for (const [H, N2, L, init] of CASES) {
      const p: S4dKernelParams = { channels: H, modes: N2, length: L };
      const q = s4dTestParams(rng, H, N2, init, 0.3);
      const [logDt, invAReal, AImag, B, C] = [q.logDt, q.invAReal, q.AImag, q.B, q.C].map((a) => Float32Array.from(a));
      const ref = new Float64Array(H * L);
      s4dKernelRef(ref, logDt, invAReal, AImag, B, C, p);
      const gK = gpu.acquire(H * L * 4);
      s4dKernelForward(gpu, gK, ...([logDt, invAReal, AImag, B, C].map((a) => upload(gpu, a)) as [GPUBuffer, GPUBuffer, GPUBuffer, GPUBuffer, GPUBuffer]), p);
      const got = await readF32(gpu, gK, H * L);
      // worst-case bound per tap: 2·Σ_n |W|·|Ā|^l·(rel(l) + N2·ε for the f32 sum over modes)
      const t = modeTables(logDt, invAReal, AImag, B, C, H, N2);
      let bound2 = 0;
      let ref2 = 0;
      for (let h = 0; h < H; h++)
        for (let l = 0; l < L; l++) {
          let e = 0;
          for (let n = 0; n < N2; n++) {
            const i = h * N2 + n;
            e += 2 * t.absW[i] * t.absP[i] ** l * (t.rel(i, l) + N2 * EPS);
          }
          bound2 += e * e;
          ref2 += ref[h * L + l] ** 2;
        }
      const tol = Math.sqrt(bound2 / ref2);
      expect(expectClose(got, ref, tol, `s4dKernelForward H=${H} N2=${N2} L=${L} ${init}`, seed)).toBeLessThanOrEqual(tol);
    }
  });

  it('backward: every gradient within the error model carried through the chain rule; bit-reproducible', async () => {
    expect.hasAssertions();
    const gpu = ctx!;
    const rng = new Rng(seed);
    for (const [H, N2, L, init] of CASES) {
      const p: S4dKernelParams = { channels: H, modes: N2, length: L };
      const q = s4dTestParams(rng, H, N2, init, 0.3);
      const params = [q.logDt, q.invAReal, q.AImag, q.B, q.C].map((a) => Float32Array.from(a));
      const [logDt, invAReal, AImag, B, C] = params;
      const dK = rng.fillNormal(new Float32Array(H * L));
      const ref = params.map((a) => new Float64Array(a.length));
      s4dKernelBackwardRef(ref[0], ref[1], ref[2], ref[3], ref[4], dK, logDt, invAReal, AImag, B, C, p);

      const inputs = [dK, ...params].map((a) => upload(gpu, a));
      const outs = params.map((a) => gpu.acquire(a.length * 4));
      const run = async () => {
        s4dKernelBackward(gpu, outs[0], outs[1], outs[2], outs[3], outs[4], inputs[0], inputs[1], inputs[2], inputs[3], inputs[4], inputs[5], p);
        return Promise.all(outs.map((b, i) => readF32(gpu, b, params[i].length)));
      };
      const got = await run();

      // |error| of s0 = Σ g·conj(Ā^l) and s1 = Σ g·l·conj(Ā^(l−1)) per mode: each term's error model plus the f32
      // strided sums and the 64-lane tree ((L/64 + 8)·ε of the running sum). With a random cotangent g these
      // errors have random signs, so they add like a random walk: 3× their root sum of squares (a 3σ bound);
      // the worst case Σ|·| would be ~√L/3 times looser.
      const t = modeTables(logDt, invAReal, AImag, B, C, H, N2);
      const acc = (L / 64 + 8) * EPS;
      const bounds = params.map((a) => new Float64Array(a.length));
      for (let h = 0; h < H; h++)
        for (let n = 0; n < N2; n++) {
          const i = h * N2 + n;
          let e0sq = 0;
          let e1sq = 0;
          for (let l = 0; l < L; l++) {
            const g = Math.abs(dK[h * L + l]);
            e0sq += (g * t.absP[i] ** l * (t.rel(i, l) + acc)) ** 2;
            if (l > 0) e1sq += (g * l * t.absP[i] ** (l - 1) * (t.rel(i, l - 1) + acc + EPS)) ** 2;
          }
          const [e0, e1] = [3 * Math.sqrt(e0sq), 3 * Math.sqrt(e1sq)];
          // the chain rule's factors (float64 magnitudes), each product adding a few ulp of its own
          const dt = Math.exp(logDt[h]);
          const zAbs = (dt / 2) * Math.hypot(Math.exp(invAReal[i]), AImag[i]);
          const rAbs = 1 / Math.hypot(1 + (dt / 2) * Math.exp(invAReal[i]), (dt / 2) * AImag[i]);
          const cAbs = Math.hypot(C[2 * i], C[2 * i + 1]);
          const bAbs = dt * rAbs * Math.hypot(B[2 * i], B[2 * i + 1]);
          const dz = 4 * rAbs * rAbs * t.absW[i] * e1 + 2 * bAbs * rAbs * cAbs * e0;
          const own = (k: number, j: number) => C0 * EPS * Math.abs(ref[k][j]);
          bounds[1][i] = (dt / 2) * Math.exp(invAReal[i]) * dz + own(1, i);
          bounds[2][i] = (dt / 2) * dz + own(2, i);
          for (const c of [0, 1]) {
            bounds[3][2 * i + c] = dt * rAbs * cAbs * 2 * e0 + own(3, 2 * i + c);
            bounds[4][2 * i + c] = bAbs * 2 * e0 + own(4, 2 * i + c);
          }
          // dlogDt sums the modes' independent errors: root sum of squares over n, squared here, rooted below
          bounds[0][h] += (dz * zAbs + 2 * cAbs * e0 * bAbs) ** 2;
        }
      for (let h = 0; h < H; h++) bounds[0][h] = Math.sqrt(bounds[0][h]) + (C0 + N2) * EPS * Math.abs(ref[0][h]);
      const names = ['dLogDt', 'dInvAReal', 'dAImag', 'dB', 'dC'];
      got.forEach((g, k) => {
        const norm = (a: ArrayLike<number>) => Math.sqrt(Array.from(a).reduce((s, v) => s + v * v, 0));
        const tol = norm(bounds[k]) / norm(ref[k]);
        expect(expectClose(g, ref[k], tol, `s4dKernelBackward H=${H} N2=${N2} L=${L} ${init} ${names[k]}`, seed)).toBeLessThanOrEqual(tol);
      });
      const again = await run();
      again.forEach((g, k) => expect(g).toEqual(got[k]));
    }
  });
});
