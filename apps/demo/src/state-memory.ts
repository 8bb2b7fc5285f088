// What generation keeps in memory per sequence, for the page's chart and the terminal's last line: the point
// of H3 (Fu, Dao et al. 2023, §3.3: an SSM is an RNN at inference) is that its state does not grow with the
// text, while every attention layer's KV cache grows by one key and one value per token. The per-layer
// formula is @hippo/models' stateBytes; this adds the same-size Transformer to compare against.
import { stateBytes, type ModelConfig } from '@hippo/models';

export interface StateMemory {
  /** Bytes of the recurrent SSM states (H3, S4D, shift) of this model: constant in the text length. */
  ssmBytes: number;
  /** Bytes of this model's attention KV caches holding `tokens` tokens (the hybrid's few attention layers). */
  kvBytes: number;
  /** ssmBytes + kvBytes. */
  totalBytes: number;
  /** Bytes of the KV caches of a Transformer of the same size (every layer attention) holding `tokens` tokens. */
  transformerKvBytes: number;
}

/**
 * The generation state of one sequence after `tokens` tokens (prompt and generated), in bytes of float32:
 * - H3 layer: shift-SSM history [d, N] + diagonal-SSM modes [m², d/m, N/2, 2] (m = headDim) = (1 + m)·d·N;
 * - S4D layer: modes [d, N/2, 2] = d·N; shift-gated layer: history [d, N] = d·N;
 * - attention layer: keys and values [heads, tokens, head_dim] each = 2·tokens·d.
 * Counts what is logically held: a KV cache that grows by doubling may have reserved up to twice as much.
 * @example stateMemory(modelPreset('h3-125m'), 1024) // { ssmBytes: 4_325_376 (11 H3 layers), kvBytes: 6_291_456, transformerKvBytes: 75_497_472, … }
 */
export function stateMemory(config: ModelConfig, tokens: number): StateMemory {
  if (!Number.isInteger(tokens) || tokens < 0) throw new Error(`stateMemory: tokens must be a non-negative integer; got ${tokens}`);
  const own = stateBytes(config, tokens);
  const allAttention = { ...config, attnLayerIdx: Array.from({ length: config.nLayer }, (_, i) => i) };
  return { ssmBytes: own.ssm, kvBytes: own.kvCache, totalBytes: own.total, transformerKvBytes: stateBytes(allAttention, tokens).kvCache };
}

/** 1536 → "1.5 KiB", 3·2²⁰ → "3.0 MiB". */
export function formatBytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB'];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) {
    n /= 1024;
    i++;
  }
  return i === 0 ? `${n} B` : `${n.toFixed(1)} ${units[i]}`;
}
