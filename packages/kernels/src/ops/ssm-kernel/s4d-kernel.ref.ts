// The S4D convolution kernel of H3's diagonal SSM, as the official `SSKernelDiag` computes it with
// disc='bilinear' and real_type='exp' (design reference h3-reference.md §1.2–1.3): per channel h and mode n,
//   Δ = exp(logDt[h]),  A = −exp(invAReal) + i·AImag,  z = Δ·A/2,
//   Ā = (1 + z)/(1 − z),  B̄ = Δ·B/(1 − z),  W = C·B̄,  K[h, l] = 2·Re Σ_n W_n·Ā_n^l.
// The backward pass writes every gradient of a real loss as the complex number ∂/∂re + i·∂/∂im; through a
// holomorphic map w = φ(z) it is dz = conj(φ'(z))·dw (§4.3 of the reference for the convolution around it).
// Arithmetic is float64 whatever the array type. Ā^l is a running product (Ā^l = Ā^(l−1)·Ā): its relative
// error grows like l·2ε (2e−12 at L = 8192, far below float32's 6e−8 and the ~1e−8 a float64 finite-difference
// check resolves), and it needs no power tables: O(H·N2·L) time, O(L) memory.
import type { FloatArray } from '../../util/types.js';
import type { DiagSsm } from '../fftconv/state-passing.ref.js';

/** Sizes of an S4D kernel: H channels, N2 complex modes (N/2; the conjugates are implicit), L taps. */
export interface S4dKernelParams {
  /** H: SSM channels. */
  channels: number;
  /** N2 = N/2: complex modes per channel. */
  modes: number;
  /** L: kernel length (taps 0..L−1). */
  length: number;
}

/** One mode's bilinear discretisation, every intermediate the backward pass needs (float64). */
interface Mode {
  dt: number;
  /** Re A = −exp(invAReal). */
  ar: number;
  /** z = Δ·A/2 */
  zr: number;
  zi: number;
  /** r = 1/(1 − z) */
  rr: number;
  ri: number;
  /** Ā = (1 + z)·r */
  pr: number;
  pi: number;
  /** B̄ = Δ·B·r */
  br: number;
  bi: number;
  /** W = C·B̄ */
  wr: number;
  wi: number;
}

function discretizeMode(logDt: number, invAReal: number, aImag: number, bRe: number, bIm: number, cRe: number, cIm: number): Mode {
  const dt = Math.exp(logDt);
  const ar = -Math.exp(invAReal);
  const zr = (dt * ar) / 2;
  const zi = (dt * aImag) / 2;
  const den = (1 - zr) * (1 - zr) + zi * zi;
  const rr = (1 - zr) / den;
  const ri = zi / den;
  // (1 + z)(1 − z̄)/|1 − z|²: no cancellation in the real part's 1 − |z|² for |z| ≪ 1 beyond float64's
  const pr = (1 - zr * zr - zi * zi) / den;
  const pi = (2 * zi) / den;
  const br = dt * (bRe * rr - bIm * ri);
  const bi = dt * (bRe * ri + bIm * rr);
  return { dt, ar, zr, zi, rr, ri, pr, pi, br, bi, wr: cRe * br - cIm * bi, wi: cRe * bi + cIm * br };
}

function modeAt(logDt: FloatArray, invAReal: FloatArray, AImag: FloatArray, B: FloatArray, C: FloatArray, h: number, hn: number): Mode {
  return discretizeMode(logDt[h], invAReal[hn], AImag[hn], B[2 * hn], B[2 * hn + 1], C[2 * hn], C[2 * hn + 1]);
}

/**
 * The discretised SSM (float64): Ā [H, N2, 2] and W = C·B̄ [H, N2, 2] from logDt [H], invAReal [H, N2],
 * AImag [H, N2], B [H, N2, 2], C [H, N2, 2] (complex as (re, im) pairs); D = zeros [H] (the layer owns its
 * skip). The recurrent step x ← Ā·x + B̄·u, y = 2·Re Σ C·x uses it with W in place of C·B̄.
 * @example const ssm = s4dDiscretizeRef(logDt, invAReal, AImag, B, C, 64, 32); // ssm.A [64, 32, 2]
 */
export function s4dDiscretizeRef(logDt: FloatArray, invAReal: FloatArray, AImag: FloatArray, B: FloatArray, C: FloatArray, H: number, N2: number): DiagSsm {
  const A = new Float64Array(2 * H * N2);
  const W = new Float64Array(2 * H * N2);
  for (let h = 0; h < H; h++)
    for (let n = 0; n < N2; n++) {
      const hn = h * N2 + n;
      const m = modeAt(logDt, invAReal, AImag, B, C, h, hn);
      A[2 * hn] = m.pr;
      A[2 * hn + 1] = m.pi;
      W[2 * hn] = m.wr;
      W[2 * hn + 1] = m.wi;
    }
  return { channels: H, modes: N2, A, W, D: new Float64Array(H) };
}

/**
 * K [H, L] = 2·Re Σ_n W[h,n]·Ā[h,n]^l (see the file header) from logDt [H], invAReal [H, N2], AImag [H, N2],
 * B [H, N2, 2], C [H, N2, 2]. Overwrites K. Float64 inside, rounded once into K.
 * @example s4dKernelRef(K, logDt, invAReal, AImag, B, C, { channels: 4, modes: 32, length: 1024 }); // K [4, 1024]
 */
