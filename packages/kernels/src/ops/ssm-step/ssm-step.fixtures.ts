// Test fixtures of the SSM step kernels (imported by the tests only, not exported): random SSMs drawn like
// H3's, and the exact float64 recurrence together with a rigorous bound on the error of any float32
// implementation of it — the tolerances of the kernel tests, derived here once.
import { Rng } from '../../util/rng.js';
import type { DiagSsmStateParams } from './diag-step.ref.js';
import type { ShiftSsmStateParams } from './shift-step.ref.js';

/** Unit roundoff of float32. */
export const U32 = 2 ** -24;

/** A diagonal SSM drawn like a bilinear-discretised S4D (|Ā| in [0.9, 0.9999], phase in [0, π)), as float32. */
export function randomDiagSsm(rng: Rng, H: number, N2: number): { A: Float32Array; W: Float32Array; D: Float32Array } {
  const A = new Float32Array(H * N2 * 2);
  for (let i = 0; i < H * N2; i++) {
    const r = 0.9 + 0.0999 * rng.uniform();
    const theta = Math.PI * rng.uniform();
    A[2 * i] = r * Math.cos(theta);
    A[2 * i + 1] = r * Math.sin(theta);
  }
  // W = C ⊙ B̄: complex normal C times B̄ ≈ Δ (Δ ~ 0.001..0.1), scaled so y is O(1)
  return { A, W: rng.fillNormal(new Float32Array(H * N2 * 2), 0, 0.05), D: rng.fillNormal(new Float32Array(H)) };
}

/** The exact result of running the diagonal SSM over z, and per-entry bounds on a float32 implementation's error. */
export interface DiagRun {
  /** Final state [B,H,N2,2], exact (float64 on the float32 inputs). */
  state: Float64Array;
  /** |error| bound per complex state entry [B,H,N2]. */
  stateBound: Float64Array;
  /** Outputs y [B,H,L], exact. */
  y: Float64Array;
  /** |error| bound per output [B,H,L]. */
  yBound: Float64Array;
}

/**
 * Runs x_t = Ā ⊙ x_{t−1} + z_t, y_t = 2·Re Σ W x_t + D z_t in float64 from `state0` (zero by default) and
 * bounds the error of the same recurrence in float32 (u = 2⁻²⁴), whether the state stays in registers
 * (diagSsmState) or is stored between steps (diagSsmStep):
 * - one step: each component of Ā·x + z is 3 roundings of terms bounded by |Ā||x| + |z|, so the complex
 *   error is ≤ 3√2·u·(|Ā||x̂| + |z|) < 5u·(|Ā||x̂| + |z|), and older errors are damped by |Ā|:
 *   e_t ≤ |Ā|·e_{t−1} + 5u·(|Ā|(|x_{t−1}| + e_{t−1}) + |z_t|)  (so e_L ≤ 5u·L·max(|x|, |z|) at worst);
 * - the output: each term W·x̂ has 2 roundings, a sum of N2 terms in any order ≤ (N2 − 1)u·Σ|terms|, then D·z
 *   and the final add: |ŷ − y| ≤ 2Σ|W|e + (2N2 + 4)u·Σ|W|(|x| + e) + 3u|D z| + u|y|.
 */
