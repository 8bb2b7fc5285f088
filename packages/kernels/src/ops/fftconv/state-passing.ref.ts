// State passing (H3 paper, Algorithm 2 / Prop. 2) for the diagonal SSM behind an FFT convolution: a sequence
// far longer than one fused transform is convolved chunk by chunk, each chunk with the kernel's first T taps,
// plus the contribution of everything before the chunk, which a diagonal SSM summarises in its state. With
// x_t = Ā ⊙ x_{t−1} + u_t (per mode; B̄ folded into W) and k[s] = 2·Re Σ_n W_n·Ā_n^s, for chunk c (t = cT + j):
//   y[cT + j] = Σ_{i ≤ j} k[j − i]·u[cT + i] + D·u[cT + j] + 2·Re Σ_n W_n·Ā_n^(j+1)·s_n^(c−1)
//   s^(c)     = Ā^T ⊙ s^(c−1) + Σ_{i<T} Ā^(T−1−i)·u[cT + i],   s^(−1) = 0
// which is exact: it regroups the full convolution's sum at the chunk boundary.
import { ShapeError } from '../../errors.js';
import type { FloatArray } from '../../util/types.js';
import { fftConvForwardRef } from './fftconv.ref.js';

/**
 * A diagonal SSM per channel (H3's S4D after discretisation): H channels × m complex modes; the conjugate
 * modes are implicit (the kernel is twice the real part).
 */
export interface DiagSsm {
  channels: number;
  modes: number;
  /** Ā [H, m, 2]: the discrete state matrix's diagonal (re, im), |Ā| < 1. */
  A: Float64Array;
  /** W [H, m, 2]: C ⊙ B̄ (re, im), so that k[h, s] = 2·Re Σ_n W[h,n]·Ā[h,n]^s. */
  W: Float64Array;
  /** D [H]: the skip term. */
  D: Float64Array;
}

/** Throws a ShapeError naming `fn` unless the SSM's arrays match its channels × modes. */
export function checkDiagSsm(fn: string, ssm: DiagSsm): void {
  const { channels: H, modes: m } = ssm;
  if (ssm.A.length !== 2 * H * m) throw new ShapeError(fn, 'ssm.A', `[${H}, ${m}, 2] (${2 * H * m} values)`, `${ssm.A.length} values`);
  if (ssm.W.length !== 2 * H * m) throw new ShapeError(fn, 'ssm.W', `[${H}, ${m}, 2] (${2 * H * m} values)`, `${ssm.W.length} values`);
  if (ssm.D.length !== H) throw new ShapeError(fn, 'ssm.D', `[${H}]`, `${ssm.D.length} values`);
}

/**
 * Ā^(e·stride) per (h, n) for e = 0..count−1, as [H, m, count, 2] in float64. Each is a product of two powers
 * from binary exponentiation (Ā^(64·q·stride)·Ā^(r·stride)), so none is more than a few ulp off.
 */
export function ssmPowers(ssm: DiagSsm, count: number, stride = 1): Float64Array {
  const { channels: H, modes: m, A } = ssm;
  const out = new Float64Array(H * m * count * 2);
  for (let hn = 0; hn < H * m; hn++) {
    const fine: [number, number][] = Array.from({ length: 64 }, (_, r) => cpow(A[2 * hn], A[2 * hn + 1], r * stride));
    for (let q = 0; q * 64 < count; q++) {
      const [cr, ci] = cpow(A[2 * hn], A[2 * hn + 1], 64 * q * stride);
      for (let r = 0; r < 64 && 64 * q + r < count; r++) {
        const i = 2 * (hn * count + 64 * q + r);
        out[i] = cr * fine[r][0] - ci * fine[r][1];
        out[i + 1] = cr * fine[r][1] + ci * fine[r][0];
      }
    }
  }
  return out;
}