export function s4dKernelRef(
  K: FloatArray,
  logDt: FloatArray,
  invAReal: FloatArray,
  AImag: FloatArray,
  B: FloatArray,
  C: FloatArray,
  p: S4dKernelParams,
): void {
  const { channels: H, modes: N2, length: L } = p;
  const { A, W } = s4dDiscretizeRef(logDt, invAReal, AImag, B, C, H, N2);
  const acc = new Float64Array(L);
  for (let h = 0; h < H; h++) {
    acc.fill(0);
    for (let n = 0; n < N2; n++) {
      const hn = h * N2 + n;
      const [ar, ai] = [A[2 * hn], A[2 * hn + 1]];
      // t = W·Ā^l
      let [tr, ti] = [W[2 * hn], W[2 * hn + 1]];
      for (let l = 0; l < L; l++) {
        acc[l] += 2 * tr;
        const t = tr * ar - ti * ai;
        ti = tr * ai + ti * ar;
        tr = t;
      }
    }
    K.set(acc, h * L);
  }
}

/**
 * The gradients of Σ dK·K for s4dKernelRef, overwritten: dLogDt [H], dInvAReal [H, N2], dAImag [H, N2],
 * dB [H, N2, 2], dC [H, N2, 2], from dK [H, L] and the forward's inputs. Exact analytic gradients:
 *   dW = 2·Σ_l dK[l]·conj(Ā)^l,  dĀ = 2·conj(W)·Σ_l dK[l]·l·conj(Ā)^(l−1),
 *   dC = conj(B̄)·dW,  dB̄ = conj(C)·dW,  dB = Δ·conj(r)·dB̄  (r = 1/(1 − z)),
 *   dz = conj(2r²)·dĀ + conj(B̄·r)·dB̄,  dAImag = Δ/2·Im dz,  dInvAReal = Δ/2·Re dz·Re A,
 *   dLogDt = Σ_n Re(conj(dz)·z) + Re(conj(dB̄)·B̄)   (z and B̄ are both proportional to Δ).
 * @example s4dKernelBackwardRef(dLogDt, dInvAReal, dAImag, dB, dC, dK, logDt, invAReal, AImag, B, C, p);
 */
export function s4dKernelBackwardRef(
  dLogDt: FloatArray,
  dInvAReal: FloatArray,
  dAImag: FloatArray,
  dB: FloatArray,
  dC: FloatArray,
  dK: FloatArray,
  logDt: FloatArray,
  invAReal: FloatArray,
  AImag: FloatArray,
  B: FloatArray,
  C: FloatArray,
  p: S4dKernelParams,
): void {
  const { channels: H, modes: N2, length: L } = p;
  for (let h = 0; h < H; h++) {
    let dlog = 0;
    for (let n = 0; n < N2; n++) {
      const hn = h * N2 + n;
      const m = modeAt(logDt, invAReal, AImag, B, C, h, hn);
      // s0 = Σ_l g_l·conj(Ā^l), s1 = Σ_{l≥1} g_l·l·conj(Ā^(l−1)), with the running power c = Ā^l
      let [s0r, s0i, s1r, s1i] = [0, 0, 0, 0];
      let [cr, ci] = [1, 0];
      for (let l = 0; l < L; l++) {
        const g = dK[h * L + l];
        if (l > 0) {
          s1r += g * l * cr;
          s1i -= g * l * ci;
          const t = cr * m.pr - ci * m.pi;
          ci = cr * m.pi + ci * m.pr;
          cr = t;
        }
        s0r += g * cr;
        s0i -= g * ci;
      }
      const [dwr, dwi] = [2 * s0r, 2 * s0i];
      // dĀ = 2·conj(W)·s1
      const dpr = 2 * (m.wr * s1r + m.wi * s1i);
      const dpi = 2 * (m.wr * s1i - m.wi * s1r);
      dC[2 * hn] = m.br * dwr + m.bi * dwi;
      dC[2 * hn + 1] = m.br * dwi - m.bi * dwr;
      const [Cr, Ci] = [C[2 * hn], C[2 * hn + 1]];
      const dbbr = Cr * dwr + Ci * dwi;
      const dbbi = Cr * dwi - Ci * dwr;
      dB[2 * hn] = m.dt * (m.rr * dbbr + m.ri * dbbi);
      dB[2 * hn + 1] = m.dt * (m.rr * dbbi - m.ri * dbbr);
      // r² and B̄·r
      const r2r = m.rr * m.rr - m.ri * m.ri;
      const r2i = 2 * m.rr * m.ri;
      const brr = m.br * m.rr - m.bi * m.ri;
      const bri = m.br * m.ri + m.bi * m.rr;
      const dzr = 2 * (r2r * dpr + r2i * dpi) + (brr * dbbr + bri * dbbi);
      const dzi = 2 * (r2r * dpi - r2i * dpr) + (brr * dbbi - bri * dbbr);
      dAImag[hn] = (m.dt / 2) * dzi;
      dInvAReal[hn] = (m.dt / 2) * dzr * m.ar;
      dlog += dzr * m.zr + dzi * m.zi + dbbr * m.br + dbbi * m.bi;
    }
    dLogDt[h] = dlog;
  }
}
