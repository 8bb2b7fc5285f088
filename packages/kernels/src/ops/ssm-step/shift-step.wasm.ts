// The shift SSM's generation ops on the WebAssembly CPU runtime (src/wasm/assembly/ssm-shift-step.ts): the
// prefill state (a reversed copy of the prompt's last N inputs) and one decode step (the history moved one slot,
// an N-tap FIR summed in float64 in the reference's order), chunks of rows spread over the runtime's threads
// when the work pays for waking them. The same bits as shiftSsmStateRef / shiftSsmStepRef, for any thread count.
import type { WasmRuntime } from '../../wasm/runtime.js';
import { checkSizes } from './diag-step.ref.js';
import { stepArgs } from './diag-step.wasm.js';
import type { ShiftSsmParams, ShiftSsmStateParams } from './shift-step.ref.js';

/** Rows per chunk: ~N floats moved (state) or N multiply-adds (step) each. */
const ROWS = 64;

/**
 * state [B, d, N] with state[b, c, j] = k[b, c, L−1−j] (0 before the prompt; the contract of shiftSsmStateRef)
 * from k [B, d, L], f32 views of rt's memory.
 * @example shiftSsmStateWasm(rt, state, k, { batch: 1, channels: 768, stateSize: 64, length: 1536 }); // state [1, 768, 64]
 */
export function shiftSsmStateWasm(rt: WasmRuntime, state: Float32Array, k: Float32Array, p: ShiftSsmStateParams): void {
  const fn = 'shiftSsmStateWasm';
  checkSizes(fn, p);
  const { batch: B, channels: d, stateSize: N, length: L } = p;
  const ptrs = stepArgs(rt, fn, [
    ['state', state, [B, d, N]],
    ['k', k, [B, d, L]],
  ]);
  const args = [...ptrs, N, L, B * d];
  rt.runItems('shiftSsmStateF32', args, B * d, ROWS, N / 4);
}

/**
 * One token (the contract of shiftSsmStepRef): the history state [B, d, N] shifts by one with k [B, d] in slot 0
 * (in place), then y [B, d] = Σ_j kernel[c, j]·state[j] + D[c]·k, with kernel [d, N] and D [d]; f32 views of
 * rt's memory.
 * @example shiftSsmStepWasm(rt, y, state, k, kernel, D, { batch: 1, channels: 768, stateSize: 64 }); // y [1, 768]
 */
export function shiftSsmStepWasm(
  rt: WasmRuntime,
  y: Float32Array,
  state: Float32Array,
  k: Float32Array,
  kernel: Float32Array,
  D: Float32Array,
  p: ShiftSsmParams,
): void {
  const fn = 'shiftSsmStepWasm';
  checkSizes(fn, p);
  const { batch: B, channels: d, stateSize: N } = p;
  const ptrs = stepArgs(rt, fn, [
    ['y', y, [B, d]],
    ['state', state, [B, d, N]],
    ['k', k, [B, d]],
    ['kernel', kernel, [d, N]],
    ['D', D, [d]],
  ]);
  rt.runItems('shiftSsmStepF32', [...ptrs, d, N, B * d], B * d, ROWS, N);
}
