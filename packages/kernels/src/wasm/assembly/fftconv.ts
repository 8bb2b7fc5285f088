// The FFT convolution y = irfft(rfft(u) ⊙ K') with K' = rfft(k) + D (fftConvForwardRef / fftConvBackwardRef,
// in f32): real FFTs of length N = 2M run as complex FFTs of size M on z[n] = x[2n] + i·x[2n+1], split by
// the pair formulas of real-fft.ts. Four rows share every SIMD register, one per lane (channels h0..h0+3 of
// one batch item, a "group"), so no butterfly needs a shuffle; a complex vector array holds re then im (two
// f32x4, 32 bytes) per index. Forward transforms are radix-4 decimation in frequency (natural order in,
// bit-reversed out), inverses decimation in time (bit-reversed in, natural out): the spectrum is only ever
// used pointwise, so no reordering pass is needed (fft4.ts).
//
// Scaling: the pair formulas' two factors ½ and the inverse's 1/M are folded into the stored kernel spectrum
// KS = K'/(4M) (and into the last pass of dk), so the passes below run unhalved.
//
// The plan (built once per N in float64 by fftconv.wasm.ts) starts with i32 [M, tw, pw, rv]: `tw` the stage
// twiddles (fft4.ts), `pw` [M/2+1] pair twiddles exp(−2πi·f/N), `rv` [M/2+1] byte offsets of Z[f] and Z[M−f] in
// bit-reversed order. Work: `slots` slots of `workBytes` each; chunk c runs items c, c + slots, … in slot c.
import { CV, dif, dif4, dit, dit4, quarterMin } from './fft4';
import { loadTail, storeTail } from './simd';

// The plan's fields (see the header).
// @ts-ignore: decorator
@inline
function planM(plan: usize): i32 {
  return load<i32>(plan);
}
// @ts-ignore: decorator
@inline
function planTw(plan: usize): usize {
  return <usize>load<i32>(plan, 4);
}
// @ts-ignore: decorator
@inline
function planPw(plan: usize): usize {
  return <usize>load<i32>(plan, 8);
}
// @ts-ignore: decorator
@inline
function planRv(plan: usize): usize {
  return <usize>load<i32>(plan, 12);
}

/** The 4 floats of row x at i (fewer past len, zeros beyond); zeros for a lane past the group's rows. */
// @ts-ignore: decorator
@inline
function rowLoad(x: usize, i: i32, len: i32, present: bool): v128 {
  if (!present) return f32x4.splat(0);
  if (i + 4 <= len) return v128.load(x + <usize>i * 4);
  return loadTail(x + <usize>i * 4, len - i);
}

/**
 * z[j], z[j+1] = the packed complex values of rows x + q·stride (q < lanes; len floats, zeros past them) at
 * floats i..i+3, i = 2j: lane q holds x_q[2n] + i·x_q[2n+1]; a 4×4 transpose.
 */
// @ts-ignore: decorator
@inline
function loadQuad(z: usize, x: usize, stride: usize, lanes: i32, len: i32, i: i32): void {
  if (i >= len) {
    const zero = f32x4.splat(0);
    v128.store(z, zero);
    v128.store(z, zero, 16);
    v128.store(z, zero, 32);
    v128.store(z, zero, 48);
    return;
  }
  const v0 = rowLoad(x, i, len, true);
  const v1 = rowLoad(x + stride, i, len, lanes > 1);
  const v2 = rowLoad(x + 2 * stride, i, len, lanes > 2);
  const v3 = rowLoad(x + 3 * stride, i, len, lanes > 3);
  const t0 = v128.shuffle<f32>(v0, v1, 0, 4, 1, 5);
  const t1 = v128.shuffle<f32>(v2, v3, 0, 4, 1, 5);
  const t2 = v128.shuffle<f32>(v0, v1, 2, 6, 3, 7);
  const t3 = v128.shuffle<f32>(v2, v3, 2, 6, 3, 7);
  v128.store(z, v128.shuffle<f32>(t0, t1, 0, 1, 4, 5));
  v128.store(z, v128.shuffle<f32>(t0, t1, 2, 3, 6, 7), 16);
  v128.store(z, v128.shuffle<f32>(t2, t3, 0, 1, 4, 5), 32);
  v128.store(z, v128.shuffle<f32>(t2, t3, 2, 3, 6, 7), 48);
}

