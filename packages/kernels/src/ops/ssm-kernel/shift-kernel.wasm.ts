// The shift SSM's kernel and its backward on the WebAssembly CPU runtime (src/wasm/assembly/ssm-shift-kernel.ts):
// chunks of channels spread over the runtime's threads, two outputs per f64x2 register. The sums are the
// reference's float64 sums in its order, rounded once: the same bits as shiftKernelRef / shiftKernelBackwardRef
// on the same f32 inputs, for any thread count.
import { ShapeError } from '../../errors.js';
import type { WasmRuntime } from '../../wasm/runtime.js';
import { shiftKernelLength, type ShiftKernelParams } from './shift-kernel.ref.js';

/** Channels per chunk: ~N·Lk multiply-adds each (4096 at H3's N = 64), so a chunk is ~10-20 µs. */
const PER = 16;

/** Checks p and the arrays' lengths ([H, N] or [H, Lk]); returns their addresses in argument order. */
function addresses(rt: WasmRuntime, fn: string, p: ShiftKernelParams, arrays: [string, Float32Array, 'HN' | 'HLk'][]): number[] {
  for (const [name, v] of Object.entries(p))
    if (!Number.isInteger(v) || v < 1) throw new ShapeError(fn, name, 'a positive integer', String(v));
  const sizes = { HN: p.channels * p.state, HLk: p.channels * shiftKernelLength(p) };
  return arrays.map(([name, view, size]) => rt.arg(view, sizes[size], fn, name));
}

/**
 * k [H, Lk] with k[h, j] = Σ_m B[h, m]·C[h, m + j] (Lk = min(N, L); the contract of shiftKernelRef) from B, C
 * [H, N], all f32 views of rt's memory; the same bits as shiftKernelRef on these inputs.
 * @example shiftKernelWasm(rt, k, B, C, { channels: 768, state: 64, length: 1024 }); // k [768, 64]
 */
export function shiftKernelWasm(rt: WasmRuntime, k: Float32Array, B: Float32Array, C: Float32Array, p: ShiftKernelParams): void {
  const fn = 'shiftKernelWasm';
  const ptrs = addresses(rt, fn, p, [
    ['k', k, 'HLk'],
    ['B', B, 'HN'],
    ['C', C, 'HN'],
  ]);
  const Lk = shiftKernelLength(p);
  rt.runItems('shiftKernelF32', [...ptrs, p.channels, p.state, Lk], p.channels, PER, p.state * Lk);
}

/**
 * The gradients of Σ dk·k for shiftKernelWasm (the contract of shiftKernelBackwardRef), overwriting dB, dC
 * [H, N] from dk [H, Lk], B, C [H, N], all f32 views of rt's memory; the same bits as the reference.
 * @example shiftKernelBackwardWasm(rt, dB, dC, dk, B, C, { channels: 768, state: 64, length: 1024 });
 */
export function shiftKernelBackwardWasm(
  rt: WasmRuntime,
  dB: Float32Array,
  dC: Float32Array,
  dk: Float32Array,
  B: Float32Array,
  C: Float32Array,
  p: ShiftKernelParams,
): void {
  const fn = 'shiftKernelBackwardWasm';
  const ptrs = addresses(rt, fn, p, [
    ['dB', dB, 'HN'],
    ['dC', dC, 'HN'],
    ['dk', dk, 'HLk'],
    ['B', B, 'HN'],
    ['C', C, 'HN'],
  ]);
  const Lk = shiftKernelLength(p);
  rt.runItems('shiftKernelBackwardF32', [...ptrs, p.channels, p.state, Lk], p.channels, PER, 2 * p.state * Lk);
}
