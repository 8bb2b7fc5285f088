// The S4D kernel K[h, l] = 2·Re Σ_n W_n·Ā_n^l and its backward (the contract of ops/ssm-kernel/s4d-kernel.ref.ts,
// h3-reference §1.2–1.3) in float64, two channels per f64x2 register (lane j = channel 2·chunk + j). Each lane
// runs the reference's float64 operations in its order — the discretisation, the running powers, the sum over
// the modes in mode order for every tap, the chain rule — so each stored value is the reference's float64 result
// rounded once to f32: bit-identical to s4dKernelRef / s4dKernelBackwardRef on the same f32 inputs. Only the
// two exponentials come from the caller (dt = exp(logDt), ar = −exp(invAReal), by JavaScript's Math.exp as the
// reference): WebAssembly has no exp and the standard library's brings tables (static data; see build-wasm.mjs).
// Taps go in blocks of LB whose sums stay in L1; each mode's running power and sums carry over between blocks.

/** Taps per block: a block's f64x2 sums (forward) or (g, g·l) pairs (backward) take 4 or 8 KiB of scratch. */
const LB: i32 = 256;
/** Bytes of one mode's record in scratch: 18 fields, each an f64x2 (lane j = channel 2·chunk + j). */
export const MODE_BYTES: i32 = 18 * 16;
// field offsets (bytes) of a mode's record: the discretisation, then the running state
const DT = 0;
const AR = 16;
const ZR = 32;
const ZI = 48;
const RR = 64;
const RI = 80;
const PR = 96; // Ā
const PI = 112;
const BR = 128; // B̄
const BI = 144;
const WR = 160; // W = C·B̄
const WI = 176;
const TR = 192; // forward: W·Ā^l; backward: Ā^l
const TI = 208;
const S0R = 224; // backward: Σ_l g_l·conj(Ā^l)
const S0I = 240;
const S1R = 256; // backward: Σ_l g_l·l·conj(Ā^(l−1))
const S1I = 272;

/** Writes lane j's discretisation (s4d-kernel.ref.ts discretizeMode, same operation order) at rec + 8j. */
function discretize(rec: usize, dt: f64, ar: f64, aImag: f64, bRe: f64, bIm: f64, cRe: f64, cIm: f64): void {
  const zr = (dt * ar) / 2;
  const zi = (dt * aImag) / 2;
  const den = (1 - zr) * (1 - zr) + zi * zi;
  const rr = (1 - zr) / den;
  const ri = zi / den;
  const br = dt * (bRe * rr - bIm * ri);
  const bi = dt * (bRe * ri + bIm * rr);
  store<f64>(rec, dt, DT);
  store<f64>(rec, ar, AR);
  store<f64>(rec, zr, ZR);
  store<f64>(rec, zi, ZI);
  store<f64>(rec, rr, RR);
  store<f64>(rec, ri, RI);
  store<f64>(rec, (1 - zr * zr - zi * zi) / den, PR);
  store<f64>(rec, (2 * zi) / den, PI);
  store<f64>(rec, br, BR);
  store<f64>(rec, bi, BI);
  store<f64>(rec, cRe * br - cIm * bi, WR);
  store<f64>(rec, cRe * bi + cIm * br, WI);
}

/** N2 rounded up to a multiple of 4: the records the kernels loop over, the last up to 3 of them all zeros. */
// @ts-ignore: decorator
@inline
function padded(N2: i32): i32 {
  return (N2 + 3) & ~3;
}

/**
 * The records of the N2 modes of channels h0 and h1 at scratch (MODE_BYTES each), from dt [H] and ar [H, N2]
 * (f64) and aImag [H, N2], B, C [H, N2, 2] (f32), then zero records up to padded(N2). A zero record is a mode
 * with W = 0 and Ā = 0: its terms in the forward's sums are ±0, which leave any sum's bits unchanged (a sum that
 * starts at +0 never becomes −0), and its backward sums are never read.
 */
function discretizeModes(scratch: usize, dt: usize, ar: usize, aImag: usize, B: usize, C: usize, h0: i32, h1: i32, N2: i32): void {
  memory.fill(scratch + <usize>(N2 * MODE_BYTES), 0, <usize>((padded(N2) - N2) * MODE_BYTES));
  for (let j = 0; j < 2; j++) {
    const h = j == 0 ? h0 : h1;
    const d = load<f64>(dt + <usize>h * 8);
    for (let n = 0; n < N2; n++) {
      const hn = <usize>(h * N2 + n);
      discretize(
        scratch + <usize>(n * MODE_BYTES + 8 * j),
        d,
        load<f64>(ar + hn * 8),
        <f64>load<f32>(aImag + hn * 4),
        <f64>load<f32>(B + hn * 8),
        <f64>load<f32>(B + hn * 8, 4),
        <f64>load<f32>(C + hn * 8),
        <f64>load<f32>(C + hn * 8, 4),
      );
    }
  }
}

