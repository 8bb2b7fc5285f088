// The diagonal SSM as an RNN (the contract of ops/ssm-step/diag-step.ref.ts, h3-reference §1.4, §5.2): the
// prefill state Σ_j Ā^(L−1−j)·z_j by Horner's scheme, and one decode step s ← Ā·s + z, y = 2·Re Σ W·s + D·z.
// Float64, two modes of a row per f64x2 register (lane j = mode n + j), in the reference's operation order,
// y's sum over the modes taken lane by lane in mode order: every stored value is the reference's float64
// result rounded once to f32, bit-identical to diagSsmStateRef / diagSsmStepRef on the same f32 inputs.

/** Re (lanes 0, 1) of the two complex f32 values (re, im, re, im) in v, as f64x2. */
// @ts-ignore: decorator
@inline
function re2(v: v128): v128 {
  return f64x2.promote_low_f32x4(v128.shuffle<f32>(v, v, 0, 2, 0, 2));
}

/** Im of the two complex f32 values in v, as f64x2. */
// @ts-ignore: decorator
@inline
function im2(v: v128): v128 {
  return f64x2.promote_low_f32x4(v128.shuffle<f32>(v, v, 1, 3, 1, 3));
}

/** (re, im) f64x2 of two modes as the four f32 (re0, im0, re1, im1). */
// @ts-ignore: decorator
@inline
function interleave(re: v128, im: v128): v128 {
  return v128.shuffle<f32>(f32x4.demote_f64x2_zero(re), f32x4.demote_f64x2_zero(im), 0, 4, 1, 5);
}

/** The complex f32 pairs of modes n, n + 1 at p (both when two, else mode n and zeros). */
// @ts-ignore: decorator
@inline
function loadModes(p: usize, two: bool): v128 {
  return two ? v128.load(p) : v128.load64_zero(p);
}

// @ts-ignore: decorator
@inline
function storeModes(p: usize, v: v128, two: bool): void {
  if (two) v128.store(p, v);
  else v128.store64_lane(p, v, 0);
}

/**
 * state [B, H, N2, 2] (f32) after the prompt z [B, H, L] from zero, with Ā [H, N2, 2], for rows (b, h)
 * chunk·per ..: s ← Ā·s + z_j for j = 0..L−1, eight modes (four independent chains) at a time.
 */
export function diagSsmStateF32(state: usize, z: usize, A: usize, H: i32, N2: i32, L: i32, rows: i32, per: i32, chunk: i32, scratch: usize): void {
  const r1 = min(rows, (chunk + 1) * per);
  for (let row = chunk * per; row < r1; row++) {
    const a = A + <usize>((row % H) * N2) * 8;
    const s = state + <usize>(row * N2) * 8;
    const zr = z + <usize>row * <usize>L * 4;
    let n = 0;
    for (; n + 8 <= N2; n += 8) {
      const o = <usize>n * 8;
      const a0 = v128.load(a + o);
      const a1 = v128.load(a + o, 16);
      const a2 = v128.load(a + o, 32);
      const a3 = v128.load(a + o, 48);
      const ar0 = re2(a0), ai0 = im2(a0), ar1 = re2(a1), ai1 = im2(a1);
      const ar2 = re2(a2), ai2 = im2(a2), ar3 = re2(a3), ai3 = im2(a3);
      let sr0 = f64x2.splat(0), si0 = sr0, sr1 = sr0, si1 = sr0, sr2 = sr0, si2 = sr0, sr3 = sr0, si3 = sr0;
      for (let j = 0; j < L; j++) {
        const zj = f64x2.splat(<f64>load<f32>(zr + <usize>j * 4));
        let t = f64x2.add(f64x2.sub(f64x2.mul(ar0, sr0), f64x2.mul(ai0, si0)), zj);
        si0 = f64x2.add(f64x2.mul(ar0, si0), f64x2.mul(ai0, sr0));
        sr0 = t;
        t = f64x2.add(f64x2.sub(f64x2.mul(ar1, sr1), f64x2.mul(ai1, si1)), zj);
        si1 = f64x2.add(f64x2.mul(ar1, si1), f64x2.mul(ai1, sr1));
        sr1 = t;
        t = f64x2.add(f64x2.sub(f64x2.mul(ar2, sr2), f64x2.mul(ai2, si2)), zj);
        si2 = f64x2.add(f64x2.mul(ar2, si2), f64x2.mul(ai2, sr2));
        sr2 = t;
        t = f64x2.add(f64x2.sub(f64x2.mul(ar3, sr3), f64x2.mul(ai3, si3)), zj);
        si3 = f64x2.add(f64x2.mul(ar3, si3), f64x2.mul(ai3, sr3));
        sr3 = t;
      }
      v128.store(s + o, interleave(sr0, si0));
      v128.store(s + o, interleave(sr1, si1), 16);
      v128.store(s + o, interleave(sr2, si2), 32);
      v128.store(s + o, interleave(sr3, si3), 48);
    }
    for (; n < N2; n += 2) {
      const two = n + 2 <= N2;
      const o = <usize>n * 8;
      const av = loadModes(a + o, two);
      const ar = re2(av), ai = im2(av);
      let sr = f64x2.splat(0), si = sr;
      for (let j = 0; j < L; j++) {
        const t = f64x2.add(f64x2.sub(f64x2.mul(ar, sr), f64x2.mul(ai, si)), f64x2.splat(<f64>load<f32>(zr + <usize>j * 4)));
        si = f64x2.add(f64x2.mul(ar, si), f64x2.mul(ai, sr));
        sr = t;
      }
      storeModes(s + o, interleave(sr, si), two);
    }
  }
}

