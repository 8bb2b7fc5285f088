// AdamW on the WebAssembly CPU runtime (src/wasm/assembly/adamw.ts), in chunks of 16K parameters.
import type { WasmRuntime } from '../../wasm/runtime.js';
import type { AdamWParams } from './adamw.ref.js';

/**
 * One AdamW step in place on param, m, v [n] from grad [n], bit-identical to adamwRef (same f64 arithmetic,
 * the same constants computed the same way).
 * @example adamwWasm(rt, param, grad, m, v, { n, lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.01, step: 1, gradScale: 1 });
 */
export function adamwWasm(rt: WasmRuntime, param: Float32Array, grad: Float32Array, m: Float32Array, v: Float32Array, p: AdamWParams): void {
  const { n, lr, beta1, beta2 } = p;
  const ptrs = [rt.arg(param, n, 'adamw', 'param'), rt.arg(grad, n, 'adamw', 'grad'), rt.arg(m, n, 'adamw', 'm'), rt.arg(v, n, 'adamw', 'v')];
  const consts = [lr, beta1, beta2, 1 - beta1, 1 - beta2, p.eps, 1 - lr * p.weightDecay, 1 - beta1 ** p.step, 1 - beta2 ** p.step, p.gradScale];
  rt.runItems('adamwF32', [...ptrs, n, ...consts], n, 1 << 14, 2);
}
