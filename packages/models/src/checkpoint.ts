// Checkpoints: a folder holding `model.safetensors` (weights by parameter name) and `config.json` (the model
// configuration), each written to a temporary file and renamed, so a crash leaves the old checkpoint whole.
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readSafetensors, saveModule, writeFileAtomic, type Backend } from '@hippo/tensor';
import { parseModelConfig, type ModelConfig } from './config.js';
import { HybridLM } from './hybrid-lm.js';
import { loadWeights } from './load-weights.js';

export const WEIGHTS_FILE = 'model.safetensors';
export const CONFIG_FILE = 'config.json';

/** Writes dir/config.json and dir/model.safetensors atomically; `metadata` goes into the safetensors header. */
export async function saveCheckpoint(dir: string, model: HybridLM, metadata: Record<string, string> = {}): Promise<void> {
  await mkdir(dir, { recursive: true });
  await writeFileAtomic(join(dir, CONFIG_FILE), `${JSON.stringify(model.config, null, 2)}\n`);
  await saveModule(join(dir, WEIGHTS_FILE), model, { format: 'hippo', model: model.config.name, ...metadata });
}

/** Reads and validates dir/config.json. */
export async function readCheckpointConfig(dir: string): Promise<ModelConfig> {
  const path = join(dir, CONFIG_FILE);
  let json: unknown;
  try {
    json = JSON.parse(await readFile(path, 'utf8'));
  } catch (e) {
    throw new Error(`${path}: ${(e as Error).message}`);
  }
  return parseModelConfig(json, path);
}

/** Builds the model described by dir/config.json on `backend` and loads dir/model.safetensors into it. */
export async function loadCheckpoint(dir: string, backend: Backend): Promise<{ model: HybridLM; metadata: Record<string, string> }> {
  const config = await readCheckpointConfig(dir);
  const path = join(dir, WEIGHTS_FILE);
  const file = await readSafetensors(path);
  const model = new HybridLM(config, { backend });
  loadWeights(model, file.tensors, path);
  return { model, metadata: file.metadata };
}
