// The diagonal SSM of H3 as an RNN, for generation (h3-reference §1.4, §5.2): per channel h and complex mode n
//   x_t = Ā_n ⊙ x_{t−1} + z_t,   y_t = 2·Re Σ_n W_n·x_{t,n} + D_h·z_t
// with B̄ folded into W = C ⊙ B̄ by the caller, so the input z is real and enters every mode with weight 1.
// The output uses the updated state, consistent with the convolution kernel K[l] = 2·Re Σ_n W_n·Ā_n^l (K[0] = 2·Re ΣW).
// Float64 accumulation whatever the array type; each stored value is rounded once to the array's type.
import { ShapeError } from '../../errors.js';
import type { FloatArray } from '../../util/types.js';

/** Sizes of one diagonal-SSM step: B sequences × H channels × N2 complex modes. */
export interface DiagSsmParams {
  /** B: sequences decoded together. */
  batch: number;
  /** H: channels, each with its own Ā, W and D. */
  channels: number;
  /** N2: complex modes per channel (the conjugate half is implicit in the 2·Re). */
  modes: number;
}

/** Sizes of a prefill: a prompt of L tokens per sequence. */
export interface DiagSsmStateParams extends DiagSsmParams {
  /** L: prompt length. */
  length: number;
}

/** Throws a ShapeError naming `fn` unless every size is a positive integer (L may be 0: an empty prompt). */
export function checkSizes(fn: string, p: object): void {
  for (const [name, v] of Object.entries(p)) {
    const min = name === 'length' ? 0 : 1;
    if (!Number.isInteger(v) || v < min) throw new ShapeError(fn, name, min === 0 ? 'a non-negative integer' : 'a positive integer', String(v));
  }
}

/** Throws a ShapeError naming `fn` and `arg` unless `a` holds exactly `n` values (the shape `shape`). */
export function checkLength(fn: string, arg: string, a: ArrayLike<number>, shape: number[]): void {
  const n = shape.reduce((x, y) => x * y, 1);
  if (a.length !== n) throw new ShapeError(fn, arg, `[${shape.join(', ')}] (${n} values)`, `${a.length} values`);
}

/**
 * The state after a prompt, starting from zero: state[b,h,n] = Σ_{j<L} Ā[h,n]^(L−1−j)·z[b,h,j], by the
 * recurrence s ← Ā·s + z_j (Horner's scheme for that polynomial in Ā).
 * Shapes: state [B,H,N2,2] (re, im; overwritten), z [B,H,L], Ā [H,N2,2].
 * @example diagSsmStateRef(state, z, A, { batch: 1, channels: 768, modes: 32, length: 1024 })
 */
export function diagSsmStateRef(state: FloatArray, z: FloatArray, A: FloatArray, p: DiagSsmStateParams): void {
  checkSizes('diagSsmStateRef', p);
  const { batch: B, channels: H, modes: N2, length: L } = p;
  checkLength('diagSsmStateRef', 'state', state, [B, H, N2, 2]);
  checkLength('diagSsmStateRef', 'z', z, [B, H, L]);
  checkLength('diagSsmStateRef', 'A', A, [H, N2, 2]);
  for (let row = 0; row < B * H; row++) {
    const h = row % H;
    const zo = row * L;
    for (let n = 0; n < N2; n++) {
      const ar = A[2 * (h * N2 + n)];
      const ai = A[2 * (h * N2 + n) + 1];
      let sr = 0;
      let si = 0;
      for (let j = 0; j < L; j++) [sr, si] = [ar * sr - ai * si + z[zo + j], ar * si + ai * sr];
      state[2 * (row * N2 + n)] = sr;
      state[2 * (row * N2 + n) + 1] = si;
    }
  }
}

/**
 * One token: state ← Ā ⊙ state + z (in place), then y = 2·Re Σ_n W_n·state_n + D·z.
 * Shapes: y [B,H] (overwritten), state [B,H,N2,2] (updated in place), z [B,H], Ā and W [H,N2,2], D [H].
 * @example diagSsmStepRef(y, state, z, A, W, D, { batch: 1, channels: 768, modes: 32 })
 */
export function diagSsmStepRef(
  y: FloatArray,
  state: FloatArray,
  z: FloatArray,
  A: FloatArray,
  W: FloatArray,
  D: FloatArray,
  p: DiagSsmParams,
): void {
  const fn = 'diagSsmStepRef';
  checkSizes(fn, p);
  const { batch: B, channels: H, modes: N2 } = p;
  checkLength(fn, 'y', y, [B, H]);
  checkLength(fn, 'state', state, [B, H, N2, 2]);
  checkLength(fn, 'z', z, [B, H]);
  checkLength(fn, 'A', A, [H, N2, 2]);
  checkLength(fn, 'W', W, [H, N2, 2]);
  checkLength(fn, 'D', D, [H]);
  for (let row = 0; row < B * H; row++) {
    const h = row % H;
    const zt = z[row];
    let acc = 0;
    for (let n = 0; n < N2; n++) {
      const a = 2 * (h * N2 + n);
      const s = 2 * (row * N2 + n);
      const sr = A[a] * state[s] - A[a + 1] * state[s + 1] + zt;
      const si = A[a] * state[s + 1] + A[a + 1] * state[s];
      state[s] = sr;
      state[s + 1] = si;
      acc += W[a] * sr - W[a + 1] * si;
    }
    y[row] = 2 * acc + D[h] * zt;
  }
}
