// Loading a @hippo/models language model for evaluation, from one of two sources:
//   checkpoint:<dir>                     a Hippo checkpoint folder (config.json + model.safetensors), e.g. the
//                                        one `hippo-train` keeps up to date in its output folder
//   official:<file.safetensors>:<preset> the released H3 weights converted to safetensors, with the preset
//                                        they were trained as (h3-125m … h3-2.7b, h3-2.7b-rotary)
// The results file records the path and the SHA-256 of the weights file, so a number can be traced to bytes.
import { createHash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { join } from 'node:path';
import { EvalConfigError, EvalError } from '@hippo/eval';
import { HybridLM, PRESET_NAMES, WEIGHTS_FILE, countParameters, importOfficialCheckpoint, loadCheckpoint, mixerAt, modelPreset } from '@hippo/models';
import type { Backend } from '@hippo/tensor';
import { HybridScoringModel, type HybridScoringOptions } from './hybrid-scoring-model.js';

/** A model source parsed from `--model`. */
export type HybridSource = { kind: 'checkpoint'; dir: string } | { kind: 'official'; file: string; preset: string };

/** A checkpoint or official file that could not be loaded: says which and why. */
export class ModelLoadError extends EvalError {}

const OFFICIAL_PRESETS = [...PRESET_NAMES.filter((p) => p.startsWith('h3-')), 'h3-2.7b-rotary'];

/**
 * Parses `checkpoint:<dir>` or `official:<file.safetensors>:<preset>`; null for any other model name.
 * @example parseHybridSource('official:h3-125m.safetensors:h3-125m'); // {kind: 'official', file: 'h3-125m.safetensors', preset: 'h3-125m'}
 */
export function parseHybridSource(spec: string): HybridSource | null {
  if (spec.startsWith('checkpoint:')) {
    const dir = spec.slice('checkpoint:'.length);
    if (!dir) throw new EvalConfigError('--model', 'checkpoint:<dir> with a checkpoint folder', JSON.stringify(spec));
    return { kind: 'checkpoint', dir };
  }
  if (spec.startsWith('official:')) {
    const rest = spec.slice('official:'.length);
    const colon = rest.lastIndexOf(':'); // the file name may hold colons (C:\…), the preset does not
    const file = rest.slice(0, Math.max(0, colon));
    const preset = rest.slice(colon + 1);
    if (colon <= 0 || !OFFICIAL_PRESETS.includes(preset))
      throw new EvalConfigError('--model', `official:<file.safetensors>:<preset>, preset one of ${OFFICIAL_PRESETS.join(', ')}`, JSON.stringify(spec));
    if (/\.(pt|pth|bin|ckpt)$/.test(file))
      throw new EvalConfigError('--model', 'the weights converted to safetensors (python3 packages/models/scripts/pt-to-safetensors.py model.pt model.safetensors)', JSON.stringify(file));
    return { kind: 'official', file, preset };
  }
  return null;
}

/**
 * Loads the model on `backend` and wraps it as a ScoringModel.
 * @example const scorer = await loadHybridScoringModel({ kind: 'checkpoint', dir: 'checkpoints/main' }, cpuBackend());
 */
export async function loadHybridScoringModel(source: HybridSource, backend: Backend, opts: HybridScoringOptions = {}): Promise<HybridScoringModel> {
  const weights = source.kind === 'checkpoint' ? join(source.dir, WEIGHTS_FILE) : source.file;
  if (!existsSync(weights))
    throw new ModelLoadError(source.kind === 'checkpoint' ? `${source.dir}: no ${WEIGHTS_FILE} here; expected a checkpoint folder (config.json + ${WEIGHTS_FILE})` : `${weights}: no such file`);
  let model: HybridLM;
  try {
    if (source.kind === 'checkpoint') model = (await loadCheckpoint(source.dir, backend)).model;
    else {
      const rotary = source.preset.endsWith('-rotary');
      model = await importOfficialCheckpoint(source.file, modelPreset(source.preset.replace(/-rotary$/, ''), { rotary }), backend);
    }
  } catch (e) {
    throw new ModelLoadError(`cannot load ${source.kind === 'checkpoint' ? source.dir : source.file}: ${(e as Error).message}`);
  }
  const info = {
    name: model.config.name,
    description: describeModel(model, backend),
    checkpoint: source.kind === 'checkpoint' ? source.dir : `${source.file} (${source.preset})`,
    checkpointHash: await sha256File(weights),
  };
  return new HybridScoringModel(model, info, opts);
}

/** One line: family, size, layers, where the attention is, backend. */
function describeModel(model: HybridLM, backend: Backend): string {
  const c = model.config;
  const attn = Array.from({ length: c.nLayer }, (_, i) => i).filter((i) => mixerAt(c, i) === 'attention');
  const mixers = c.mixer === 'attention' ? 'attention' : `${c.mixer}${attn.length ? `, attention at [${attn.join(', ')}]` : ''}`;
  const params = (countParameters(c) / 1e6).toFixed(1);
  return `HybridLM ${c.name}: ${c.nLayer} layers (${mixers}), d ${c.dModel}, ${params}M parameters, on ${backend.describe()}`;
}

async function sha256File(path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(path)) h.update(chunk as Buffer);
  return h.digest('hex');
}
