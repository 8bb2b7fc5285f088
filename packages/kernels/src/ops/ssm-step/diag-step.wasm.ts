// The diagonal SSM's generation ops on the WebAssembly CPU runtime (src/wasm/assembly/ssm-diag-step.ts): the
// prefill state and one decode step, chunks of rows (b, h) spread over the runtime's threads when the work pays
// for waking them. Float64 in the reference's order (Horner's scheme over the prompt: relative error ≲ 2L·2⁻⁵³
// of Σ|terms|, against float32's L·2⁻²⁴ ≈ 1e−4 at L = 1536), rounded once: the same bits as diagSsmStateRef /
// diagSsmStepRef on the same f32 inputs, for any thread count.
import type { WasmRuntime } from '../../wasm/runtime.js';
import { checkLength, checkSizes, type DiagSsmParams, type DiagSsmStateParams } from './diag-step.ref.js';

/**
 * The addresses of arrays [name, view, shape] in rt's memory, after checking each holds exactly its shape's
 * values (a ShapeError naming fn and the array otherwise).
 */
export function stepArgs(rt: WasmRuntime, fn: string, arrays: [string, Float32Array, number[]][]): number[] {
  return arrays.map(([name, a, shape]) => {
    checkLength(fn, name, a, shape);
    return rt.arg(a, a.length, fn, name);
  });
}

/** Rows per chunk of the prefill (N2·L mode steps each, ~50 µs at N2 = 32, L = 1536) and of the step. */
const STATE_ROWS = 4;
const STEP_ROWS = 64;

/**
 * state [B, H, N2, 2] = Σ_{j<L} Ā^(L−1−j)·z[b, h, j] (the contract of diagSsmStateRef) from z [B, H, L] and
 * Ā [H, N2, 2], all f32 views of rt's memory; the same bits as the reference on these inputs.
 * @example diagSsmStateWasm(rt, state, z, A, { batch: 1, channels: 768, modes: 32, length: 1536 }); // state [1, 768, 32, 2]
 */
export function diagSsmStateWasm(rt: WasmRuntime, state: Float32Array, z: Float32Array, A: Float32Array, p: DiagSsmStateParams): void {
  const fn = 'diagSsmStateWasm';
  checkSizes(fn, p);
  const { batch: B, channels: H, modes: N2, length: L } = p;
  const ptrs = stepArgs(rt, fn, [
    ['state', state, [B, H, N2, 2]],
    ['z', z, [B, H, L]],
    ['A', A, [H, N2, 2]],
  ]);
  const args = [...ptrs, H, N2, L, B * H];
  // ~1 ns per mode step (two per f64x2 lane pair, ~7 operations each)
  rt.runItems('diagSsmStateF32', args, B * H, STATE_ROWS, N2 * L);
}

/**
 * One token (the contract of diagSsmStepRef): state [B, H, N2, 2] ← Ā ⊙ state + z in place, then y [B, H] =
 * 2·Re Σ_n W_n·state_n + D·z, from z [B, H], Ā and W [H, N2, 2], D [H], all f32 views of rt's memory; the
 * same bits as the reference on these inputs.
 * @example diagSsmStepWasm(rt, y, state, z, A, W, D, { batch: 1, channels: 768, modes: 32 }); // y [1, 768]
 */
export function diagSsmStepWasm(
  rt: WasmRuntime,
  y: Float32Array,
  state: Float32Array,
  z: Float32Array,
  A: Float32Array,
  W: Float32Array,
  D: Float32Array,
  p: DiagSsmParams,
): void {
  const fn = 'diagSsmStepWasm';
  checkSizes(fn, p);
  const { batch: B, channels: H, modes: N2 } = p;
  const ptrs = stepArgs(rt, fn, [
    ['y', y, [B, H]],
    ['state', state, [B, H, N2, 2]],
    ['z', z, [B, H]],
    ['A', A, [H, N2, 2]],
    ['W', W, [H, N2, 2]],
    ['D', D, [H]],
  ]);
  rt.runItems('diagSsmStepF32', [...ptrs, H, N2, B * H], B * H, STEP_ROWS, 2 * N2);
}