/** The chunk's channel pair: lane 1 repeats the last channel when H is odd (computed, never stored). */
// @ts-ignore: decorator
@inline
function second(chunk: i32, H: i32): i32 {
  return min(2 * chunk + 1, H - 1);
}

/**
 * K [H, L] (f32) for the channel pair of `chunk` (see the header); scratch: the N2 mode records, then LB f64x2
 * sums. Needs padded(N2)·MODE_BYTES + 16·LB ≤ the scratch size (checked by the caller).
 */
export function s4dKernelF32(K: usize, dt: usize, ar: usize, aImag: usize, B: usize, C: usize, H: i32, N2: i32, L: i32, chunk: i32, scratch: usize): void {
  const h0 = 2 * chunk;
  const h1 = second(chunk, H);
  discretizeModes(scratch, dt, ar, aImag, B, C, h0, h1, N2);
  const M = padded(N2);
  for (let n = 0; n < M; n++) {
    const rec = scratch + <usize>(n * MODE_BYTES);
    v128.store(rec, v128.load(rec, WR), TR);
    v128.store(rec, v128.load(rec, WI), TI);
  }
  // acc[l] = Σ_n Re W_n·Ā_n^l, doubled when stored: the same bits as the reference's Σ_n 2·(…), since doubling
  // is exact and commutes with rounding (short of overflow)
  const acc = scratch + <usize>(M * MODE_BYTES);
  for (let l0 = 0; l0 < L; l0 += LB) {
    const nb = min(LB, L - l0);
    for (let l = 0; l < nb; l++) v128.store(acc + <usize>l * 16, f64x2.splat(0));
    // four modes at a time (four independent power chains); acc[l] still gets the modes in order
    for (let n = 0; n < M; n += 4) {
      const r0 = scratch + <usize>(n * MODE_BYTES);
      const r1 = r0 + MODE_BYTES;
      const r2 = r1 + MODE_BYTES;
      const r3 = r2 + MODE_BYTES;
      const pr0 = v128.load(r0, PR), pi0 = v128.load(r0, PI);
      const pr1 = v128.load(r1, PR), pi1 = v128.load(r1, PI);
      const pr2 = v128.load(r2, PR), pi2 = v128.load(r2, PI);
      const pr3 = v128.load(r3, PR), pi3 = v128.load(r3, PI);
      let tr0 = v128.load(r0, TR), ti0 = v128.load(r0, TI);
      let tr1 = v128.load(r1, TR), ti1 = v128.load(r1, TI);
      let tr2 = v128.load(r2, TR), ti2 = v128.load(r2, TI);
      let tr3 = v128.load(r3, TR), ti3 = v128.load(r3, TI);
      for (let l = 0; l < nb; l++) {
        const p = acc + <usize>l * 16;
        let a = v128.load(p);
        a = f64x2.add(a, tr0);
        a = f64x2.add(a, tr1);
        a = f64x2.add(a, tr2);
        a = f64x2.add(a, tr3);
        v128.store(p, a);
        let t = f64x2.sub(f64x2.mul(tr0, pr0), f64x2.mul(ti0, pi0));
        ti0 = f64x2.add(f64x2.mul(tr0, pi0), f64x2.mul(ti0, pr0));
        tr0 = t;
        t = f64x2.sub(f64x2.mul(tr1, pr1), f64x2.mul(ti1, pi1));
        ti1 = f64x2.add(f64x2.mul(tr1, pi1), f64x2.mul(ti1, pr1));
        tr1 = t;
        t = f64x2.sub(f64x2.mul(tr2, pr2), f64x2.mul(ti2, pi2));
        ti2 = f64x2.add(f64x2.mul(tr2, pi2), f64x2.mul(ti2, pr2));
        tr2 = t;
        t = f64x2.sub(f64x2.mul(tr3, pr3), f64x2.mul(ti3, pi3));
        ti3 = f64x2.add(f64x2.mul(tr3, pi3), f64x2.mul(ti3, pr3));
        tr3 = t;
      }
      v128.store(r0, tr0, TR);
      v128.store(r0, ti0, TI);
      v128.store(r1, tr1, TR);
      v128.store(r1, ti1, TI);
      v128.store(r2, tr2, TR);
      v128.store(r2, ti2, TI);
      v128.store(r3, tr3, TR);
      v128.store(r3, ti3, TI);
    }
    const k0 = K + (<usize>h0 * <usize>L + <usize>l0) * 4;
    const k1 = K + (<usize>h1 * <usize>L + <usize>l0) * 4;
    const both = h1 != h0;
    for (let l = 0; l < nb; l++) {
      const a = f64x2.add(v128.load(acc + <usize>l * 16), v128.load(acc + <usize>l * 16));
      store<f32>(k0 + <usize>l * 4, <f32>f64x2.extract_lane(a, 0));
      if (both) store<f32>(k1 + <usize>l * 4, <f32>f64x2.extract_lane(a, 1));
    }
  }
}

