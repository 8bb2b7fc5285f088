// The sizes of one FFT convolution, shared by the TypeScript path and the WGSL kernels: the FFT length
// N (a power of two ≥ L + Lk − 1, so the circular convolution equals the causal one on y[0:L]), the
// half-length complex FFT size M = N/2 that a real FFT of length N runs on, and the twiddle table.
import { ShapeError } from '../../errors.js';

/** Shapes of y [B,H,L] = causal_conv(u [B,H,L], k [H,Lk]) + D [H]·u. */
export interface FftConvParams {
  /** B: batch. */
  batch: number;
  /** H: channels; each has its own kernel row and D. */
  channels: number;
  /** L: sequence length of u and y. */
  length: number;
  /** Lk: kernel length, 1 ≤ Lk ≤ L (H3 uses Lk = L). */
  kernelLength: number;
}

/** Throws a ShapeError naming `fn` unless the sizes are positive integers with Lk ≤ L. */
export function checkFftConvParams(fn: string, p: FftConvParams): void {
  const { batch, channels, length, kernelLength } = p;
  for (const [name, v] of Object.entries(p)) {
    if (!Number.isInteger(v) || v < 1) throw new ShapeError(fn, name, 'a positive integer', String(v));
  }
  if (kernelLength > length) throw new ShapeError(fn, 'kernelLength', `≤ length = ${length}`, String(kernelLength));
  if (batch * channels * length > 2 ** 31) throw new ShapeError(fn, 'u', 'fewer than 2^31 elements', `[${batch}, ${channels}, ${length}]`);
}

/** N: the FFT length for a causal convolution of L outputs with a kernel of Lk taps (≥ 4 so that M ≥ 2). */
export function fftLength(length: number, kernelLength: number): number {
  let n = 4;
  while (n < length + kernelLength - 1) n *= 2;
  return n;
}

/** log2 of a power of two. */
export function log2Exact(n: number): number {
  const l = Math.round(Math.log2(n));
  if (2 ** l !== n) throw new Error(`log2Exact: ${n} is not a power of two`);
  return l;
}

const tables = new Map<number, Float64Array>();

/**
 * tw [M, 2] (re, im interleaved) with tw[t] = exp(−2πi·t/N), t < M = N/2, computed in float64 with the
 * argument reduced to the first octant, so every entry is correctly rounded to ~1 ulp before the f32
 * conversion (WGSL's sin/cos guarantee only 2^−11 absolute). Cached per N.
 */
export function twiddleTable(n: number): Float64Array {
  const cached = tables.get(n);
  if (cached) return cached;
  const m = n / 2;
  const tw = new Float64Array(2 * m);
  const q = n / 8; // an octant, in steps of 2π/N (N ≥ 8; smaller N falls back to direct evaluation)
  for (let t = 0; t < m; t++) {
    let c: number;
    let s: number;
    if (n >= 8) {
      // angle θ = 2πt/N in [0, π): use the symmetry that keeps the cos/sin argument in [0, π/4]
      const k = Math.floor(t / q);
      const r = t - k * q; // θ = k·π/4 + r·2π/N
      const a = (2 * Math.PI * r) / n;
      const b = (2 * Math.PI * (q - r)) / n; // π/4 − (r·2π/N)
      switch (k) {
        case 0: c = Math.cos(a); s = Math.sin(a); break;
        case 1: c = Math.sin(b); s = Math.cos(b); break;
        case 2: c = -Math.sin(a); s = Math.cos(a); break;
        default: c = -Math.cos(b); s = Math.sin(b); break;
      }
    } else {
      c = Math.cos((2 * Math.PI * t) / n);
      s = Math.sin((2 * Math.PI * t) / n);
    }
    tw[2 * t] = c;
    tw[2 * t + 1] = -s;
  }
  if (tables.size > 16) tables.clear();
  tables.set(n, tw);
  return tw;
}
