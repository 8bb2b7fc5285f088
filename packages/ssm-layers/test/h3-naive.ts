// A plain float64 H3 forward written from the paper's definitions with loops (direct causal convolutions,
// complex arithmetic on numbers), independent of the layer's tensor code: the oracle for the channel order of
// multi-head H3 (output channel h·m + j) and for the whole layer.
export interface H3Weights {
  d: number;
  m: number;
  N: number;
  get(name: string): Float64Array;
}

/** x [B, L, d] (row-major) → [B, L, d]. */
export function h3Naive(w: H3Weights, x: Float64Array, B: number, L: number): Float64Array {
  const { d, m, N } = w;
  const H = d / m;
  const M = N / 2;
  const linear = (name: string) => {
    const W = w.get(`${name}.weight`);
    const b = w.get(`${name}.bias`);
    return (inp: Float64Array) => {
      const out = new Float64Array(B * L * d);
      for (let r = 0; r < B * L; r++)
        for (let o = 0; o < d; o++) {
          let s = b[o];
          for (let i = 0; i < d; i++) s += inp[r * d + i] * W[o * d + i];
          out[r * d + o] = s;
        }
      return out;
    };
  };
  const [q, k, v] = ['q_proj', 'k_proj', 'v_proj'].map((n) => linear(n)(x));
  const at = (a: Float64Array, b: number, t: number, c: number) => a[(b * L + t) * d + c];
  // shift kernel: ks[c][j] = Σ_n B[c,n]·C[c,n+j]
  const sB = w.get('ssm_k_kernel.kernel.B');
  const sC = w.get('ssm_k_kernel.kernel.C');
  const ks = (c: number, j: number) => {
    let s = 0;
    for (let n = 0; n + j < N; n++) s += sB[c * N + n] * sC[c * N + n + j];
    return s;
  };
  const Dk = w.get('ssm_k_D');
  const kt = new Float64Array(B * L * d);
  for (let b = 0; b < B; b++)
    for (let c = 0; c < d; c++)
      for (let t = 0; t < L; t++) {
        let s = Dk[c] * at(k, b, t, c);
        for (let j = 0; j <= t && j < N; j++) s += ks(c, j) * at(k, b, t - j, c);
        kt[(b * L + t) * d + c] = s;
      }
  // diag kernel, bilinear: K[h][l] = 2·Re Σ_n C_n·B̄_n·Ā_n^l
  const logDt = w.get('kernel.kernel.log_dt');
  const invAre = w.get('kernel.kernel.inv_A_real');
  const Aim = w.get('kernel.kernel.A_imag');
  const Bc = w.get('kernel.kernel.B');
  const Cc = w.get('kernel.kernel.C');
  const K = new Float64Array(H * L);
  for (let h = 0; h < H; h++)
    for (let n = 0; n < M; n++) {
      const dt = Math.exp(logDt[h]);
      const [ar, ai] = [-Math.exp(invAre[h * M + n]) * dt, Aim[h * M + n] * dt];
      const [nr, ni] = [1 + ar / 2, ai / 2];
      const [dr, di] = [1 - ar / 2, -ai / 2];
      const den = dr * dr + di * di;
      const [Abr, Abi] = [(nr * dr + ni * di) / den, (ni * dr - nr * di) / den];
      const [br, bi] = [Bc[2 * (h * M + n)] * dt, Bc[2 * (h * M + n) + 1] * dt];
      const [Bbr, Bbi] = [(br * dr + bi * di) / den, (bi * dr - br * di) / den];
      const [cr, ci] = [Cc[2 * (h * M + n)], Cc[2 * (h * M + n) + 1]];
      let [pr, pi] = [cr * Bbr - ci * Bbi, cr * Bbi + ci * Bbr];
      for (let l = 0; l < L; l++) {
        K[h * L + l] += 2 * pr;
        [pr, pi] = [pr * Abr - pi * Abi, pr * Abi + pi * Abr];
      }
    }
  const D = w.get('D');
  const o = new Float64Array(B * L * d);
  for (let b = 0; b < B; b++)
    for (let h = 0; h < H; h++)
      for (let i = 0; i < m; i++)
        for (let j = 0; j < m; j++)
          for (let t = 0; t < L; t++) {
            const S = (s: number) => at(kt, b, s, h * m + i) * at(v, b, s, h * m + j);
            let y = D[h] * S(t);
            for (let s = 0; s <= t; s++) y += K[h * L + s] * S(t - s);
            o[(b * L + t) * d + h * m + j] += at(q, b, t, h * m + i) * y;
          }
  return linear('output_linear')(o);
}