/** (a + ib)^e by binary exponentiation (float64). */
function cpow(a: number, b: number, e: number): [number, number] {
  let rr = 1;
  let ri = 0;
  let pr = a;
  let pi = b;
  while (e > 0) {
    if (e & 1) [rr, ri] = [rr * pr - ri * pi, rr * pi + ri * pr];
    [pr, pi] = [pr * pr - pi * pi, 2 * pr * pi];
    e = Math.floor(e / 2);
  }
  return [rr, ri];
}

/** The SSM's convolution kernel k [H, length] = 2·Re Σ_n W_n·Ā_n^s, in float64. */
export function ssmKernelRef(ssm: DiagSsm, length: number): Float64Array {
  const { channels: H, modes: m, W } = ssm;
  const pw = ssmPowers(ssm, length);
  const k = new Float64Array(H * length);
  for (let h = 0; h < H; h++)
    for (let n = 0; n < m; n++) {
      const hn = h * m + n;
      const [wr, wi] = [W[2 * hn], W[2 * hn + 1]];
      for (let s = 0; s < length; s++) k[h * length + s] += 2 * (wr * pw[2 * (hn * length + s)] - wi * pw[2 * (hn * length + s) + 1]);
    }
  return k;
}

/**
 * y [B,H,L] = causal_conv(u [B,H,L], k) + D·u for the SSM's kernel k, computed by state passing over chunks of
 * `chunk` samples (float64 inside): the spec of ssmConvStatePassing, and a check that the regrouping is exact.
 */
export function ssmConvStatePassingRef(y: FloatArray, u: FloatArray, ssm: DiagSsm, p: { batch: number; length: number }, chunk: number): void {
  checkDiagSsm('ssmConvStatePassingRef', ssm);
  const { channels: H, modes: m, W } = ssm;
  const { batch: B, length: L } = p;
  const T = Math.min(chunk, L);
  const kT = ssmKernelRef(ssm, T);
  const AT = ssmPowers(ssm, 2, T); // Ā^0, Ā^T
  const pw = ssmPowers(ssm, T + 1); // Ā^0 … Ā^T
  const yc = new Float64Array(T);
  const uc = new Float64Array(T);
  const s = new Float64Array(2 * m);
  for (let b = 0; b < B; b++)
    for (let h = 0; h < H; h++) {
      const o = (b * H + h) * L;
      s.fill(0);
      for (let c0 = 0; c0 < L; c0 += T) {
        const len = Math.min(T, L - c0);
        uc.fill(0);
        for (let i = 0; i < len; i++) uc[i] = u[o + c0 + i];
        fftConvForwardRef(yc, uc, kT.subarray(h * T, (h + 1) * T), ssm.D.subarray(h, h + 1), { batch: 1, channels: 1, length: T, kernelLength: T });
        for (let j = 0; j < len; j++) {
          let acc = yc[j];
          for (let n = 0; n < m; n++) {
            const hn = h * m + n;
            // W·s, then times Ā^(j+1)
            const gr = W[2 * hn] * s[2 * n] - W[2 * hn + 1] * s[2 * n + 1];
            const gi = W[2 * hn] * s[2 * n + 1] + W[2 * hn + 1] * s[2 * n];
            const e = 2 * (hn * (T + 1) + j + 1);
            acc += 2 * (gr * pw[e] - gi * pw[e + 1]);
          }
          y[o + c0 + j] = acc;
        }
        for (let n = 0; n < m; n++) {
          const hn = h * m + n;
          let zr = 0;
          let zi = 0;
          for (let i = 0; i < T; i++) {
            const e = 2 * (hn * (T + 1) + T - 1 - i);
            zr += pw[e] * uc[i];
            zi += pw[e + 1] * uc[i];
          }
          const [ar, ai] = [AT[2 * (hn * 2 + 1)], AT[2 * (hn * 2 + 1) + 1]];
          const [sr, si] = [s[2 * n], s[2 * n + 1]];
          s[2 * n] = ar * sr - ai * si + zr;
          s[2 * n + 1] = ar * si + ai * sr + zi;
        }
      }
    }
}