/** The inverse of loadQuad: floats i..i+3 (those below len) of rows out + q·stride, q < lanes, from z[j], z[j+1]. */
// @ts-ignore: decorator
@inline
function storeQuad(out: usize, stride: usize, lanes: i32, len: i32, i: i32, z: usize): void {
  const c0 = v128.load(z);
  const c1 = v128.load(z, 16);
  const c2 = v128.load(z, 32);
  const c3 = v128.load(z, 48);
  const t0 = v128.shuffle<f32>(c0, c1, 0, 4, 1, 5);
  const t1 = v128.shuffle<f32>(c2, c3, 0, 4, 1, 5);
  const t2 = v128.shuffle<f32>(c0, c1, 2, 6, 3, 7);
  const t3 = v128.shuffle<f32>(c2, c3, 2, 6, 3, 7);
  const k = len - i;
  rowStore(out, i, k, v128.shuffle<f32>(t0, t1, 0, 1, 4, 5));
  if (lanes > 1) rowStore(out + stride, i, k, v128.shuffle<f32>(t0, t1, 2, 3, 6, 7));
  if (lanes > 2) rowStore(out + 2 * stride, i, k, v128.shuffle<f32>(t2, t3, 0, 1, 4, 5));
  if (lanes > 3) rowStore(out + 3 * stride, i, k, v128.shuffle<f32>(t2, t3, 2, 3, 6, 7));
}

/**
 * z[0..m) = DIF transform of the packed rows (see loadQuad). The rows are read inside the first stage,
 * two butterflies at a time, so the data makes one trip through memory less.
 */
function loadDif(z: usize, x: usize, stride: usize, lanes: i32, len: i32, plan: usize): void {
  const m = planM(plan);
  const tw = planTw(plan);
  const sMin = quarterMin(m);
  if (m < 8) {
    for (let j = 0; j < m; j += 2) loadQuad(z + <usize>j * CV, x, stride, lanes, len, 2 * j);
    dif(z, m, tw, sMin);
    return;
  }
  const s = m >> 2;
  const S = <usize>s * CV;
  const t = tw + <usize>(s - sMin) * 8; // its j = 0 entry holds unit twiddles
  if (len <= m) {
    // the second half of z is zero padding: skip reading it
    for (let j = 0; j < s; j += 2) {
      const p = z + <usize>j * CV;
      loadQuad(p, x, stride, lanes, len, 2 * j);
      loadQuad(p + S, x, stride, lanes, len, 2 * (j + s));
      dif4(p, S, t + <usize>j * 24, true);
      dif4(p + CV, S, t + <usize>(j + 1) * 24, true);
    }
  } else {
    for (let j = 0; j < s; j += 2) {
      const p = z + <usize>j * CV;
      for (let q = 0; q < 4; q++) loadQuad(p + <usize>q * S, x, stride, lanes, len, 2 * (j + q * s));
      dif4(p, S, t + <usize>j * 24);
      dif4(p + CV, S, t + <usize>(j + 1) * 24);
    }
  }
  for (let q = 0; q < 4; q++) dif(z + <usize>q * S, s, tw, sMin);
}

/** The inverse of loadDif: the DIT transform of z, written to the rows (len floats each) inside its last stage. */
function ditStore(out: usize, stride: usize, lanes: i32, len: i32, z: usize, plan: usize): void {
  const m = planM(plan);
  const tw = planTw(plan);
  const sMin = quarterMin(m);
  if (m < 8) {
    dit(z, m, tw, sMin);
    for (let j = 0; 2 * j < len; j += 2) storeQuad(out, stride, lanes, len, 2 * j, z + <usize>j * CV);
    return;
  }
  const s = m >> 2;
  const S = <usize>s * CV;
  const t = tw + <usize>(s - sMin) * 8;
  for (let q = 0; q < 4; q++) dit(z + <usize>q * S, s, tw, sMin);
  if (len <= m) {
    // outputs from float M on are past the row: only the first half of z is computed
    for (let j = 0; 2 * j < len && j < s; j += 2) {
      const p = z + <usize>j * CV;
      dit4(p, S, t + <usize>j * 24, true);
      dit4(p + CV, S, t + <usize>(j + 1) * 24, true);
      storeQuad(out, stride, lanes, len, 2 * j, p);
      if (2 * (j + s) < len) storeQuad(out, stride, lanes, len, 2 * (j + s), p + S);
    }
    return;
  }
  for (let j = 0; j < s; j += 2) {
    const p = z + <usize>j * CV;
    dit4(p, S, t + <usize>j * 24);
    dit4(p + CV, S, t + <usize>(j + 1) * 24);
    for (let q = 0; q < 4; q++) {
      const i = 2 * (j + q * s);
      if (i < len) storeQuad(out, stride, lanes, len, i, p + <usize>q * S);
    }
  }
}

