// Broadcast binary ops on the WebAssembly CPU runtime (src/wasm/assembly/binary.ts): the plan is copied
// into WebAssembly memory for the kernel; chunks of 16K outputs.
import type { WasmRuntime } from '../../wasm/runtime.js';
import type { BinaryOp } from './binary.ref.js';
import { MAX_RANK, type BroadcastPlan } from './broadcast.js';

const OP_ID: Record<BinaryOp, number> = { add: 0, sub: 1, mul: 2, div: 3 };
const PER = 1 << 14;

/** Largest element index + 1 that a plan reads through `strides`. */
function extent(dims: readonly number[], strides: readonly number[]): number {
  let last = 0;
  for (let d = 0; d < dims.length; d++) last += (dims[d] - 1) * strides[d];
  return last + 1;
}

/**
 * out [plan.size] = a ∘ b with NumPy broadcasting, as binaryRef, bit for bit (one f32 operation per element).
 * @example binaryWasm(rt, 'add', out, a, b, planBroadcast('add', [2, 3], [3]));
 */
export function binaryWasm(rt: WasmRuntime, op: BinaryOp, out: Float32Array, a: Float32Array, b: Float32Array, plan: BroadcastPlan): void {
  if (plan.size === 0) return;
  // a scalar result has no dims after merging: treat it as one dim of length 1
  const dims = plan.dims.length > 0 ? plan.dims : [1];
  const as = plan.dims.length > 0 ? plan.aStrides : [0];
  const bs = plan.dims.length > 0 ? plan.bStrides : [0];
  const outPtr = rt.arg(out, plan.size, op, 'out');
  const aPtr = rt.arg(a, extent(dims, as), op, 'a');
  const bPtr = rt.arg(b, extent(dims, bs), op, 'b');
  const layout = rt.allocI32(1 + 3 * MAX_RANK); // [rank, dims, aStrides, bStrides], see binary.ts
  try {
    layout[0] = dims.length;
    layout.set(dims, 1);
    layout.set(as, 1 + MAX_RANK);
    layout.set(bs, 1 + 2 * MAX_RANK);
    rt.runItems('binaryF32', [OP_ID[op], outPtr, aPtr, bPtr, layout.byteOffset, plan.size], plan.size, PER);
  } finally {
    rt.free(layout);
  }
}
