// The numbers a run ends with, shared by the terminal and the web page: speed, and the state memory of this
// model against a same-size Transformer's KV cache.
import type { ModelConfig } from '@hippo/models';
import { formatBytes, stateMemory } from './state-memory.js';

export interface RunTimes {
  promptTokens: number;
  newTokens: number;
  prefillMs: number;
  decodeMs: number;
}

/** New tokens per second of the whole run (the first new token comes from the prompt's parallel pass). */
export function tokensPerSecond(t: RunTimes): number {
  const s = (t.prefillMs + t.decodeMs) / 1000;
  return s > 0 ? t.newTokens / s : 0;
}

/**
 * One line: "32 tokens in 1.20 s, 26.7 tokens/s (prompt 5 tokens, prefill 80 ms) · backend … · state memory
 * at 37 tokens: 64.0 KiB (H3 state 32.0 KiB, constant; KV cache 32.0 KiB) vs 128.0 KiB of KV cache for a
 * Transformer of the same size".
 */
export function reportLine(config: ModelConfig, t: RunTimes, backend: string): string {
  const total = t.promptTokens + t.newTokens;
  const m = stateMemory(config, total);
  const secs = ((t.prefillMs + t.decodeMs) / 1000).toFixed(2);
  const kv = m.kvBytes > 0 ? `; KV cache ${formatBytes(m.kvBytes)}` : '';
  return (
    `${t.newTokens} tokens in ${secs} s, ${tokensPerSecond(t).toFixed(1)} tokens/s (prompt ${t.promptTokens} tokens, prefill ${Math.round(t.prefillMs)} ms)` +
    ` · backend ${backend}` +
    ` · state memory at ${total} tokens: ${formatBytes(m.totalBytes)} (SSM state ${formatBytes(m.ssmBytes)}, constant${kv})` +
    ` vs ${formatBytes(m.transformerKvBytes)} of KV cache for a Transformer of the same size`
  );
}
