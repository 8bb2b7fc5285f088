// The shift SSM of H3 as an RNN, for generation (h3-reference §2, §5.2): its state is the input history
// s[j] = k_{t−j}, j = 0..N−1 (index 0 = the latest input), and its output is the causal FIR filter
//   y_t = Σ_j kernel[j]·s[j] + D·k_t
// with kernel[j] = Σ_m B[m]·C[m + j] the shift SSM's convolution kernel (= C when B = e₁).
// Float64 accumulation whatever the array type.
import type { FloatArray } from '../../util/types.js';
import { checkLength, checkSizes } from './diag-step.ref.js';

/** Sizes of one shift-SSM step: B sequences × d channels × N taps of history. */
export interface ShiftSsmParams {
  /** B: sequences decoded together. */
  batch: number;
  /** d: channels, each with its own kernel row and D. */
  channels: number;
  /** N: state size, the number of past inputs kept (64 in H3). */
  stateSize: number;
}

/** Sizes of a prefill: a prompt of L tokens per sequence. */
export interface ShiftSsmStateParams extends ShiftSsmParams {
  /** L: prompt length. */
  length: number;
}

/**
 * The state after a prompt: state[b,c,j] = k[b,c,L−1−j], 0 where L−1−j < 0 (a prompt shorter than N).
 * Shapes: state [B,d,N] (overwritten), k [B,d,L].
 * @example shiftSsmStateRef(state, k, { batch: 1, channels: 768, stateSize: 64, length: 1024 })
 */
export function shiftSsmStateRef(state: FloatArray, k: FloatArray, p: ShiftSsmStateParams): void {
  checkSizes('shiftSsmStateRef', p);
  const { batch: B, channels: d, stateSize: N, length: L } = p;
  checkLength('shiftSsmStateRef', 'state', state, [B, d, N]);
  checkLength('shiftSsmStateRef', 'k', k, [B, d, L]);
  for (let row = 0; row < B * d; row++)
    for (let j = 0; j < N; j++) state[row * N + j] = j < L ? k[row * L + L - 1 - j] : 0;
}

/**
 * One token: state shifts right by one (s[j] ← s[j−1], the oldest input drops out) and s[0] = k (in place),
 * then y = Σ_j kernel[j]·s[j] + D·k.
 * Shapes: y [B,d] (overwritten), state [B,d,N] (updated in place), k [B,d], kernel [d,N], D [d].
 * @example shiftSsmStepRef(y, state, k, kernel, D, { batch: 1, channels: 768, stateSize: 64 })
 */
export function shiftSsmStepRef(
  y: FloatArray,
  state: FloatArray,
  k: FloatArray,
  kernel: FloatArray,
  D: FloatArray,
  p: ShiftSsmParams,
): void {
  const fn = 'shiftSsmStepRef';
  checkSizes(fn, p);
  const { batch: B, channels: d, stateSize: N } = p;
  checkLength(fn, 'y', y, [B, d]);
  checkLength(fn, 'state', state, [B, d, N]);
  checkLength(fn, 'k', k, [B, d]);
  checkLength(fn, 'kernel', kernel, [d, N]);
  checkLength(fn, 'D', D, [d]);
  for (let row = 0; row < B * d; row++) {
    const c = row % d;
    const s = row * N;
    const kt = k[row];
    // one pass from the oldest slot: move each value one slot along and accumulate its tap
    let acc = D[c] * kt + kernel[c * N] * kt;
    for (let j = N - 1; j > 0; j--) {
      const v = state[s + j - 1];
      state[s + j] = v;
      acc += kernel[c * N + j] * v;
    }
    state[s] = kt;
    y[row] = acc;
  }
}
