// The shift SSM's convolution kernel, as the official `SSKernelShift` computes it (design reference
// h3-reference.md §2): with A the N×N shift matrix, k[j] = C·A^j·B = Σ_m B[m]·C[m + j], a cross-correlation of
// B with C, so the shift SSM is a learnable causal FIR filter of N taps per channel. The official code pads it
// with zeros to L (or truncates it when L < N); we return the Lk = min(N, L) taps that can be non-zero.
import type { FloatArray } from '../../util/types.js';

/** Sizes of a shift-SSM kernel: H channels of state size N; the kernel has min(N, length) taps. */
export interface ShiftKernelParams {
  /** H: channels. */
  channels: number;
  /** N: state size (B and C are [H, N]). */
  state: number;
  /** L: the sequence length the kernel is for; taps beyond min(N, L) are zero. */
  length: number;
}

/** Lk = min(N, L): the number of taps of the shift kernel. */
export function shiftKernelLength(p: ShiftKernelParams): number {
  return Math.min(p.state, p.length);
}

/**
 * k [H, Lk] with k[h, j] = Σ_{m + j < N} B[h, m]·C[h, m + j] from B [H, N], C [H, N] (Lk = min(N, L)).
 * Overwrites k; sums in float64.
 * @example shiftKernelRef(k, B, C, { channels: 768, state: 64, length: 1024 }); // k [768, 64]
 */
export function shiftKernelRef(k: FloatArray, B: FloatArray, C: FloatArray, p: ShiftKernelParams): void {
  const { channels: H, state: N } = p;
  const Lk = shiftKernelLength(p);
  for (let h = 0; h < H; h++)
    for (let j = 0; j < Lk; j++) {
      let acc = 0;
      for (let m = 0; m + j < N; m++) acc += B[h * N + m] * C[h * N + m + j];
      k[h * Lk + j] = acc;
    }
}

/**
 * The gradients of Σ dk·k for shiftKernelRef, overwritten: dB [H, N] and dC [H, N] from dk [H, Lk], B, C:
 * dB[m] = Σ_{j < Lk, m + j < N} dk[j]·C[m + j],  dC[i] = Σ_{j < Lk, j ≤ i} dk[j]·B[i − j].
 * @example shiftKernelBackwardRef(dB, dC, dk, B, C, { channels: 768, state: 64, length: 1024 });
 */
export function shiftKernelBackwardRef(dB: FloatArray, dC: FloatArray, dk: FloatArray, B: FloatArray, C: FloatArray, p: ShiftKernelParams): void {
  const { channels: H, state: N } = p;
  const Lk = shiftKernelLength(p);
  for (let h = 0; h < H; h++)
    for (let i = 0; i < N; i++) {
      let db = 0;
      let dc = 0;
      for (let j = 0; j < Lk; j++) {
        if (i + j < N) db += dk[h * Lk + j] * C[h * N + i + j];
        if (j <= i) dc += dk[h * Lk + j] * B[h * N + i - j];
      }
      dB[h * N + i] = db;
      dC[h * N + i] = dc;
    }
}
