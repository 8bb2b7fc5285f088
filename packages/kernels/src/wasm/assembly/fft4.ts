// The complex FFT of the FFT convolution (see fftconv.ts) on arrays of 4-lane complex vectors (re f32x4, im
// f32x4: 32 bytes per index, one row per lane). Forward: radix-4 decimation in frequency, natural order in,
// bit-reversed out; inverse: decimation in time, bit-reversed in, natural out, unnormalised. Each radix-4
// butterfly is two radix-2 passes in one, so the order stays plain bit reversal (a lone radix-2 pass finishes
// an odd log2 M). Blocks above BLOCK points recurse after (DIF) or before (DIT) their outer stage, so every
// inner stage runs on a block that stays in L1.
//
// Twiddles `tw`: for each quarter-span s (sMin, 4·sMin, …, M/4) at byte 8·(s − sMin), per j < s the f32
// (w, w², w³) with w = exp(−2πi·j/(4s)) (built in float64 by fftconv.wasm.ts).

/** Points per block that the transforms finish before moving on (32 KiB of data: fits L1). */
const BLOCK: i32 = 1024;
/** Bytes per complex vector (re f32x4, im f32x4). */
export const CV: usize = 32;

/** Smallest quarter-span of a size-m transform: 1 when log2 m is even, else 2 (a radix-2 pass finishes). */
// @ts-ignore: decorator
@inline
export function quarterMin(m: i32): i32 {
  return (ctz(m) & 1) == 0 ? 1 : 2;
}

/** Radix-2 butterfly of z[p], z[p+1] (twiddle 1): the half-span-1 pass of both directions. */
// @ts-ignore: decorator
@inline
function radix2(p: usize): void {
  const ar = v128.load(p);
  const ai = v128.load(p, 16);
  const br = v128.load(p, 32);
  const bi = v128.load(p, 48);
  v128.store(p, f32x4.add(ar, br));
  v128.store(p, f32x4.add(ai, bi), 16);
  v128.store(p, f32x4.sub(ar, br), 32);
  v128.store(p, f32x4.sub(ai, bi), 48);
}

/**
 * Radix-4 DIF butterfly on z at p, p+S, p+2S, p+3S (S in bytes): two radix-2 DIF passes (half-spans 2s, s)
 * in one, so the output order stays bit-reversed. With t = (w, w², w³) at tw (unit when tw = 0):
 * x0 = t0 + t2, x1 = (t0 − t2)·w², x2 = (t1 − i·d)·w, x3 = (t1 + i·d)·w³, t0/t1 = a0 ± a2, t2 = a1 + a3, d = a1 − a3.
 * `half` (a constant) says a2 = a3 = 0.
 */
// @ts-ignore: decorator
@inline
export function dif4(p: usize, S: usize, tw: usize, half: bool = false): void {
  const a0r = v128.load(p);
  const a0i = v128.load(p, 16);
  const a1r = v128.load(p + S);
  const a1i = v128.load(p + S, 16);
  // half: a2 = a3 = 0, the zero padding of a row of at most M floats (never read from memory)
  const zero = f32x4.splat(0);
  const a2r = half ? zero : v128.load(p + 2 * S);
  const a2i = half ? zero : v128.load(p + 2 * S, 16);
  const a3r = half ? zero : v128.load(p + 3 * S);
  const a3i = half ? zero : v128.load(p + 3 * S, 16);
  const t0r = f32x4.add(a0r, a2r);
  const t0i = f32x4.add(a0i, a2i);
  const t1r = f32x4.sub(a0r, a2r);
  const t1i = f32x4.sub(a0i, a2i);
  const t2r = f32x4.add(a1r, a3r);
  const t2i = f32x4.add(a1i, a3i);
  const dr = f32x4.sub(a1r, a3r);
  const di = f32x4.sub(a1i, a3i);
  v128.store(p, f32x4.add(t0r, t2r));
  v128.store(p, f32x4.add(t0i, t2i), 16);
  const x1r = f32x4.sub(t0r, t2r);
  const x1i = f32x4.sub(t0i, t2i);
  const x2r = f32x4.add(t1r, di); // t1 − i·d
  const x2i = f32x4.sub(t1i, dr);
  const x3r = f32x4.sub(t1r, di); // t1 + i·d
  const x3i = f32x4.add(t1i, dr);
  if (tw == 0) {
    v128.store(p + S, x1r);
    v128.store(p + S, x1i, 16);
    v128.store(p + 2 * S, x2r);
    v128.store(p + 2 * S, x2i, 16);
    v128.store(p + 3 * S, x3r);
    v128.store(p + 3 * S, x3i, 16);
    return;
  }
  const w1r = v128.load32_splat(tw);
  const w1i = v128.load32_splat(tw + 4);
  const w2r = v128.load32_splat(tw + 8);
  const w2i = v128.load32_splat(tw + 12);
  const w3r = v128.load32_splat(tw + 16);
  const w3i = v128.load32_splat(tw + 20);
  v128.store(p + S, f32x4.sub(f32x4.mul(x1r, w2r), f32x4.mul(x1i, w2i)));
  v128.store(p + S, f32x4.add(f32x4.mul(x1r, w2i), f32x4.mul(x1i, w2r)), 16);
  v128.store(p + 2 * S, f32x4.sub(f32x4.mul(x2r, w1r), f32x4.mul(x2i, w1i)));
  v128.store(p + 2 * S, f32x4.add(f32x4.mul(x2r, w1i), f32x4.mul(x2i, w1r)), 16);
  v128.store(p + 3 * S, f32x4.sub(f32x4.mul(x3r, w3r), f32x4.mul(x3i, w3i)));
  v128.store(p + 3 * S, f32x4.add(f32x4.mul(x3r, w3i), f32x4.mul(x3i, w3r)), 16);
}

