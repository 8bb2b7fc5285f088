// How much memory one sequence's generation state takes after `length` tokens: constant for H3 and the other
// SSM mixers (their recurrent state), growing for attention (its KV cache) — the reason hybrid models decode
// in O(1) memory per token where a Transformer does not.
import { mixerAt, type ModelConfig } from './config.js';

/** Bytes of float32 state per sequence after `length` tokens, split by kind. */
export function stateBytes(c: ModelConfig, length: number): { ssm: number; kvCache: number; total: number } {
  const d = c.dModel;
  const N = c.dState;
  let ssm = 0;
  let kvCache = 0;
  for (let i = 0; i < c.nLayer; i++) {
    const kind = mixerAt(c, i);
    // H3: shift history [d, N] + modes [m²·H, N/2, 2] with H = d/m; S4D: modes [d, N/2, 2]; shift-gated: history
    if (kind === 'h3') ssm += 4 * (d * N + c.headDim * d * N);
    else if (kind === 's4d') ssm += 4 * d * N;
    else if (kind === 'shift-gated') ssm += 4 * d * N;
    else kvCache += 4 * 2 * length * d;
  }
  return { ssm, kvCache, total: ssm + kvCache };
}