/**
 * The gradients of Σ dK·K for the channel pair of `chunk`, overwriting dLogDt [H], dInvAReal, dAImag [H, N2],
 * dB, dC [H, N2, 2] (f32) from dK [H, L] and the forward's inputs; scratch: the N2 mode records, then LB pairs
 * (g, g·l) of f64x2.
 */
export function s4dKernelBackwardF32(
  dLogDt: usize,
  dInvAReal: usize,
  dAImag: usize,
  dB: usize,
  dC: usize,
  dK: usize,
  dt: usize,
  ar: usize,
  aImag: usize,
  B: usize,
  C: usize,
  H: i32,
  N2: i32,
  L: i32,
  chunk: i32,
  scratch: usize,
): void {
  const h0 = 2 * chunk;
  const h1 = second(chunk, H);
  discretizeModes(scratch, dt, ar, aImag, B, C, h0, h1, N2);
  const d0 = dK + <usize>h0 * <usize>L * 4;
  const d1 = dK + <usize>h1 * <usize>L * 4;
  const zero = f64x2.splat(0);
  const one = f64x2.splat(1);
  // tap 0 as the reference takes it: c = Ā^0 = 1, s0 = 0 + g·1 − i·(0 − g·0), s1 = 0
  const g0 = f64x2.replace_lane(f64x2.splat(<f64>load<f32>(d0)), 1, <f64>load<f32>(d1));
  const M = padded(N2);
  for (let n = 0; n < M; n++) {
    const r = scratch + <usize>(n * MODE_BYTES);
    v128.store(r, one, TR);
    v128.store(r, zero, TI);
    v128.store(r, f64x2.add(zero, f64x2.mul(g0, one)), S0R);
    v128.store(r, f64x2.sub(zero, f64x2.mul(g0, zero)), S0I);
    v128.store(r, zero, S1R);
    v128.store(r, zero, S1I);
  }
  const gb = scratch + <usize>(M * MODE_BYTES);
  for (let l0 = 1; l0 < L; l0 += LB) {
    const nb = min(LB, L - l0);
    for (let l = 0; l < nb; l++) {
      const o = <usize>(l0 + l) * 4;
      const g = f64x2.replace_lane(f64x2.splat(<f64>load<f32>(d0 + o)), 1, <f64>load<f32>(d1 + o));
      v128.store(gb + <usize>l * 32, g);
      v128.store(gb + <usize>l * 32, f64x2.mul(g, f64x2.splat(<f64>(l0 + l))), 16);
    }
    // two modes at a time: eight running values each
    for (let n = 0; n < M; n += 2) {
      const ra = scratch + <usize>(n * MODE_BYTES);
      const rb = ra + MODE_BYTES;
      const pra = v128.load(ra, PR), pia = v128.load(ra, PI);
      const prb = v128.load(rb, PR), pib = v128.load(rb, PI);
      let cra = v128.load(ra, TR), cia = v128.load(ra, TI);
      let crb = v128.load(rb, TR), cib = v128.load(rb, TI);
      let s0ra = v128.load(ra, S0R), s0ia = v128.load(ra, S0I), s1ra = v128.load(ra, S1R), s1ia = v128.load(ra, S1I);
      let s0rb = v128.load(rb, S0R), s0ib = v128.load(rb, S0I), s1rb = v128.load(rb, S1R), s1ib = v128.load(rb, S1I);
      for (let l = 0; l < nb; l++) {
        const g = v128.load(gb + <usize>l * 32);
        const gl = v128.load(gb + <usize>l * 32, 16);
        s1ra = f64x2.add(s1ra, f64x2.mul(gl, cra));
        s1ia = f64x2.sub(s1ia, f64x2.mul(gl, cia));
        s1rb = f64x2.add(s1rb, f64x2.mul(gl, crb));
        s1ib = f64x2.sub(s1ib, f64x2.mul(gl, cib));
        let t = f64x2.sub(f64x2.mul(cra, pra), f64x2.mul(cia, pia));
        cia = f64x2.add(f64x2.mul(cra, pia), f64x2.mul(cia, pra));
        cra = t;
        t = f64x2.sub(f64x2.mul(crb, prb), f64x2.mul(cib, pib));
        cib = f64x2.add(f64x2.mul(crb, pib), f64x2.mul(cib, prb));
        crb = t;
        s0ra = f64x2.add(s0ra, f64x2.mul(g, cra));
        s0ia = f64x2.sub(s0ia, f64x2.mul(g, cia));
        s0rb = f64x2.add(s0rb, f64x2.mul(g, crb));
        s0ib = f64x2.sub(s0ib, f64x2.mul(g, cib));
      }
      v128.store(ra, cra, TR);
      v128.store(ra, cia, TI);
      v128.store(ra, s0ra, S0R);
      v128.store(ra, s0ia, S0I);
      v128.store(ra, s1ra, S1R);
      v128.store(ra, s1ia, S1I);
      v128.store(rb, crb, TR);
      v128.store(rb, cib, TI);
      v128.store(rb, s0rb, S0R);
      v128.store(rb, s0ib, S0I);
      v128.store(rb, s1rb, S1R);
      v128.store(rb, s1ib, S1I);
    }
  }
  chainRule(dLogDt, dInvAReal, dAImag, dB, dC, C, h0, N2, scratch);
  if (h1 != h0) chainRule(dLogDt, dInvAReal, dAImag, dB, dC, C, h1, N2, scratch + 8);
}

