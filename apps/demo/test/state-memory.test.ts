// stateMemory is a formula; these tests hold it to the tensors generation really keeps, read off the states
// a model's prefill returns (per sequence: batch 1), for each mixer kind and for multi-head H3.
import { testSeed } from '@hippo/kernels/testing';
import { HybridLM, KvCache, modelPreset, type ModelConfig } from '@hippo/models';
import { H3State, S4DMixerState, ShiftGatedState, type MixerState } from '@hippo/ssm-layers';
import { cpuBackend, noGrad } from '@hippo/tensor';
import { describe, expect, it } from 'vitest';
import { formatBytes, stateMemory } from '../src/state-memory.js';

const seed = testSeed();

/** Bytes of per-sequence state in the states after `L` prompt tokens, by kind (float32). */
function measured(states: MixerState[], L: number): { ssm: number; kv: number } {
  let ssm = 0;
  let kv = 0;
  for (const s of states) {
    if (s instanceof KvCache) {
      expect(Array.from(s.lengths)).toEqual([L]);
      expect(s.capacity).toBeGreaterThanOrEqual(L);
      const [, heads, , headDim] = s.k.shape;
      kv += 2 * heads * L * headDim * 4; // the filled part of k and v
    } else if (s instanceof H3State) ssm += (s.shift.size + s.diag.size) * 4;
    else if (s instanceof S4DMixerState) ssm += s.modes.size * 4;
    else if (s instanceof ShiftGatedState) ssm += s.history.size * 4;
    else throw new Error(`unknown state ${s.constructor.name}`);
  }
  return { ssm, kv };
}

const small = { dModel: 16, dInner: 32, attnHeads: 2, vocabSize: 64, dState: 8 };
const configs: [string, ModelConfig][] = [
  ['hybrid H3 (attention at 1)', modelPreset('h3-tiny', { overrides: { ...small, nLayer: 3, attnLayerIdx: [1] } })],
  ['multi-head H3 (headDim 2), no attention', modelPreset('h3-tiny', { overrides: { ...small, nLayer: 2, attnLayerIdx: [], headDim: 2 } })],
  ['S4D', modelPreset('s4d-tiny', { overrides: { ...small, nLayer: 2 } })],
  ['shift-gated + attention', modelPreset('h3-tiny', { overrides: { ...small, nLayer: 2, mixer: 'shift-gated', attnLayerIdx: [0] } })],
  ['Transformer', modelPreset('transformer-tiny', { overrides: { ...small, nLayer: 2 } })],
];

describe('stateMemory', () => {
  for (const [name, config] of configs) {
    it(`${name}: equals the state tensors a prefill of 1, 5 and 13 tokens keeps`, () => {
      const model = new HybridLM(config, { backend: cpuBackend(), seed });
      model.eval();
      for (const L of [1, 5, 13]) {
        const ids = Int32Array.from({ length: L }, (_, i) => (i * 7 + 1) % config.vocabSize);
        const { logits, states } = noGrad(() => model.prefill(ids, 1, L));
        const got = measured(states, L);
        const want = stateMemory(config, L);
        expect(want.ssmBytes, `${name} SSM bytes at ${L}`).toBe(got.ssm);
        expect(want.kvBytes, `${name} KV bytes at ${L}`).toBe(got.kv);
        expect(want.totalBytes).toBe(got.ssm + got.kv);
        logits.dispose();
        for (const s of states) s.dispose();
      }
    });
  }

  it('the same-size Transformer holds every layer as attention; the SSM part does not grow', () => {
    const c = configs[0][1];
    const t = modelPreset('transformer-tiny', { overrides: { ...small, nLayer: 3 } });
    for (const L of [0, 1, 100, 4096]) {
      expect(stateMemory(c, L).transformerKvBytes).toBe(stateMemory(t, L).kvBytes);
      expect(stateMemory(c, L).ssmBytes).toBe(stateMemory(c, 0).ssmBytes);
    }
    // h3-125m at 2048 tokens: 11 H3 layers · 2·768·64·4 B = 4.1 MiB; 1 attention layer 2·2048·768·4 B = 12 MiB;
    // a Transformer's 12 layers: 144 MiB
    const m = stateMemory(modelPreset('h3-125m'), 2048);
    expect(m.ssmBytes).toBe(11 * 2 * 768 * 64 * 4);
    expect(m.kvBytes).toBe(2 * 2048 * 768 * 4);
    expect(m.transformerKvBytes).toBe(12 * 2 * 2048 * 768 * 4);
    expect(() => stateMemory(c, -1)).toThrow(/non-negative integer; got -1/);
  });

  it('formats bytes', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(144 * 2 ** 20)).toBe('144.0 MiB');
  });
});
