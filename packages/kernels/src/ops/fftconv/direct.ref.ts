// The oracle of the FFT convolution: the causal convolution summed directly, O(L·Lk) per row, accumulated
// in float64 whatever the array type. Too slow for the CPU path; it is what every fast path is tested against.
import type { FloatArray } from '../../util/types.js';
import type { FftConvParams } from './plan.js';

/**
 * y [B,H,L] = Σ_{s=0..min(t,Lk−1)} k[h,s]·u[b,h,t−s] + D[h]·u[b,h,t], for u [B,H,L], k [H,Lk], D [H].
 * @example causalConvDirect(y, u, k, D, { batch: 1, channels: 2, length: 8, kernelLength: 8 })
 */
export function causalConvDirect(y: FloatArray, u: FloatArray, k: FloatArray, D: FloatArray, p: FftConvParams): void {
  const { batch: B, channels: H, length: L, kernelLength: Lk } = p;
  for (let b = 0; b < B; b++)
    for (let h = 0; h < H; h++) {
      const o = (b * H + h) * L;
      const ko = h * Lk;
      for (let t = 0; t < L; t++) {
        let acc = D[h] * u[o + t];
        const smax = Math.min(t, Lk - 1);
        for (let s = 0; s <= smax; s++) acc += k[ko + s] * u[o + t - s];
        y[o + t] = acc;
      }
    }
}

/**
 * Gradients of Σ dy·y for causalConvDirect, overwriting du [B,H,L], dk [H,Lk] and dD [H]:
 * du[b,h,s] = Σ_{t≥s} k[h,t−s]·dy[b,h,t] + D[h]·dy[b,h,s] (a correlation with the kernel),
 * dk[h,j] = Σ_b Σ_{t≥j} dy[b,h,t]·u[b,h,t−j], dD[h] = Σ_b Σ_t dy[b,h,t]·u[b,h,t] (= dk[h,0]).
 */
export function causalConvDirectBackward(
  du: FloatArray,
  dk: FloatArray,
  dD: FloatArray,
  dy: FloatArray,
  u: FloatArray,
  k: FloatArray,
  D: FloatArray,
  p: FftConvParams,
): void {
  const { batch: B, channels: H, length: L, kernelLength: Lk } = p;
  for (let h = 0; h < H; h++) {
    const ko = h * Lk;
    const dkRow = new Float64Array(Lk);
    let dDh = 0;
    for (let b = 0; b < B; b++) {
      const o = (b * H + h) * L;
      for (let s = 0; s < L; s++) {
        let acc = D[h] * dy[o + s];
        const tmax = Math.min(L - 1, s + Lk - 1);
        for (let t = s; t <= tmax; t++) acc += k[ko + t - s] * dy[o + t];
        du[o + s] = acc;
      }
      for (let j = 0; j < Lk; j++) {
        let acc = 0;
        for (let t = j; t < L; t++) acc += dy[o + t] * u[o + t - j];
        dkRow[j] += acc;
      }
      for (let t = 0; t < L; t++) dDh += dy[o + t] * u[o + t];
    }
    for (let j = 0; j < Lk; j++) dk[ko + j] = dkRow[j];
    dD[h] = dDh;
  }
}