// @ts-ignore: decorator
@inline
function rowStore(x: usize, i: i32, left: i32, v: v128): void {
  if (left >= 4) v128.store(x + <usize>i * 4, v);
  else storeTail(x + <usize>i * 4, v, left);
}

// The pair passes visit f = 0..M/2 with Z[f] at z + rv[2f] and Z[M−f] at z + rv[2f+1] (bit-reversed). The
// unpacked values X[f], X[M−f] go through a 64-byte mailbox in the thread's scratch (re, im of X[f], then of
// X[M−f]): written and read back within the iteration, it stays in store buffers and L1.

/** Mailbox = 2·X[f], 2·X[M−f] from Z[f] at pf and Z[M−f] at pg, w = W_N^f (rfftPair of real-fft.ts, unhalved). */
// @ts-ignore: decorator
@inline
function rfftPairTo(box: usize, pf: usize, pg: usize, wr: v128, wi: v128): void {
  const ar = v128.load(pf);
  const ai = v128.load(pf, 16);
  const br = v128.load(pg);
  const bi = v128.load(pg, 16);
  const dr = f32x4.sub(ar, br);
  const di = f32x4.add(ai, bi);
  const p = f32x4.add(f32x4.mul(wr, di), f32x4.mul(wi, dr));
  const q = f32x4.sub(f32x4.mul(wr, dr), f32x4.mul(wi, di));
  const sr = f32x4.add(ar, br);
  v128.store(box, f32x4.add(sr, p));
  v128.store(box, f32x4.sub(f32x4.sub(ai, bi), q), 16);
  v128.store(box, f32x4.sub(sr, p), 32);
  v128.store(box, f32x4.sub(f32x4.sub(bi, ai), q), 48);
}

/** z[pf], z[pg] = irfftPair(Y[f], Y[M−f], w) unhalved; pf written last (it wins when pf = pg, f = M/2). */
// @ts-ignore: decorator
@inline
function irfftPairStore(pf: usize, pg: usize, yfr: v128, yfi: v128, ygr: v128, ygi: v128, wr: v128, wi: v128): void {
  const dr = f32x4.sub(yfr, ygr);
  const di = f32x4.add(yfi, ygi);
  const p = f32x4.sub(f32x4.mul(wr, di), f32x4.mul(wi, dr));
  const q = f32x4.add(f32x4.mul(wr, dr), f32x4.mul(wi, di));
  const sr = f32x4.add(yfr, ygr);
  v128.store(pg, f32x4.add(sr, p));
  v128.store(pg, f32x4.add(f32x4.sub(q, yfi), ygi), 16);
  v128.store(pf, f32x4.sub(sr, p));
  v128.store(pf, f32x4.add(f32x4.sub(yfi, ygi), q), 16);
}

/** Real part of (ar + i·ai)·(br + i·bi), or of (ar + i·ai)·conj(b) with conj. */
// @ts-ignore: decorator
@inline
function mulRe(ar: v128, ai: v128, br: v128, bi: v128, conj: bool): v128 {
  return conj ? f32x4.add(f32x4.mul(ar, br), f32x4.mul(ai, bi)) : f32x4.sub(f32x4.mul(ar, br), f32x4.mul(ai, bi));
}

/** Imaginary part of (ar + i·ai)·(br + i·bi), or of (ar + i·ai)·conj(b) with conj. */
// @ts-ignore: decorator
@inline
function mulIm(ar: v128, ai: v128, br: v128, bi: v128, conj: bool): v128 {
  return conj ? f32x4.sub(f32x4.mul(ai, br), f32x4.mul(ar, bi)) : f32x4.add(f32x4.mul(ar, bi), f32x4.mul(ai, br));
}

/**
 * In place on z (bit-reversed, from loadDif): Z → X (rfft pairs) → Y = X ⊙ KS, or X ⊙ conj KS with `conj` →
 * irfft pairs, all unhalved (see the header's scaling). With acc ≠ 0 (the backward), also acc [M+1] +=
 * X ⊙ conj U where U = rfft pairs of zu, the other row's transform.
 */
