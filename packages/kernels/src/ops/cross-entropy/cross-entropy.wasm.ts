// Softmax cross-entropy on the WebAssembly CPU runtime (src/wasm/assembly/cross-entropy.ts), in blocks of rows.
import type { WasmRuntime } from '../../wasm/runtime.js';
import type { CrossEntropyParams } from './cross-entropy.ref.js';

const rowsPer = (vocab: number) => Math.max(1, Math.floor((1 << 14) / Math.max(vocab, 1)));

/** Throws unless every target is −1 (ignore) or a class index: the kernel reads logits[r, target]. */
function checkTargets(targets: Int32Array, rows: number, vocab: number): void {
  for (let r = 0; r < rows; r++) {
    const t = targets[r];
    if (!(t >= -1 && t < vocab)) throw new RangeError(`crossEntropy: target ${t} at row ${r} is outside [0, ${vocab}) (−1 = ignore)`);
  }
}

/**
 * losses [rows] = logsumexp(logits[r]) − logits[r, targets[r]] (0 where the target is < 0), as
 * crossEntropyForwardRef (exp within 2 ulp, sums and log in f64).
 * @example crossEntropyForwardWasm(rt, losses, logits, targets, { rows: 32, vocab: 50257 });
 */
export function crossEntropyForwardWasm(rt: WasmRuntime, losses: Float32Array, logits: Float32Array, targets: Int32Array, p: CrossEntropyParams): void {
  const { rows, vocab } = p;
  const fn = 'crossEntropy';
  const tPtr = rt.arg(targets, rows, fn, 'targets');
  checkTargets(targets, rows, vocab);
  const args = [rt.arg(losses, rows, fn, 'losses'), rt.arg(logits, rows * vocab, fn, 'logits'), tPtr, rows, vocab];
  rt.runItems('crossEntropyForwardF32', args, rows, rowsPer(vocab), 8 * vocab);
}

/** dlogits [rows, vocab] = (softmax(logits) − onehot(targets)) · dlosses [rows], as crossEntropyBackwardRef. */
export function crossEntropyBackwardWasm(
  rt: WasmRuntime,
  dlogits: Float32Array,
  logits: Float32Array,
  targets: Int32Array,
  dlosses: Float32Array,
  p: CrossEntropyParams,
): void {
  const { rows, vocab } = p;
  const fn = 'crossEntropy backward';
  const tPtr = rt.arg(targets, rows, fn, 'targets');
  checkTargets(targets, rows, vocab);
  const args = [rt.arg(dlogits, rows * vocab, fn, 'dlogits'), rt.arg(logits, rows * vocab, fn, 'logits'), tPtr, rt.arg(dlosses, rows, fn, 'dlosses'), rows, vocab];
  rt.runItems('crossEntropyBackwardF32', args, rows, rowsPer(vocab), 10 * vocab);
}
