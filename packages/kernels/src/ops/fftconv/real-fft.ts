// The real FFT of the convolution, in TypeScript: the spec of the WGSL kernels and the CPU path. A real
// signal x of length N = 2M is packed into z[n] = x[2n] + i·x[2n+1], transformed by one complex FFT of size M
// (decimation in frequency: natural order in, bit-reversed order out, no reordering pass) and split into
// X[0..M] by the pair formulas below; the inverse runs the same steps backwards (decimation in time:
// bit-reversed in, natural out). Everything is float64 inside; twiddles come from the float64 table.
import { log2Exact, twiddleTable } from './plan.js';

/** Scratch of the pair formulas: written by rfftPair / irfftPair, read right after. */
const pair = new Float64Array(4);

/**
 * X[f] and X[M−f] of the real signal from the packed transform values a = Z[f], b = Z[M−f] (Z[M] ≡ Z[0])
 * and w = W_N^f = exp(−2πi·f/N): X[f] = ½(a + b̄) − (i/2)·w·(a − b̄), and X[M−f] the same with a ↔ b and
 * W_N^{M−f} = −w̄. Returns `pair` = (X[f].re, X[f].im, X[M−f].re, X[M−f].im).
 */
export function rfftPair(ar: number, ai: number, br: number, bi: number, wr: number, wi: number): Float64Array {
  const dr = ar - br; // d = a − b̄
  const di = ai + bi;
  const p = wr * di + wi * dr; // w·d = q + i·p
  const q = wr * dr - wi * di;
  pair[0] = 0.5 * (ar + br + p);
  pair[1] = 0.5 * (ai - bi - q);
  pair[2] = 0.5 * (ar + br - p);
  pair[3] = 0.5 * (bi - ai - q);
  return pair;
}

/**
 * The inverse of rfftPair: Z'[f] = ½(a + b̄) + (i/2)·w̄·(a − b̄) and Z'[M−f] from a = Y[f], b = Y[M−f] and
 * w = W_N^f. Returns `pair` = (Z'[f].re, Z'[f].im, Z'[M−f].re, Z'[M−f].im).
 */
export function irfftPair(ar: number, ai: number, br: number, bi: number, wr: number, wi: number): Float64Array {
  const dr = ar - br;
  const di = ai + bi;
  const p = wr * di - wi * dr; // w̄·d = q + i·p
  const q = wr * dr + wi * di;
  pair[0] = 0.5 * (ar + br - p);
  pair[1] = 0.5 * (ai - bi + q);
  pair[2] = 0.5 * (ar + br + p);
  pair[3] = 0.5 * (q - ai + bi);
  return pair;
}

/** One real FFT length N: forward rfft into X[0..M] and inverse irfft back to a real row. */
export class RealFft {
  readonly n: number;
  readonly m: number;
  private readonly tw: Float64Array;
  private readonly rev: Uint32Array;
  private readonly zr: Float64Array;
  private readonly zi: Float64Array;

  constructor(n: number) {
    this.n = n;
    this.m = n / 2;
    const logM = log2Exact(this.m);
    this.tw = twiddleTable(n);
    this.rev = new Uint32Array(this.m);
    for (let i = 0; i < this.m; i++) this.rev[i] = logM === 0 ? 0 : reverseBits(i, logM);
    this.zr = new Float64Array(this.m);
    this.zi = new Float64Array(this.m);
  }

  /** xr/xi [M+1] = rfft_N of x[off : off+len] zero-padded to N (len ≤ N). */
  forward(x: ArrayLike<number>, off: number, len: number, xr: Float64Array, xi: Float64Array): void {
    const { m, zr, zi, rev, tw } = this;
    for (let j = 0; j < m; j++) {
      zr[j] = 2 * j < len ? x[off + 2 * j] : 0;
      zi[j] = 2 * j + 1 < len ? x[off + 2 * j + 1] : 0;
    }
    this.dif();
    for (let t = 0; t <= m / 2; t++) {
      const pf = rev[t];
      const pg = rev[(m - t) & (m - 1)];
      const r = rfftPair(zr[pf], zi[pf], zr[pg], zi[pg], tw[2 * t], tw[2 * t + 1]);
      xr[m - t] = r[2];
      xi[m - t] = r[3];
      xr[t] = r[0];
      xi[t] = r[1];
    }
  }

  /** out[off : off+len] = scale · irfft_N(Y)[0:len] for the spectrum yr/yi [M+1] of a real signal. */
  inverse(yr: Float64Array, yi: Float64Array, scale: number, out: { [i: number]: number }, off: number, len: number): void {
    const { m, zr, zi, rev, tw } = this;
    for (let t = 0; t <= m / 2; t++) {
      const r = irfftPair(yr[t], yi[t], yr[m - t], yi[m - t], tw[2 * t], tw[2 * t + 1]);
      const pf = rev[t];
      const pg = rev[(m - t) & (m - 1)];
      zr[pg] = r[2];
      zi[pg] = r[3];
      zr[pf] = r[0];
      zi[pf] = r[1];
    }
    this.dit();
    for (let j = 0; 2 * j < len; j++) {
      out[off + 2 * j] = scale * zr[j];
      if (2 * j + 1 < len) out[off + 2 * j + 1] = scale * zi[j];
    }
  }

  // Radix-2 decimation in frequency, half-spans M/2 … 1: a' = a + b, b' = (a − b)·W_{2h}^j.
  private dif(): void {
    const { m, zr, zi, tw } = this;
    for (let h = m >> 1; h >= 1; h >>= 1) {
      const step = (2 * m) / (2 * h); // W_{2h}^j = W_N^{j·N/(2h)}
      for (let j = 0; j < h; j++) {
        const wr = tw[2 * j * step];
        const wi = tw[2 * j * step + 1];
        for (let a = j; a < m; a += 2 * h) {
          const b = a + h;
          const dr = zr[a] - zr[b];
          const di = zi[a] - zi[b];
          zr[a] += zr[b];
          zi[a] += zi[b];
          zr[b] = dr * wr - di * wi;
          zi[b] = dr * wi + di * wr;
        }
      }
    }
  }

  // Radix-2 decimation in time with conjugate twiddles, half-spans 1 … M/2 (unnormalised inverse).
  private dit(): void {
    const { m, zr, zi, tw } = this;
    for (let h = 1; h < m; h <<= 1) {
      const step = (2 * m) / (2 * h);
      for (let j = 0; j < h; j++) {
        const wr = tw[2 * j * step];
        const wi = -tw[2 * j * step + 1];
        for (let a = j; a < m; a += 2 * h) {
          const b = a + h;
          const br = zr[b] * wr - zi[b] * wi;
          const bi = zr[b] * wi + zi[b] * wr;
          zr[b] = zr[a] - br;
          zi[b] = zi[a] - bi;
          zr[a] += br;
          zi[a] += bi;
        }
      }
    }
  }
}

/** The low `bits` bits of i in reverse order. */
export function reverseBits(i: number, bits: number): number {
  let r = 0;
  for (let b = 0; b < bits; b++) r = (r << 1) | ((i >>> b) & 1);
  return r;
}