export function runDiag(
  z: ArrayLike<number>,
  ssm: { A: ArrayLike<number>; W: ArrayLike<number>; D: ArrayLike<number> },
  p: DiagSsmStateParams,
  state0?: ArrayLike<number>,
): DiagRun {
  const { batch: B, channels: H, modes: N2, length: L } = p;
  const { A, W, D } = ssm;
  const state = new Float64Array(B * H * N2 * 2);
  if (state0) state.set(state0);
  const stateBound = new Float64Array(B * H * N2);
  const y = new Float64Array(B * H * L);
  const yBound = new Float64Array(B * H * L);
  for (let row = 0; row < B * H; row++) {
    const h = row % H;
    for (let t = 0; t < L; t++) {
      const zt = z[row * L + t];
      let acc = 0;
      let accAbs = 0;
      let errW = 0;
      for (let n = 0; n < N2; n++) {
        const a = 2 * (h * N2 + n);
        const s = 2 * (row * N2 + n);
        const absA = Math.hypot(A[a], A[a + 1]);
        const absX = Math.hypot(state[s], state[s + 1]);
        const e = stateBound[row * N2 + n];
        const sr = A[a] * state[s] - A[a + 1] * state[s + 1] + zt;
        const si = A[a] * state[s + 1] + A[a + 1] * state[s];
        state[s] = sr;
        state[s + 1] = si;
        const eNext = absA * e + 5 * U32 * (absA * (absX + e) + Math.abs(zt));
        stateBound[row * N2 + n] = eNext;
        const absW = Math.hypot(W[a], W[a + 1]);
        acc += W[a] * sr - W[a + 1] * si;
        accAbs += absW * (Math.hypot(sr, si) + eNext);
        errW += absW * eNext;
      }
      const yt = 2 * acc + D[h] * zt;
      y[row * L + t] = yt;
      yBound[row * L + t] = 2 * errW + (2 * N2 + 4) * U32 * accAbs + 3 * U32 * Math.abs(D[h] * zt) + U32 * Math.abs(yt);
    }
  }
  return { state, stateBound, y, yBound };
}

/**
 * The shift SSM over k [B,d,L] from `state0` (zero by default): final state [B,d,N] (exact: copies) and
 * outputs y [B,d,L] in float64 with per-output bounds on a float32 implementation: N + 1 rounded products
 * summed in any order, ≤ (N + 2)u·(Σ_j |kernel_j s_j| + |D k|).
 */
export function runShift(
  k: ArrayLike<number>,
  kernel: ArrayLike<number>,
  D: ArrayLike<number>,
  p: ShiftSsmStateParams,
  state0?: ArrayLike<number>,
): { state: Float64Array; y: Float64Array; yBound: Float64Array } {
  const { batch: B, channels: d, stateSize: N, length: L } = p;
  const state = new Float64Array(B * d * N);
  if (state0) state.set(state0);
  const y = new Float64Array(B * d * L);
  const yBound = new Float64Array(B * d * L);
  for (let row = 0; row < B * d; row++) {
    const c = row % d;
    const s = state.subarray(row * N, (row + 1) * N);
    for (let t = 0; t < L; t++) {
      const kt = k[row * L + t];
      for (let j = N - 1; j > 0; j--) s[j] = s[j - 1];
      s[0] = kt;
      let acc = D[c] * kt;
      let abs = Math.abs(acc);
      for (let j = 0; j < N; j++) {
        acc += kernel[c * N + j] * s[j];
        abs += Math.abs(kernel[c * N + j] * s[j]);
      }
      y[row * L + t] = acc;
      yBound[row * L + t] = (N + 2) * U32 * abs;
    }
  }
  return { state, y, yBound };
}

/**
 * Throws unless |got − exact| ≤ bound entry by entry (`width` consecutive values share one bound: 2 for
 * complex entries, compared by modulus). The message names the worst entry relative to its bound.
 */
export function expectWithinBounds(got: ArrayLike<number>, exact: ArrayLike<number>, bound: ArrayLike<number>, label: string, seed: number, width = 1): void {
  if (got.length !== exact.length || exact.length !== bound.length * width)
    throw new Error(`${label}: lengths ${got.length}, ${exact.length}, bounds ${bound.length}×${width} do not match`);
  let worst = 0;
  let at = -1;
  for (let i = 0; i < bound.length; i++) {
    let d2 = 0;
    for (let c = 0; c < width; c++) d2 += (got[i * width + c] - exact[i * width + c]) ** 2;
    const ratio = d2 === 0 ? 0 : Math.sqrt(d2) / bound[i];
    if (!(ratio <= worst)) {
      worst = Number.isNaN(ratio) ? Infinity : ratio;
      at = i;
    }
  }
  if (!(worst <= 1)) {
    const pick = (a: ArrayLike<number>) => Array.from({ length: width }, (_, c) => a[at * width + c]).join(', ');
    throw new Error(
      `${label}: entry ${at} is off by ${worst.toFixed(2)}× its error bound ${bound[at].toExponential(3)} ` +
        `(got ${pick(got)}, exact ${pick(exact)}) — replay with HIPPO_SEED=${seed}`,
    );
  }
}
