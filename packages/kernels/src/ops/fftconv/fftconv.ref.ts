// The FFT convolution on the CPU (the cpu backend's path): y = irfft(rfft(u) ⊙ (rfft(k) + D)) with every
// transform of length N ≥ L + Lk − 1, so the circular convolution equals the causal one on y[0:L]. D is
// folded into the kernel spectrum (D·u is the convolution with D·δ, whose spectrum is the constant D), which
// is computed once per call and shared by the batch. Float64 inside, any float array outside.
import type { FloatArray } from '../../util/types.js';
import { checkFftConvParams, fftLength, type FftConvParams } from './plan.js';
import { RealFft } from './real-fft.js';

/** The kernel spectra K'[h] = rfft_N(k[h]) + D[h], f = 0..M, as [H, M+1] real and imaginary parts. */
function kernelSpectra(fft: RealFft, k: FloatArray, D: FloatArray, p: FftConvParams): [Float64Array, Float64Array] {
  const { channels: H, kernelLength: Lk } = p;
  const w = fft.m + 1;
  const kr = new Float64Array(H * w);
  const ki = new Float64Array(H * w);
  for (let h = 0; h < H; h++) {
    const re = kr.subarray(h * w, (h + 1) * w);
    const im = ki.subarray(h * w, (h + 1) * w);
    fft.forward(k, h * Lk, Lk, re, im);
    for (let f = 0; f < w; f++) re[f] += D[h];
  }
  return [kr, ki];
}

/**
 * Overwrites out [B,H,L] with irfft(rfft(x) ⊙ K'[h]) (K' conjugated when `conj`): the forward convolution
 * of x = u, or with `conj` the correlation du = k ⋆ dy + D·dy of the backward pass.
 */
function filterRows(out: FloatArray, x: FloatArray, fft: RealFft, kr: Float64Array, ki: Float64Array, conj: boolean, p: FftConvParams): void {
  const { batch: B, channels: H, length: L } = p;
  const w = fft.m + 1;
  const xr = new Float64Array(w);
  const xi = new Float64Array(w);
  const sign = conj ? -1 : 1;
  for (let b = 0; b < B; b++)
    for (let h = 0; h < H; h++) {
      const o = (b * H + h) * L;
      fft.forward(x, o, L, xr, xi);
      for (let f = 0; f < w; f++) {
        const ar = kr[h * w + f];
        const ai = sign * ki[h * w + f];
        const r = xr[f] * ar - xi[f] * ai;
        xi[f] = xr[f] * ai + xi[f] * ar;
        xr[f] = r;
      }
      fft.inverse(xr, xi, 1 / fft.m, out, o, L);
    }
}

/**
 * y [B,H,L] = causal_conv(u [B,H,L], k [H,Lk]) + D [H]·u by real FFTs of length N = fftLength(L, Lk).
 * Accurate to a few float64 ulp times log2 N relative; output rounded once to y's type.
 * @example fftConvForwardRef(y, u, k, D, { batch: 2, channels: 4, length: 1024, kernelLength: 1024 })
 */
export function fftConvForwardRef(y: FloatArray, u: FloatArray, k: FloatArray, D: FloatArray, p: FftConvParams): void {
  checkFftConvParams('fftConvForwardRef', p);
  const fft = new RealFft(fftLength(p.length, p.kernelLength));
  const [kr, ki] = kernelSpectra(fft, k, D, p);
  filterRows(y, u, fft, kr, ki, false, p);
}

/**
 * Gradients of Σ dy·y for fftConvForwardRef, overwriting du [B,H,L], dk [H,Lk] and dD [H]:
 * du = irfft(DY ⊙ conj K'), dk[h] = irfft(Σ_b DY_b ⊙ conj U_b)[0:Lk] (the sum over the batch taken in the
 * frequency domain: one inverse transform per channel), dD[h] = dk[h,0]. The wrapped lags of both
 * correlations land in the zero padding because N ≥ L + Lk − 1.
 */
export function fftConvBackwardRef(
  du: FloatArray,
  dk: FloatArray,
  dD: FloatArray,
  dy: FloatArray,
  u: FloatArray,
  k: FloatArray,
  D: FloatArray,
  p: FftConvParams,
): void {
  checkFftConvParams('fftConvBackwardRef', p);
  const { batch: B, channels: H, length: L, kernelLength: Lk } = p;
  const fft = new RealFft(fftLength(L, Lk));
  const [kr, ki] = kernelSpectra(fft, k, D, p);
  filterRows(du, dy, fft, kr, ki, true, p);
  const w = fft.m + 1;
  const gr = new Float64Array(w);
  const gi = new Float64Array(w);
  const ur = new Float64Array(w);
  const ui = new Float64Array(w);
  const sr = new Float64Array(w);
  const si = new Float64Array(w);
  const row = new Float64Array(Lk);
  for (let h = 0; h < H; h++) {
    sr.fill(0);
    si.fill(0);
    for (let b = 0; b < B; b++) {
      const o = (b * H + h) * L;
      fft.forward(dy, o, L, gr, gi);
      fft.forward(u, o, L, ur, ui);
      for (let f = 0; f < w; f++) {
        sr[f] += gr[f] * ur[f] + gi[f] * ui[f]; // DY·conj(U)
        si[f] += gi[f] * ur[f] - gr[f] * ui[f];
      }
    }
    fft.inverse(sr, si, 1 / fft.m, row, 0, Lk);
    dk.set(row, h * Lk);
    dD[h] = row[0];
  }
}
