// The shift SSM's kernel k[j] = Σ_m B[m]·C[m + j] and its backward (the contract of
// ops/ssm-kernel/shift-kernel.ref.ts, h3-reference §2) in float64, two outputs per f64x2 register. Every output
// is the reference's float64 sum, term for term in its order (a lane whose range is one term longer gets that
// last term on its own), rounded once to f32: bit-identical to shiftKernelRef / shiftKernelBackwardRef.

/** (p[0], p[1]) of f32 as f64x2. */
// @ts-ignore: decorator
@inline
function load2(p: usize): v128 {
  return f64x2.promote_low_f32x4(v128.load64_zero(p));
}

// @ts-ignore: decorator
@inline
function f(p: usize, i: i32): f64 {
  return <f64>load<f32>(p + <usize>i * 4);
}

/** Stores both lanes of acc at o[i], o[i + 1] as f32. */
// @ts-ignore: decorator
@inline
function store2(o: usize, i: i32, acc: v128): void {
  store<f32>(o + <usize>i * 4, <f32>f64x2.extract_lane(acc, 0));
  store<f32>(o + <usize>i * 4, <f32>f64x2.extract_lane(acc, 1), 4);
}

/** k [H, Lk] (Lk = min(N, L)) from B, C [H, N] for channels chunk·per .. (see the header). */
export function shiftKernelF32(k: usize, B: usize, C: usize, H: i32, N: i32, Lk: i32, per: i32, chunk: i32, scratch: usize): void {
  const h1 = min(H, (chunk + 1) * per);
  for (let h = chunk * per; h < h1; h++) {
    const b = B + <usize>(h * N) * 4;
    const c = C + <usize>(h * N) * 4;
    const o = k + <usize>(h * Lk) * 4;
    let j = 0;
    for (; j + 2 <= Lk; j += 2) {
      // lane 0 sums m < N − j, lane 1 m < N − j − 1
      let acc = f64x2.splat(0);
      const m1 = N - j - 1;
      for (let m = 0; m < m1; m++) acc = f64x2.add(acc, f64x2.mul(f64x2.splat(f(b, m)), load2(c + <usize>(m + j) * 4)));
      acc = f64x2.replace_lane(acc, 0, f64x2.extract_lane(acc, 0) + f(b, m1) * f(c, N - 1));
      store2(o, j, acc);
    }
    if (j < Lk) {
      let acc: f64 = 0;
      for (let m = 0; m + j < N; m++) acc += f(b, m) * f(c, m + j);
      store<f32>(o + <usize>j * 4, <f32>acc);
    }
  }
}

/** dB, dC [H, N] from dk [H, Lk], B, C [H, N] for channels chunk·per .. (see the header). */
export function shiftKernelBackwardF32(dB: usize, dC: usize, dk: usize, B: usize, C: usize, H: i32, N: i32, Lk: i32, per: i32, chunk: i32, scratch: usize): void {
  const h1 = min(H, (chunk + 1) * per);
  for (let h = chunk * per; h < h1; h++) {
    const b = B + <usize>(h * N) * 4;
    const c = C + <usize>(h * N) * 4;
    const g = dk + <usize>(h * Lk) * 4;
    const ob = dB + <usize>(h * N) * 4;
    const oc = dC + <usize>(h * N) * 4;
    let i = 0;
    for (; i + 2 <= N; i += 2) {
      // dB[i] sums j < min(Lk, N − i), dB[i + 1] one term fewer when N − i ≤ Lk
      let db = f64x2.splat(0);
      const jb = min(Lk, N - i - 1);
      for (let j = 0; j < jb; j++) db = f64x2.add(db, f64x2.mul(f64x2.splat(f(g, j)), load2(c + <usize>(i + j) * 4)));
      if (N - i <= Lk) db = f64x2.replace_lane(db, 0, f64x2.extract_lane(db, 0) + f(g, jb) * f(c, N - 1));
      // dC[i] sums j ≤ i (j < Lk), dC[i + 1] also j = i + 1 when i + 1 < Lk
      let dc = f64x2.splat(0);
      const jc = min(Lk, i + 1);
      for (let j = 0; j < jc; j++) dc = f64x2.add(dc, f64x2.mul(f64x2.splat(f(g, j)), load2(b + <usize>(i - j) * 4)));
      if (i + 1 < Lk) dc = f64x2.replace_lane(dc, 1, f64x2.extract_lane(dc, 1) + f(g, i + 1) * f(b, 0));
      store2(ob, i, db);
      store2(oc, i, dc);
    }
    if (i < N) {
      let db: f64 = 0;
      let dc: f64 = 0;
      for (let j = 0; j < Lk; j++) {
        if (i + j < N) db += f(g, j) * f(c, i + j);
        if (j <= i) dc += f(g, j) * f(b, i - j);
      }
      store<f32>(ob + <usize>i * 4, <f32>db);
      store<f32>(oc + <usize>i * 4, <f32>dc);
    }
  }
}
