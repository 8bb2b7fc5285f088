// Elementwise unary ops on the WebAssembly CPU runtime (src/wasm/assembly/unary.ts), in chunks of 16K elements.
import type { WasmRuntime } from '../../wasm/runtime.js';
import { UNARY_OP_IDS, unaryAlpha, type UnaryOp, type UnaryParams } from './unary.ref.js';

/** Ops that evaluate exp or log (~8 ns per element instead of ~1) parallelise earlier. */
const COST: Partial<Record<UnaryOp, number>> = { exp: 8, log: 8, gelu: 8, tanh: 8, sigmoid: 8, dropout: 4 };
const PER = 1 << 14;

/**
 * out [n] = f(x [n]) in float32 on views of rt's memory, as unaryRef: neg, sqrt, square, relu, scale,
 * addScalar and dropout give the reference's bits; exp, log, tanh, sigmoid and gelu are within a few ulp.
 * @example unaryWasm(rt, 'gelu', out, x, { n: x.length });
 */
export function unaryWasm(rt: WasmRuntime, op: UnaryOp, out: Float32Array, x: Float32Array, p: UnaryParams): void {
  const args = [UNARY_OP_IDS[op], rt.arg(out, p.n, op, 'out'), rt.arg(x, p.n, op, 'x'), p.n, unaryAlpha(op, p), (p.seed ?? 0) | 0];
  rt.runItems('unaryF32', args, p.n, PER, COST[op]);
}

/** dx [n] = dy · f'(x) (y = f(x) given too), as unaryBackwardRef; exact except for gelu (a few ulp). */
export function unaryBackwardWasm(
  rt: WasmRuntime,
  op: UnaryOp,
  dx: Float32Array,
  x: Float32Array,
  y: Float32Array,
  dy: Float32Array,
  p: UnaryParams,
): void {
  const { n } = p;
  const args = [UNARY_OP_IDS[op], rt.arg(dx, n, op, 'dx'), rt.arg(x, n, op, 'x'), rt.arg(y, n, op, 'y'), rt.arg(dy, n, op, 'dy'), n, unaryAlpha(op, p), (p.seed ?? 0) | 0];
  rt.runItems('unaryBackwardF32', args, n, PER, COST[op]);
}