// @ts-ignore: decorator
@inline
function filterPairs(z: usize, ks: usize, plan: usize, box: usize, conj: bool, acc: usize, zu: usize): void {
  const m = planM(plan);
  const pw = planPw(plan);
  const rv = planRv(plan);
  const half = m >> 1;
  for (let f = 0; f <= half; f++) {
    const oF = <usize>load<i32>(rv + <usize>f * 8);
    const oG = <usize>load<i32>(rv + <usize>f * 8, 4);
    const wr = v128.load32_splat(pw + <usize>f * 8);
    const wi = v128.load32_splat(pw + <usize>f * 8 + 4);
    rfftPairTo(box, z + oF, z + oG, wr, wi);
    const xfr = v128.load(box);
    const xfi = v128.load(box, 16);
    const xgr = v128.load(box, 32);
    const xgi = v128.load(box, 48);
    if (acc != 0) {
      rfftPairTo(box + 64, zu + oF, zu + oG, wr, wi);
      const ufr = v128.load(box, 64);
      const ufi = v128.load(box, 80);
      const af = acc + <usize>f * CV;
      v128.store(af, f32x4.add(v128.load(af), mulRe(xfr, xfi, ufr, ufi, true)));
      v128.store(af, f32x4.add(v128.load(af, 16), mulIm(xfr, xfi, ufr, ufi, true)), 16);
      // f = M/2 is its own partner: added once
      if (f != half) {
        const ugr = v128.load(box, 96);
        const ugi = v128.load(box, 112);
        const ag = acc + <usize>(m - f) * CV;
        v128.store(ag, f32x4.add(v128.load(ag), mulRe(xgr, xgi, ugr, ugi, true)));
        v128.store(ag, f32x4.add(v128.load(ag, 16), mulIm(xgr, xgi, ugr, ugi, true)), 16);
      }
    }
    const kf = ks + <usize>f * CV;
    const kg = ks + <usize>(m - f) * CV;
    const kfr = v128.load(kf);
    const kfi = v128.load(kf, 16);
    const kgr = v128.load(kg);
    const kgi = v128.load(kg, 16);
    irfftPairStore(
      z + oF,
      z + oG,
      mulRe(xfr, xfi, kfr, kfi, conj),
      mulIm(xfr, xfi, kfr, kfi, conj),
      mulRe(xgr, xgi, kgr, kgi, conj),
      mulIm(xgr, xgi, kgr, kgi, conj),
      wr,
      wi,
    );
  }
}

/** Rows in group g of H channels (1-4). */
// @ts-ignore: decorator
@inline
function groupLanes(g: i32, H: i32): i32 {
  return min(4, H - 4 * g);
}

/**
 * KS [G, M+1] (G = ⌈H/4⌉ groups of 4 channels, complex vectors in natural order) = (rfft_N(k[h]) + D[h])/(4M)
 * for k [H, Lk], D [H]: the kernel spectrum of one call, shared by the batch. Item = group.
 */
export function fftConvSpectrumF32(
  ks: usize,
  k: usize,
  D: usize,
  H: i32,
  Lk: i32,
  plan: usize,
  work: usize,
  workBytes: i32,
  slots: i32,
  chunk: i32,
  scratch: usize,
): void {
  const z = work + <usize>chunk * workBytes;
  const groups = (H + 3) >> 2;
  const m = planM(plan);
  const xs = f32x4.splat(<f32>(0.125 / <f64>m));
  const ds = f32x4.splat(<f32>(0.25 / <f64>m));
  for (let g = chunk; g < groups; g += slots) {
    const lanes = groupLanes(g, H);
    loadDif(z, k + <usize>(4 * g) * Lk * 4, <usize>Lk * 4, lanes, Lk, plan);
    const dv = f32x4.mul(lanes == 4 ? v128.load(D + <usize>(16 * g)) : loadTail(D + <usize>(16 * g), lanes), ds);
    const out = ks + <usize>g * (m + 1) * CV;
    const pw = planPw(plan);
    const rv = planRv(plan);
    for (let f = 0; f <= m >> 1; f++) {
      rfftPairTo(
        scratch,
        z + <usize>load<i32>(rv + <usize>f * 8),
        z + <usize>load<i32>(rv + <usize>f * 8, 4),
        v128.load32_splat(pw + <usize>f * 8),
        v128.load32_splat(pw + <usize>f * 8 + 4),
      );
      // K[M−f] first: at f = 0 both are real and distinct (X[0], X[M])
      const pG = out + <usize>(m - f) * CV;
      v128.store(pG, f32x4.add(f32x4.mul(v128.load(scratch, 32), xs), dv));
      v128.store(pG, f32x4.mul(v128.load(scratch, 48), xs), 16);
      const pF = out + <usize>f * CV;
      v128.store(pF, f32x4.add(f32x4.mul(v128.load(scratch), xs), dv));
      v128.store(pF, f32x4.mul(v128.load(scratch, 16), xs), 16);
    }
  }
}