/**
 * Modes n, n + 1 (n alone unless `two`) of one row: s ← Ā·s + z stored at s (f32), and W·s's real parts as f64x2.
 */
// @ts-ignore: decorator
@inline
function stepModes(a: usize, w: usize, s: usize, zv: v128, two: bool): v128 {
  const av = loadModes(a, two);
  const sv = loadModes(s, two);
  const wv = loadModes(w, two);
  const ar = re2(av), ai = im2(av), sr0 = re2(sv), si0 = im2(sv);
  const sr = f64x2.add(f64x2.sub(f64x2.mul(ar, sr0), f64x2.mul(ai, si0)), zv);
  const si = f64x2.add(f64x2.mul(ar, si0), f64x2.mul(ai, sr0));
  storeModes(s, interleave(sr, si), two);
  return f64x2.sub(f64x2.mul(re2(wv), sr), f64x2.mul(im2(wv), si));
}

/** acc + lane 0 of c, then + lane 1 when `two`: the reference's sum over the modes, in mode order. */
// @ts-ignore: decorator
@inline
function addModes(acc: f64, c: v128, two: bool): f64 {
  acc += f64x2.extract_lane(c, 0);
  return two ? acc + f64x2.extract_lane(c, 1) : acc;
}

/** y[row] = 2·acc + D[h]·z[row], as the reference rounds it. */
// @ts-ignore: decorator
@inline
function output(y: usize, D: usize, z: usize, row: i32, H: i32, acc: f64): void {
  store<f32>(y + <usize>row * 4, <f32>(2 * acc + <f64>load<f32>(D + <usize>(row % H) * 4) * <f64>load<f32>(z + <usize>row * 4)));
}

/**
 * One token for rows (b, h) chunk·per ..: state [B, H, N2, 2] ← Ā ⊙ state + z (in place, f32), then
 * y [B, H] = 2·Re Σ_n W_n·state_n + D·z, with z [B, H], Ā, W [H, N2, 2], D [H]. Four rows at a time, so that
 * their sums over the modes (sequential, in mode order) are four independent chains.
 */
export function diagSsmStepF32(y: usize, state: usize, z: usize, A: usize, W: usize, D: usize, H: i32, N2: i32, rows: i32, per: i32, chunk: i32, scratch: usize): void {
  const r1 = min(rows, (chunk + 1) * per);
  let row = chunk * per;
  for (; row + 4 <= r1; row += 4) {
    const a0 = A + <usize>((row % H) * N2) * 8;
    const a1 = A + <usize>(((row + 1) % H) * N2) * 8;
    const a2 = A + <usize>(((row + 2) % H) * N2) * 8;
    const a3 = A + <usize>(((row + 3) % H) * N2) * 8;
    const w0 = a0 - A + W, w1 = a1 - A + W, w2 = a2 - A + W, w3 = a3 - A + W;
    const s0 = state + <usize>(row * N2) * 8;
    const s1 = s0 + <usize>N2 * 8, s2 = s1 + <usize>N2 * 8, s3 = s2 + <usize>N2 * 8;
    const z0 = f64x2.splat(<f64>load<f32>(z + <usize>row * 4));
    const z1 = f64x2.splat(<f64>load<f32>(z + <usize>(row + 1) * 4));
    const z2 = f64x2.splat(<f64>load<f32>(z + <usize>(row + 2) * 4));
    const z3 = f64x2.splat(<f64>load<f32>(z + <usize>(row + 3) * 4));
    let c0: f64 = 0, c1: f64 = 0, c2: f64 = 0, c3: f64 = 0;
    for (let n = 0; n < N2; n += 2) {
      const two = n + 2 <= N2;
      const o = <usize>n * 8;
      c0 = addModes(c0, stepModes(a0 + o, w0 + o, s0 + o, z0, two), two);
      c1 = addModes(c1, stepModes(a1 + o, w1 + o, s1 + o, z1, two), two);
      c2 = addModes(c2, stepModes(a2 + o, w2 + o, s2 + o, z2, two), two);
      c3 = addModes(c3, stepModes(a3 + o, w3 + o, s3 + o, z3, two), two);
    }
    output(y, D, z, row, H, c0);
    output(y, D, z, row + 1, H, c1);
    output(y, D, z, row + 2, H, c2);
    output(y, D, z, row + 3, H, c3);
  }
  for (; row < r1; row++) {
    const a = A + <usize>((row % H) * N2) * 8;
    const w = a - A + W;
    const s = state + <usize>(row * N2) * 8;
    const zv = f64x2.splat(<f64>load<f32>(z + <usize>row * 4));
    let c: f64 = 0;
    for (let n = 0; n < N2; n += 2) {
      const two = n + 2 <= N2;
      const o = <usize>n * 8;
      c = addModes(c, stepModes(a + o, w + o, s + o, zv, two), two);
    }
    output(y, D, z, row, H, c);
  }
}
