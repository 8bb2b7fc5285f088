// The shift SSM as an RNN (the contract of ops/ssm-step/shift-step.ref.ts, h3-reference §2, §5.2): the state
// after a prompt (its last N inputs, newest first) and one decode step (shift the history by one, y = Σ_j
// kernel[j]·s[j] + D·k). The step's sum is the reference's float64 chain in its order (D·k + kernel[0]·k, then
// j = N−1 down to 1), four rows at a time so that four independent chains hide the add latency: every y is the
// reference's float64 result rounded once, bit-identical to shiftSsmStepRef; the state moves are copies.

/** state [rows, N] = the last N of k [rows, L], newest first, zeros before the prompt, for rows chunk·per ... */
export function shiftSsmStateF32(state: usize, k: usize, N: i32, L: i32, rows: i32, per: i32, chunk: i32, scratch: usize): void {
  const r1 = min(rows, (chunk + 1) * per);
  const n = min(N, L);
  for (let row = chunk * per; row < r1; row++) {
    const s = state + <usize>row * <usize>N * 4;
    const last = k + (<usize>row * <usize>L + <usize>(L - 1)) * 4;
    let j = 0;
    // four at a time: k[L−1−j−3 .. L−1−j] reversed into s[j .. j+3]
    for (; j + 4 <= n; j += 4) {
      const v = v128.load(last - <usize>(j + 3) * 4);
      v128.store(s + <usize>j * 4, v128.shuffle<f32>(v, v, 3, 2, 1, 0));
    }
    for (; j < n; j++) store<f32>(s + <usize>j * 4, load<f32>(last - <usize>j * 4));
    if (n < N) memory.fill(s + <usize>n * 4, 0, <usize>(N - n) * 4);
  }
}

// @ts-ignore: decorator
@inline
function f(p: usize, i: i32): f64 {
  return <f64>load<f32>(p + <usize>i * 4);
}

/** y for the row whose history is s (kernel row w, skip d, input kt), as shiftSsmStepRef sums it. */
// @ts-ignore: decorator
@inline
function start(w: usize, d: f64, kt: f64): f64 {
  return d * kt + f(w, 0) * kt;
}

/**
 * One token for rows chunk·per ..: y [rows] = Σ_j kernel[c, j]·s'[j] + D[c]·k, with s' the history shifted by one
 * and k in slot 0; state [rows, N] updated in place; k [rows], kernel [d, N], D [d], c = row mod d.
 */
export function shiftSsmStepF32(y: usize, state: usize, k: usize, kernel: usize, D: usize, d: i32, N: i32, rows: i32, per: i32, chunk: i32, scratch: usize): void {
  const r1 = min(rows, (chunk + 1) * per);
  let row = chunk * per;
  for (; row + 4 <= r1; row += 4) {
    const s0 = state + <usize>row * <usize>N * 4;
    const s1 = s0 + <usize>N * 4;
    const s2 = s1 + <usize>N * 4;
    const s3 = s2 + <usize>N * 4;
    const w0 = kernel + <usize>((row % d) * N) * 4;
    const w1 = kernel + <usize>(((row + 1) % d) * N) * 4;
    const w2 = kernel + <usize>(((row + 2) % d) * N) * 4;
    const w3 = kernel + <usize>(((row + 3) % d) * N) * 4;
    const k0 = f(k, row), k1 = f(k, row + 1), k2 = f(k, row + 2), k3 = f(k, row + 3);
    let a0 = start(w0, f(D, row % d), k0);
    let a1 = start(w1, f(D, (row + 1) % d), k1);
    let a2 = start(w2, f(D, (row + 2) % d), k2);
    let a3 = start(w3, f(D, (row + 3) % d), k3);
    for (let j = N - 1; j > 0; j--) {
      a0 += f(w0, j) * f(s0, j - 1);
      a1 += f(w1, j) * f(s1, j - 1);
      a2 += f(w2, j) * f(s2, j - 1);
      a3 += f(w3, j) * f(s3, j - 1);
    }
    shift(s0, N, k0);
    shift(s1, N, k1);
    shift(s2, N, k2);
    shift(s3, N, k3);
    store<f32>(y + <usize>row * 4, <f32>a0);
    store<f32>(y + <usize>(row + 1) * 4, <f32>a1);
    store<f32>(y + <usize>(row + 2) * 4, <f32>a2);
    store<f32>(y + <usize>(row + 3) * 4, <f32>a3);
  }
  for (; row < r1; row++) {
    const s = state + <usize>row * <usize>N * 4;
    const w = kernel + <usize>((row % d) * N) * 4;
    const kt = f(k, row);
    let a = start(w, f(D, row % d), kt);
    for (let j = N - 1; j > 0; j--) a += f(w, j) * f(s, j - 1);
    shift(s, N, kt);
    store<f32>(y + <usize>row * 4, <f32>a);
  }
}

/** s[1..N) ← s[0..N−1) (a memmove: the oldest input drops out), s[0] = kt (an f32 value, stored exactly). */
// @ts-ignore: decorator
@inline
function shift(s: usize, N: i32, kt: f64): void {
  memory.copy(s + 4, s, <usize>(N - 1) * 4);
  store<f32>(s, <f32>kt);
}