/** y [B,H,L] = irfft(rfft(u) ⊙ KS) for u [B,H,L]. Item = (b, group), b-major. */
export function fftConvForwardF32(
  y: usize,
  u: usize,
  ks: usize,
  B: i32,
  H: i32,
  L: i32,
  plan: usize,
  work: usize,
  workBytes: i32,
  slots: i32,
  chunk: i32,
  scratch: usize,
): void {
  const z = work + <usize>chunk * workBytes;
  const groups = (H + 3) >> 2;
  const m = planM(plan);
  const stride = <usize>L * 4;
  for (let it = chunk; it < B * groups; it += slots) {
    const b = it / groups;
    const g = it - b * groups;
    const lanes = groupLanes(g, H);
    const row = (<usize>b * H + 4 * g) * stride;
    loadDif(z, u + row, stride, lanes, L, plan);
    filterPairs(z, ks + <usize>g * (m + 1) * CV, plan, scratch, false, 0, 0);
    ditStore(y + row, stride, lanes, L, z, plan);
  }
}

/**
 * du [B,H,L] = irfft(DY ⊙ conj KS), dk [H,Lk] = irfft(Σ_b DY_b ⊙ conj U_b)[0:Lk], dD [H] = dk[:, 0], for
 * dy, u [B,H,L]. Item = group: it owns its channels' dk and dD and adds the batch in order b = 0, 1, …
 * (bit-identical for any thread count). A slot holds zu, zd [M] and the sum acc [M+1].
 */
export function fftConvBackwardF32(
  du: usize,
  dk: usize,
  dD: usize,
  dy: usize,
  u: usize,
  ks: usize,
  B: i32,
  H: i32,
  L: i32,
  Lk: i32,
  plan: usize,
  work: usize,
  workBytes: i32,
  slots: i32,
  chunk: i32,
  scratch: usize,
): void {
  const groups = (H + 3) >> 2;
  const m = planM(plan);
  const zu = work + <usize>chunk * workBytes;
  const zd = zu + <usize>m * CV;
  const acc = zd + <usize>m * CV;
  const stride = <usize>L * 4;
  const half = m >> 1;
  for (let g = chunk; g < groups; g += slots) {
    const lanes = groupLanes(g, H);
    const kg = ks + <usize>g * (m + 1) * CV;
    memory.fill(acc, 0, <usize>(m + 1) * CV);
    for (let b = 0; b < B; b++) {
      const row = (<usize>b * H + 4 * g) * stride;
      loadDif(zu, u + row, stride, lanes, L, plan);
      loadDif(zd, dy + row, stride, lanes, L, plan);
      filterPairs(zd, kg, plan, scratch, true, acc, zu);
      ditStore(du + row, stride, lanes, L, zd, plan);
    }
    // dk: acc holds 4·Σ DY·conj U; the irfft's ½ and 1/M make 1/(8M)
    const sc = f32x4.splat(<f32>(0.125 / <f64>m));
    const pw = planPw(plan);
    const rv = planRv(plan);
    for (let f = 0; f <= half; f++) {
      const af = acc + <usize>f * CV;
      const ag = acc + <usize>(m - f) * CV;
      irfftPairStore(
        zu + <usize>load<i32>(rv + <usize>f * 8),
        zu + <usize>load<i32>(rv + <usize>f * 8, 4),
        f32x4.mul(v128.load(af), sc),
        f32x4.mul(v128.load(af, 16), sc),
        f32x4.mul(v128.load(ag), sc),
        f32x4.mul(v128.load(ag, 16), sc),
        v128.load32_splat(pw + <usize>f * 8),
        v128.load32_splat(pw + <usize>f * 8 + 4),
      );
    }
    const krow = dk + <usize>(4 * g) * Lk * 4;
    ditStore(krow, <usize>Lk * 4, lanes, Lk, zu, plan);
    for (let q = 0; q < lanes; q++) store<f32>(dD + <usize>(4 * g + q) * 4, load<f32>(krow + <usize>q * Lk * 4));
  }
}
