// The S4D kernel and its backward on the WebAssembly CPU runtime (src/wasm/assembly/ssm-s4d-kernel.ts): one chunk
// per pair of channels, two channels per f64x2 register, spread over the runtime's threads. The kernel runs the
// reference's float64 arithmetic in the reference's order (Ā^l as a running product, relative error ≲ 2l·2⁻⁵³,
// 2e−12 at L = 8192; the sums over modes and taps in the same order), so every output is the reference's
// float64 value rounded once to f32: the same bits as s4dKernelRef / s4dKernelBackwardRef on the same f32 inputs,
// for any thread count. Float32 arithmetic would not do: the running power alone would drift by ~l·ε_f32, 5e−4
// at L = 8192.
import { ShapeError } from '../../errors.js';
import { PARALLEL_MIN_WORK, SCRATCH_BYTES, type WasmRuntime } from '../../wasm/runtime.js';
import type { S4dKernelParams } from './s4d-kernel.ref.js';

/** Bytes of a mode's record in the kernel's scratch (MODE_BYTES of the kernel) and of its tap block (LB taps). */
const MODE_BYTES = 18 * 16;
const BLOCK_BYTES = 256 * 32;
/** The most modes per channel whose records (padded to a multiple of 4) fit the scratch next to a tap block (424). */
export const S4D_WASM_MAX_MODES = 4 * Math.floor((SCRATCH_BYTES - BLOCK_BYTES) / MODE_BYTES / 4);

type Size = 'H' | 'HN' | 'HN2' | 'HL';
/** The five parameter arrays with their names and sizes, in the references' order. */
const params = (logDt: Float32Array, invAReal: Float32Array, AImag: Float32Array, B: Float32Array, C: Float32Array): [string, Float32Array, Size][] => [
  ['logDt', logDt, 'H'],
  ['invAReal', invAReal, 'HN'],
  ['AImag', AImag, 'HN'],
  ['B', B, 'HN2'],
  ['C', C, 'HN2'],
];

/** Checks p and the arrays' lengths; returns their addresses in argument order. */
function addresses(rt: WasmRuntime, fn: string, p: S4dKernelParams, arrays: [string, Float32Array, Size][]): number[] {
  const { channels: H, modes: N2, length: L } = p;
  for (const [name, v] of Object.entries(p))
    if (!Number.isInteger(v) || v < 1) throw new ShapeError(fn, name, 'a positive integer', String(v));
  if (N2 > S4D_WASM_MAX_MODES) throw new ShapeError(fn, 'modes', `at most ${S4D_WASM_MAX_MODES} (the kernel's scratch)`, String(N2));
  const sizes = { H, HN: H * N2, HN2: 2 * H * N2, HL: H * L };
  return arrays.map(([name, view, size]) => rt.arg(view, sizes[size], fn, name));
}

/**
 * Calls fn with the addresses of dt [H] = exp(logDt) and ar [H, N2] = −exp(invAReal) (float64, by Math.exp as
 * the reference computes them) in a temporary block of rt's memory.
 */
function withExponentials(rt: WasmRuntime, logDt: Float32Array, invAReal: Float32Array, p: S4dKernelParams, fn: (dt: number, ar: number) => void): void {
  const { channels: H, modes: N2 } = p;
  rt.withTemp(8 * (H + H * N2), (ptr) => {
    const dt = new Float64Array(rt.memory.buffer, ptr, H);
    const ar = new Float64Array(rt.memory.buffer, ptr + 8 * H, H * N2);
    for (let h = 0; h < H; h++) dt[h] = Math.exp(logDt[h]);
    for (let i = 0; i < H * N2; i++) ar[i] = -Math.exp(invAReal[i]);
    fn(ptr, ptr + 8 * H);
  });
}

/** ≈ ns per (channel, mode, tap): measured ~0.4 forward and ~0.8 backward on one core. */
const COST = { forward: 0.4, backward: 0.8 };

/**
 * K [H, L] = 2·Re Σ_n C·B̄·Ā^l (the contract of s4dKernelRef) from logDt [H], invAReal [H, N2], AImag [H, N2],
 * B [H, N2, 2], C [H, N2, 2], all f32 views of rt's memory; float64 inside, the same bits as s4dKernelRef on
 * these inputs, for any thread count. N2 ≤ S4D_WASM_MAX_MODES.
 * @example s4dKernelWasm(rt, K, logDt, invAReal, AImag, B, C, { channels: 768, modes: 32, length: 1024 }); // K [768, 1024]
 */
export function s4dKernelWasm(
  rt: WasmRuntime,
  K: Float32Array,
  logDt: Float32Array,
  invAReal: Float32Array,
  AImag: Float32Array,
  B: Float32Array,
  C: Float32Array,
  p: S4dKernelParams,
): void {
  const fn = 's4dKernelWasm';
  const [k, , , ai, b, c] = addresses(rt, fn, p, [['K', K, 'HL'], ...params(logDt, invAReal, AImag, B, C)]);
  const { channels: H, modes: N2, length: L } = p;
  withExponentials(rt, logDt, invAReal, p, (dt, ar) =>
    rt.run('s4dKernelF32', [k, dt, ar, ai, b, c, H, N2, L], Math.ceil(H / 2), H * N2 * L * COST.forward < PARALLEL_MIN_WORK),
  );
}

/**
 * The gradients of Σ dK·K for s4dKernelWasm (the contract of s4dKernelBackwardRef), overwriting dLogDt [H],
 * dInvAReal [H, N2], dAImag [H, N2], dB [H, N2, 2], dC [H, N2, 2] from dK [H, L] and the forward's inputs, all
 * f32 views of rt's memory; the same bits as s4dKernelBackwardRef on these inputs, for any thread count.
 * @example s4dKernelBackwardWasm(rt, dLogDt, dInvAReal, dAImag, dB, dC, dK, logDt, invAReal, AImag, B, C, p);
 */
export function s4dKernelBackwardWasm(
  rt: WasmRuntime,
  dLogDt: Float32Array,
  dInvAReal: Float32Array,
  dAImag: Float32Array,
  dB: Float32Array,
  dC: Float32Array,
  dK: Float32Array,
  logDt: Float32Array,
  invAReal: Float32Array,
  AImag: Float32Array,
  B: Float32Array,
  C: Float32Array,
  p: S4dKernelParams,
): void {
  const fn = 's4dKernelBackwardWasm';
  const grads = params(dLogDt, dInvAReal, dAImag, dB, dC).map(([name, v, size]): [string, Float32Array, Size] => [`d${name[0].toUpperCase()}${name.slice(1)}`, v, size]);
  const ptrs = addresses(rt, fn, p, [...grads, ['dK', dK, 'HL'], ...params(logDt, invAReal, AImag, B, C)]);
  const { channels: H, modes: N2, length: L } = p;
  withExponentials(rt, logDt, invAReal, p, (dt, ar) =>
    rt.run(
      's4dKernelBackwardF32',
      [...ptrs.slice(0, 6), dt, ar, ...ptrs.slice(8), H, N2, L],
      Math.ceil(H / 2),
      H * N2 * L * COST.backward < PARALLEL_MIN_WORK,
    ),
  );
}
