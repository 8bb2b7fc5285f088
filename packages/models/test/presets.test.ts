import { referenceBackend } from '@hippo/tensor';
import { describe, expect, it } from 'vitest';
import { HybridLM, PRESET_NAMES, countParameters, modelPreset, paddedVocab, parseModelConfig } from '../src/index.js';

describe('presets and parameter counts', () => {
  it('match the official figures (§6.2 of the reference)', () => {
    expect(countParameters(modelPreset('h3-125m'))).toBe(126_387_456);
    expect(countParameters(modelPreset('h3-125m', { variant: 'training' }))).toBe(126_139_392);
    expect(countParameters(modelPreset('h3-355m'))).toBe(361_058_304);
    expect(countParameters(modelPreset('h3-1.3b'))).toBe(1_326_096_384);
    expect(countParameters(modelPreset('h3-2.7b'))).toBe(2_670_307_840);
    expect(countParameters(modelPreset('h3-2.7b', { rotary: true }))).toBe(2_671_134_720);
    expect(modelPreset('h3-2.7b', { rotary: true })).toMatchObject({ attnLayerIdx: [10, 21], rotaryDim: 64 });
    expect(paddedVocab(modelPreset('h3-125m'))).toBe(50264);
  });

  it('the built 125M hybrid has 126,387,456 parameters with the official names', () => {
    const model = new HybridLM(modelPreset('h3-125m'), { backend: referenceBackend() });
    expect(model.numParameters()).toBe(126_387_456);
    const names = new Set(model.stateDict().keys());
    for (const k of [
      'backbone.embeddings.word_embeddings.weight',
      'backbone.layers.0.mixer.kernel.kernel.log_dt',
      'backbone.layers.0.mixer.ssm_k_kernel.kernel.B',
      'backbone.layers.6.mixer.Wqkv.weight',
      'backbone.layers.6.mixer.out_proj.bias',
      'backbone.layers.11.mlp.fc2.weight',
      'backbone.layers.11.norm2.bias',
      'backbone.ln_f.weight',
    ])
      expect(names.has(k), k).toBe(true);
    expect(names.has('lm_head.weight')).toBe(false); // tied to the embedding
  });

  it('every tiny preset builds with the counted number of parameters', () => {
    for (const name of PRESET_NAMES.filter((n) => n.endsWith('-tiny'))) {
      const cfg = modelPreset(name);
      expect(new HybridLM(cfg, { backend: referenceBackend() }).numParameters(), name).toBe(countParameters(cfg));
    }
  });

  it('rejects invalid configurations naming every bad field', () => {
    expect(() => parseModelConfig({ dModel: 64, nLayer: 2, dInner: 256, attnHeads: 5, attnLayerIdx: [2, 2] }, 'cfg.json')).toThrow(
      /cfg\.json is invalid:[\s\S]*attnLayerIdx: layer index 2 is outside 0\.\.1[\s\S]*attnLayerIdx: contains a layer twice[\s\S]*attnHeads: 5 heads do not divide dModel 64/,
    );
    expect(() => parseModelConfig({ dModel: 64, nLayer: 2, dInner: 256, attnHeads: 4, colour: 'red' })).toThrow(/colour/);
    expect(() => modelPreset('h3-7b')).toThrow(/unknown model preset 'h3-7b'; expected one of h3-tiny/);
    expect(() => modelPreset('h3-125m', { rotary: true })).toThrow(/only for the 2.7B/);
  });
});

describe('state memory per sequence', () => {
  it('is constant for H3 layers and grows by 2·L·d floats per attention layer; matches the live states', async () => {
    const { stateBytes, HybridLM: LM } = await import('../src/index.js');
    const cfg = modelPreset('h3-125m');
    const at = (L: number) => stateBytes(cfg, L);
    expect(at(1536).ssm).toBe(11 * 4 * (768 * 64 * 2)); // 11 H3 layers: shift history + 32 complex modes per channel
    expect(at(1536).kvCache).toBe(4 * 2 * 1536 * 768); // one attention layer
    expect(stateBytes(modelPreset('transformer-125m'), 1536)).toEqual({ ssm: 0, kvCache: 12 * 4 * 2 * 1536 * 768, total: 12 * 4 * 2 * 1536 * 768 });
    // the live states of a small hybrid after a 9-token prompt hold exactly that much (cache at its capacity)
    const small = modelPreset('h3-tiny', { overrides: { vocabSize: 50, headDim: 2 } });
    const model = new LM(small, { backend: referenceBackend() });
    const { states } = model.prefill(Int32Array.from({ length: 9 }, (_, i) => i), 1, 9);
    let ssmFloats = 0;
    let kvFloats = 0;
    for (const s of states) {
      const st = s as unknown as { shift?: { size: number }; diag?: { size: number }; k?: { size: number; shape: number[] }; lengths?: Int32Array };
      if (st.k) kvFloats += (2 * st.k.size * st.lengths![0]) / st.k.shape[2];
      else ssmFloats += st.shift!.size + st.diag!.size;
      s.dispose();
    }
    expect(4 * ssmFloats).toBe(stateBytes(small, 9).ssm);
    expect(4 * kvFloats).toBe(stateBytes(small, 9).kvCache);
  });
});
