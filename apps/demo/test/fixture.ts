// A tiny hybrid checkpoint for the demo's tests: GPT-2's vocabulary (so prompts are real text), an H3 layer
// then an attention layer, d = 32 (about 6.5 MB on disk; two layers keep the browser's WebGPU steps short). Random weights from a seed: the
// tests compare generations of the same weights, not their quality.
import { HybridLM, modelPreset, saveCheckpoint } from '@hippo/models';
import { referenceBackend } from '@hippo/tensor';

export const FIXTURE_CONFIG = modelPreset('h3-tiny', {
  overrides: { name: 'demo-fixture', dModel: 32, nLayer: 2, attnLayerIdx: [1], attnHeads: 2, dInner: 128, embedDropout: 0, residDropout: 0 },
});

/** Writes dir/config.json and dir/model.safetensors of the fixture model initialised from `seed`. */
export async function writeFixtureCheckpoint(dir: string, seed: number): Promise<HybridLM> {
  const model = new HybridLM(FIXTURE_CONFIG, { backend: referenceBackend(), seed });
  await saveCheckpoint(dir, model, { purpose: 'hippo demo test fixture', seed: String(seed) });
  return model;
}
