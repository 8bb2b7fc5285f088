// Test support: relative L2 errors of a convolution's outputs against the direct float64 oracle, on every
// position or, where the O(L²) oracle is too slow (L = 65536), on random positions (each sampled value costs
// O(L), and the relative L2 over a few hundred positions estimates the full one).
import type { Rng } from '../../util/rng.js';
import type { FloatArray } from '../../util/types.js';
import { relL2 } from '../../testing/index.js';
import { causalConvDirect, causalConvDirectBackward } from './direct.ref.js';
import type { FftConvParams } from './plan.js';
import type { DiagSsm } from './state-passing.ref.js';

export interface ConvInputs {
  u: FloatArray; // [B, H, L]
  k: FloatArray; // [H, Lk]
  D: FloatArray; // [H]
  dy: FloatArray; // [B, H, L]
}

export interface ConvErrors {
  y: number;
  du: number;
  dk: number;
  dD: number;
}

/** Random float32 inputs (standard normal) for a convolution of shape p. */
export function randomConvInputs(rng: Rng, p: FftConvParams): ConvInputs {
  const { batch: B, channels: H, length: L, kernelLength: Lk } = p;
  const make = (n: number) => rng.fillNormal(new Float32Array(n));
  return { u: make(B * H * L), k: make(H * Lk), D: make(H), dy: make(B * H * L) };
}

/**
 * Error of a sum-valued output (dk and dD: each entry sums up to B·L products of the unit-normal inputs):
 * ‖got − want‖ over the larger of ‖want‖ and the scale of the terms, √(n·B·L). Float32 rounding error grows
 * with the terms, not with the sum, so a sum that cancels towards 0 makes the plain relative L2 meaningless
 * (an H = 2 dD exceeded 1e-6 for 4 of 300 seeds with an ordinary absolute error). Never above relL2; below it
 * only where ‖want‖ is under the terms' scale.
 */
export function sumError(got: ArrayLike<number>, want: ArrayLike<number>, termsPerEntry: number): number {
  let diff = 0;
  let norm = 0;
  for (let i = 0; i < want.length; i++) {
    diff += (got[i] - want[i]) ** 2;
    norm += want[i] ** 2;
  }
  const scale = Math.max(Math.sqrt(norm), Math.sqrt(want.length * termsPerEntry));
  return scale === 0 ? Math.sqrt(diff) : Math.sqrt(diff) / scale;
}

/**
 * relL2 of y and du, sumError of dk and dD, against the oracle: on all positions when `samples` is Infinity, else on
 * `samples` random positions of y, du and dk (dD always whole).
 */
export function oracleErrors(
  p: FftConvParams,
  x: ConvInputs,
  y: FloatArray | null,
  grads: [FloatArray, FloatArray, FloatArray] | null,
  samples: number,
  rng: Rng,
): Partial<ConvErrors> {
  const { batch: B, channels: H, length: L, kernelLength: Lk } = p;
  const out: Partial<ConvErrors> = {};
  if (samples === Infinity) {
    if (y) {
      const want = new Float64Array(B * H * L);
      causalConvDirect(want, x.u, x.k, x.D, p);
      out.y = relL2(y, want);
    }
    if (grads) {
      const w = [new Float64Array(B * H * L), new Float64Array(H * Lk), new Float64Array(H)];
      causalConvDirectBackward(w[0], w[1], w[2], x.dy, x.u, x.k, x.D, p);
      [out.du, out.dk, out.dD] = [relL2(grads[0], w[0]), sumError(grads[1], w[1], B * L), sumError(grads[2], w[2], B * L)];
    }
    return out;
  }
  const { u, k, D, dy } = x;
  const pick = (n: number) => Array.from({ length: samples }, () => rng.int(n));
  const compare = (got: FloatArray, at: number[], value: (i: number) => number, terms = 0) =>
    sumError(
      at.map((i) => got[i]),
      at.map(value),
      terms,
    );
  if (y) {
    out.y = compare(y, pick(B * H * L), (i) => {
      const row = Math.floor(i / L);
      const t = i - row * L;
      const h = row % H;
      let acc = D[h] * u[i];
      for (let s = 0; s <= Math.min(t, Lk - 1); s++) acc += k[h * Lk + s] * u[i - s];
      return acc;
    });
  }
  if (grads) {
    out.du = compare(grads[0], pick(B * H * L), (i) => {
      const row = Math.floor(i / L);
      const s = i - row * L;
      const h = row % H;
      let acc = D[h] * dy[i];
      for (let t = s; t <= Math.min(L - 1, s + Lk - 1); t++) acc += k[h * Lk + t - s] * dy[row * L + t];
      return acc;
    });
    const lag = (h: number, j: number) => {
      let acc = 0;
      for (let b = 0; b < B; b++) {
        const o = (b * H + h) * L;
        for (let t = j; t < L; t++) acc += dy[o + t] * u[o + t - j];
      }
      return acc;
    };
    out.dk = compare(grads[1], pick(H * Lk), (i) => lag(Math.floor(i / Lk), i % Lk), B * L);
    out.dD = sumError(
      grads[2],
      Array.from({ length: H }, (_, h) => lag(h, 0)),
      B * L,
    );
  }
  return out;
}

/**
 * A random diagonal SSM initialised like H3's S4D-Lin (h3-reference §1): Δ = exp(U(log 0.001, log 0.1)),
 * A_n = −½ + iπn, bilinear Ā = (1 + ΔA/2)/(1 − ΔA/2), B̄ = Δ/(1 − ΔA/2), C ~ CN(0, 1), W = C·B̄, D ~ N(0, 1).
 */
export function randomDiagSsm(rng: Rng, channels: number, modes: number): DiagSsm {
  const A = new Float64Array(2 * channels * modes);
  const W = new Float64Array(2 * channels * modes);
  for (let h = 0; h < channels; h++) {
    const dt = Math.exp(Math.log(0.001) + rng.uniform() * (Math.log(0.1) - Math.log(0.001)));
    for (let n = 0; n < modes; n++) {
      const [ar, ai] = [-0.5 * dt * 0.5, Math.PI * n * dt * 0.5]; // ΔA/2
      const den = (1 - ar) ** 2 + ai ** 2; // |1 − ΔA/2|²
      // (1 + x)/(1 − x) and Δ/(1 − x) for x = ΔA/2
      const i = 2 * (h * modes + n);
      A[i] = ((1 + ar) * (1 - ar) - ai * ai) / den;
      A[i + 1] = (ai * (1 - ar) + (1 + ar) * ai) / den;
      const [br, bi] = [(dt * (1 - ar)) / den, (dt * ai) / den];
      const [cr, ci] = [rng.normal() * Math.SQRT1_2, rng.normal() * Math.SQRT1_2];
      W[i] = cr * br - ci * bi;
      W[i + 1] = cr * bi + ci * br;
    }
  }
  return { channels, modes, A, W, D: rng.fillNormal(new Float64Array(channels)) };
}
