// Softmax on the WebAssembly CPU runtime (src/wasm/assembly/softmax.ts), in blocks of rows.
import type { WasmRuntime } from '../../wasm/runtime.js';
import type { SoftmaxParams } from './softmax.ref.js';

/** Rows per chunk: about 16K elements. */
const rowsPer = (dim: number) => Math.max(1, Math.floor((1 << 14) / Math.max(dim, 1)));

/**
 * out [rows, dim] = softmax(x) over the last axis, as softmaxForwardRef (exp within 2 ulp, sums in f64).
 * @example softmaxForwardWasm(rt, y, x, { rows: 8, dim: 128 });
 */
export function softmaxForwardWasm(rt: WasmRuntime, out: Float32Array, x: Float32Array, p: SoftmaxParams): void {
  const n = p.rows * p.dim;
  const args = [rt.arg(out, n, 'softmax', 'out'), rt.arg(x, n, 'softmax', 'x'), p.rows, p.dim];
  rt.runItems('softmaxForwardF32', args, p.rows, rowsPer(p.dim), 8 * p.dim);
}

/** dx [rows, dim] = y ⊙ (dy − Σ dy·y) per row, as softmaxBackwardRef (f64 arithmetic, one rounding). */
export function softmaxBackwardWasm(rt: WasmRuntime, dx: Float32Array, y: Float32Array, dy: Float32Array, p: SoftmaxParams): void {
  const n = p.rows * p.dim;
  const args = [rt.arg(dx, n, 'softmax', 'dx'), rt.arg(y, n, 'softmax', 'y'), rt.arg(dy, n, 'softmax', 'dy'), p.rows, p.dim];
  rt.runItems('softmaxBackwardF32', args, p.rows, rowsPer(p.dim), 2 * p.dim);
}