/**
 * The inverse of dif4 (times 4) with conjugate twiddles: two radix-2 DIT passes (half-spans s, 2s). With
 * A = y0, B = y1·w̄², C = y2·w̄, D = y3·w̄³: x0/x2 = (A + B) ± (C + D), x1/x3 = (A − B) ± i·(C − D).
 * `half` (a constant): only x0 and x1 are wanted (outputs past a row of at most M floats).
 */
// @ts-ignore: decorator
@inline
export function dit4(p: usize, S: usize, tw: usize, half: bool = false): void {
  const Ar = v128.load(p);
  const Ai = v128.load(p, 16);
  let Br = v128.load(p + S);
  let Bi = v128.load(p + S, 16);
  let Cr = v128.load(p + 2 * S);
  let Ci = v128.load(p + 2 * S, 16);
  let Dr = v128.load(p + 3 * S);
  let Di = v128.load(p + 3 * S, 16);
  if (tw != 0) {
    // x·w̄ = (xr·wr + xi·wi, xi·wr − xr·wi)
    const w1r = v128.load32_splat(tw);
    const w1i = v128.load32_splat(tw + 4);
    const w2r = v128.load32_splat(tw + 8);
    const w2i = v128.load32_splat(tw + 12);
    const w3r = v128.load32_splat(tw + 16);
    const w3i = v128.load32_splat(tw + 20);
    const br = f32x4.add(f32x4.mul(Br, w2r), f32x4.mul(Bi, w2i));
    Bi = f32x4.sub(f32x4.mul(Bi, w2r), f32x4.mul(Br, w2i));
    Br = br;
    const cr = f32x4.add(f32x4.mul(Cr, w1r), f32x4.mul(Ci, w1i));
    Ci = f32x4.sub(f32x4.mul(Ci, w1r), f32x4.mul(Cr, w1i));
    Cr = cr;
    const dr = f32x4.add(f32x4.mul(Dr, w3r), f32x4.mul(Di, w3i));
    Di = f32x4.sub(f32x4.mul(Di, w3r), f32x4.mul(Dr, w3i));
    Dr = dr;
  }
  const pr = f32x4.add(Ar, Br);
  const pi = f32x4.add(Ai, Bi);
  const mr = f32x4.sub(Ar, Br);
  const mi = f32x4.sub(Ai, Bi);
  const sr = f32x4.add(Cr, Dr);
  const si = f32x4.add(Ci, Di);
  const er = f32x4.sub(Cr, Dr);
  const ei = f32x4.sub(Ci, Di);
  v128.store(p, f32x4.add(pr, sr));
  v128.store(p, f32x4.add(pi, si), 16);
  v128.store(p + S, f32x4.sub(mr, ei)); // (A − B) + i·E
  v128.store(p + S, f32x4.add(mi, er), 16);
  if (half) return;
  v128.store(p + 2 * S, f32x4.sub(pr, sr));
  v128.store(p + 2 * S, f32x4.sub(pi, si), 16);
  v128.store(p + 3 * S, f32x4.add(mr, ei)); // (A − B) − i·E
  v128.store(p + 3 * S, f32x4.sub(mi, er), 16);
}

/** One radix-4 DIF stage of quarter-span s over the block of 4s points at p. */
function difStage(p: usize, s: i32, tw: usize): void {
  const S = <usize>s * CV;
  dif4(p, S, 0);
  for (let j = 1; j < s; j++) dif4(p + <usize>j * CV, S, tw + <usize>j * 24);
}

/** One radix-4 DIT stage of quarter-span s over the block of 4s points at p. */
function ditStage(p: usize, s: i32, tw: usize): void {
  const S = <usize>s * CV;
  dit4(p, S, 0);
  for (let j = 1; j < s; j++) dit4(p + <usize>j * CV, S, tw + <usize>j * 24);
}

/** Forward complex FFT (DIF, bit-reversed out) of the n points at z; tw, sMin as in the header. */
export function dif(z: usize, n: i32, tw: usize, sMin: i32): void {
  if (n > BLOCK) {
    const s = n >> 2;
    difStage(z, s, tw + <usize>(s - sMin) * 8);
    for (let q = 0; q < 4; q++) dif(z + <usize>(q * s) * CV, s, tw, sMin);
    return;
  }
  let len = n;
  for (; len >= 4; len >>= 2) {
    const s = len >> 2;
    const t = tw + <usize>(s - sMin) * 8;
    if (s == 1) for (let b = 0; b < n; b += 4) dif4(z + <usize>b * CV, CV, 0);
    else for (let b = 0; b < n; b += len) difStage(z + <usize>b * CV, s, t);
  }
  if (len == 2) for (let b = 0; b < n; b += 2) radix2(z + <usize>b * CV);
}

/** Unnormalised inverse complex FFT (DIT, bit-reversed in, natural out) of the n points at z. */
export function dit(z: usize, n: i32, tw: usize, sMin: i32): void {
  if (n > BLOCK) {
    const s = n >> 2;
    for (let q = 0; q < 4; q++) dit(z + <usize>(q * s) * CV, s, tw, sMin);
    ditStage(z, s, tw + <usize>(s - sMin) * 8);
    return;
  }
  let len = quarterMin(n);
  if (len == 2) for (let b = 0; b < n; b += 2) radix2(z + <usize>b * CV);
  for (; len < n; len <<= 2) {
    const s = len;
    const t = tw + <usize>(s - sMin) * 8;
    if (s == 1) for (let b = 0; b < n; b += 4) dit4(z + <usize>b * CV, CV, 0);
    else for (let b = 0; b < n; b += 4 * s) ditStage(z + <usize>b * CV, s, t);
  }
}
