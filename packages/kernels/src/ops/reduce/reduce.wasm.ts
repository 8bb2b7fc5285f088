// Reductions on the WebAssembly CPU runtime (src/wasm/assembly/reduce.ts): rows (inner = 1) in blocks,
// columns (inner > 1) in tiles of 1024 per outer index.
import type { WasmRuntime } from '../../wasm/runtime.js';
import { PARALLEL_MIN_WORK } from '../../wasm/runtime.js';
import type { ReduceOp, ReduceParams } from './reduce.ref.js';

const OP_ID: Record<ReduceOp, number> = { sum: 0, mean: 1, max: 2 };
/** Columns per chunk of reduceColsF32 (REDUCE_COLS there). */
const COLS = 1024;

/**
 * out [outer, inner] = op over n of x viewed as [outer, n, inner], as reduceRef (f64 sums). With inner > 1
 * the rows are added in the reference's order (its bits); with inner = 1 in eight f64 lanes (differs from
 * the reference only where the f64 sums round to different f32 values).
 * @example reduceWasm(rt, 'sum', out, x, { outer: 4, n: 10, inner: 1 });
 */
export function reduceWasm(rt: WasmRuntime, op: ReduceOp, out: Float32Array, x: Float32Array, p: ReduceParams): void {
  const { outer, n, inner } = p;
  const outPtr = rt.arg(out, outer * inner, op, 'out');
  const xPtr = rt.arg(x, outer * n * inner, op, 'x');
  if (outer * inner === 0) return;
  if (inner === 1) {
    rt.runItems('reduceRowsF32', [OP_ID[op], outPtr, xPtr, outer, n], outer, Math.max(1, Math.floor((1 << 14) / Math.max(n, 1))), n);
  } else {
    const chunks = outer * Math.ceil(inner / COLS);
    rt.run('reduceColsF32', [OP_ID[op], outPtr, xPtr, outer, n, inner], chunks, outer * n * inner < PARALLEL_MIN_WORK);
  }
}
