// Layer normalisation on the WebAssembly CPU runtime (src/wasm/assembly/layernorm.ts): rows in blocks;
// the parameter gradients by tiles of 1024 columns, each summing every row in order.
import { PARALLEL_MIN_WORK, type WasmRuntime } from '../../wasm/runtime.js';
import type { LayerNormParams } from './layernorm.ref.js';

/** Columns per chunk of the parameter gradients (LN_COLS there). */
const COLS = 1024;
const rowsPer = (dim: number) => Math.max(1, Math.floor((1 << 14) / Math.max(dim, 1)));

/**
 * out [rows, dim] = (x − mean)·rstd·weight [dim] + bias [dim], also writing mean [rows] and rstd [rows], as
 * layerNormForwardRef (f64 arithmetic; only the order of the row sums differs).
 * @example layerNormForwardWasm(rt, out, mean, rstd, x, w, b, { rows: 16, dim: 64, eps: 1e-5 });
 */
export function layerNormForwardWasm(
  rt: WasmRuntime,
  out: Float32Array,
  mean: Float32Array,
  rstd: Float32Array,
  x: Float32Array,
  weight: Float32Array,
  bias: Float32Array,
  p: LayerNormParams,
): void {
  const { rows, dim } = p;
  const fn = 'layerNorm';
  const args = [
    rt.arg(out, rows * dim, fn, 'out'),
    rt.arg(mean, rows, fn, 'mean'),
    rt.arg(rstd, rows, fn, 'rstd'),
    rt.arg(x, rows * dim, fn, 'x'),
    rt.arg(weight, dim, fn, 'weight'),
    rt.arg(bias, dim, fn, 'bias'),
    rows,
    dim,
    p.eps,
  ];
  rt.runItems('layerNormForwardF32', args, rows, rowsPer(dim), 3 * dim);
}

/**
 * dx [rows, dim], dweight [dim], dbias [dim] from dy and the forward's x, weight, mean, rstd, as
 * layerNormBackwardRef; dweight and dbias add the rows in the reference's order (its bits).
 */
export function layerNormBackwardWasm(
  rt: WasmRuntime,
  dx: Float32Array,
  dweight: Float32Array,
  dbias: Float32Array,
  dy: Float32Array,
  x: Float32Array,
  weight: Float32Array,
  mean: Float32Array,
  rstd: Float32Array,
  p: LayerNormParams,
): void {
  const { rows, dim } = p;
  const fn = 'layerNorm backward';
  const dyPtr = rt.arg(dy, rows * dim, fn, 'dy');
  const xPtr = rt.arg(x, rows * dim, fn, 'x');
  const meanPtr = rt.arg(mean, rows, fn, 'mean');
  const rstdPtr = rt.arg(rstd, rows, fn, 'rstd');
  const rowArgs = [rt.arg(dx, rows * dim, fn, 'dx'), dyPtr, xPtr, rt.arg(weight, dim, fn, 'weight'), meanPtr, rstdPtr, rows, dim];
  rt.runItems('layerNormBackwardRowsF32', rowArgs, rows, rowsPer(dim), 4 * dim);
  const colArgs = [rt.arg(dweight, dim, fn, 'dweight'), rt.arg(dbias, dim, fn, 'dbias'), dyPtr, xPtr, meanPtr, rstdPtr, rows, dim];
  rt.run('layerNormBackwardColsF32', colArgs, Math.ceil(dim / COLS), 2 * rows * dim < PARALLEL_MIN_WORK);
}
