// A checkpoint held in memory rather than in a folder: what a browser has after a file picker or a fetch.
// Same validation as loadCheckpoint (config schema, every tensor checked before any is loaded), no file system.
import { decodeSafetensors, type Backend } from '@hippo/tensor';
import { parseModelConfig } from './config.js';
import { HybridLM } from './hybrid-lm.js';
import { loadWeights } from './load-weights.js';

/**
 * Builds the model described by a checkpoint's `config.json` (its parsed JSON) on `backend` and loads the
 * weights of its `model.safetensors` (the file's bytes). `names` label the two files in error messages.
 * @example
 * const [cfg, st] = await Promise.all([fetch(`${url}/config.json`).then((r) => r.json()), fetch(`${url}/model.safetensors`).then((r) => r.arrayBuffer())]);
 * const { model } = modelFromCheckpointBytes(cfg, new Uint8Array(st), backend);
 */
export function modelFromCheckpointBytes(
  configJson: unknown,
  safetensors: Uint8Array,
  backend: Backend,
  names: { config?: string; weights?: string } = {},
): { model: HybridLM; metadata: Record<string, string> } {
  const config = parseModelConfig(configJson, names.config ?? 'config.json');
  const source = names.weights ?? 'model.safetensors';
  const file = decodeSafetensors(safetensors, source);
  const model = new HybridLM(config, { backend });
  loadWeights(model, file.tensors, source);
  return { model, metadata: file.metadata };
}