/**
 * From the sums s0, s1 of lane records at `lane` (= scratch + 8j), the gradients of channel h in the
 * reference's operation order (s4dKernelBackwardRef's chain rule), stored as f32.
 */
function chainRule(dLogDt: usize, dInvAReal: usize, dAImag: usize, dB: usize, dC: usize, C: usize, h: i32, N2: i32, lane: usize): void {
  let dlog: f64 = 0;
  for (let n = 0; n < N2; n++) {
    const r = lane + <usize>(n * MODE_BYTES);
    const hn = <usize>(h * N2 + n);
    const dt = load<f64>(r, DT);
    const rr = load<f64>(r, RR);
    const ri = load<f64>(r, RI);
    const br = load<f64>(r, BR);
    const bi = load<f64>(r, BI);
    const wr = load<f64>(r, WR);
    const wi = load<f64>(r, WI);
    const s1r = load<f64>(r, S1R);
    const s1i = load<f64>(r, S1I);
    const dwr = 2 * load<f64>(r, S0R);
    const dwi = 2 * load<f64>(r, S0I);
    const dpr = 2 * (wr * s1r + wi * s1i);
    const dpi = 2 * (wr * s1i - wi * s1r);
    store<f32>(dC + hn * 8, <f32>(br * dwr + bi * dwi));
    store<f32>(dC + hn * 8, <f32>(br * dwi - bi * dwr), 4);
    const cr = <f64>load<f32>(C + hn * 8);
    const ci = <f64>load<f32>(C + hn * 8, 4);
    const dbbr = cr * dwr + ci * dwi;
    const dbbi = cr * dwi - ci * dwr;
    store<f32>(dB + hn * 8, <f32>(dt * (rr * dbbr + ri * dbbi)));
    store<f32>(dB + hn * 8, <f32>(dt * (rr * dbbi - ri * dbbr)), 4);
    const r2r = rr * rr - ri * ri;
    const r2i = 2 * rr * ri;
    const brr = br * rr - bi * ri;
    const bri = br * ri + bi * rr;
    const dzr = 2 * (r2r * dpr + r2i * dpi) + (brr * dbbr + bri * dbbi);
    const dzi = 2 * (r2r * dpi - r2i * dpr) + (brr * dbbi - bri * dbbr);
    store<f32>(dAImag + hn * 4, <f32>((dt / 2) * dzi));
    store<f32>(dInvAReal + hn * 4, <f32>((dt / 2) * dzr * load<f64>(r, AR)));
    dlog += dzr * load<f64>(r, ZR) + dzi * load<f64>(r, ZI) + dbbr * br + dbbi * bi;
  }
  store<f32>(dLogDt + <usize>h * 4, <f32>dlog);
}
