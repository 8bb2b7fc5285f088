// A tiny hybrid checkpoint for the tests, made on the spot: h3-tiny cut to two layers (H3, then attention), the
// GPT-2 vocabulary padded to 50264 rows. `padScale` multiplies the seven padding rows of the tied embedding,
// so that their logits dwarf the real ones: a scorer that forgot to exclude them gets visibly wrong numbers.
import { join } from 'node:path';
import { HybridLM, WEIGHTS_FILE, modelPreset, saveCheckpoint, type ModelConfig } from '@hippo/models';
import { fromFloat32, readSafetensors, toFloat32, writeSafetensors, type Backend } from '@hippo/tensor';

/** h3-tiny with 2 layers: d 128, layer 0 H3, layer 1 attention. */
export function tinyConfig(): ModelConfig {
  return modelPreset('h3-tiny', { overrides: { nLayer: 2, attnLayerIdx: [1] } });
}

/** Saves a freshly initialised tiny model to `dir` (config.json + model.safetensors). */
export async function makeTinyCheckpoint(dir: string, backend: Backend, seed: number, padScale = 1, config = tinyConfig()): Promise<void> {
  await saveCheckpoint(dir, new HybridLM(config, { backend, seed }));
  if (padScale === 1) return;
  const path = join(dir, WEIGHTS_FILE);
  const file = await readSafetensors(path);
  const name = 'backbone.embeddings.word_embeddings.weight';
  const raw = file.tensors.get(name)!;
  const w = toFloat32(raw); // [V_pad, d]
  const d = raw.shape[1];
  w.subarray(config.vocabSize * d).forEach((x, i, a) => (a[i] = padScale * x));
  file.tensors.set(name, fromFloat32(w, raw.shape));
  await writeSafetensors(path, file.tensors, file.metadata);
}
