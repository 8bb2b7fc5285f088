// The model a run trains: a preset plus overrides, validated by @hippo/models' schema. Unknown override keys
// are rejected here with the list of valid ones (the schema's own message names only the bad key).
import { modelPreset, PRESET_NAMES, type ModelConfig } from '@hippo/models';
import { TrainConfigError } from './errors.js';

/** The configuration fields an override may set (every field of a validated config). */
export function overrideKeys(): string[] {
  return Object.keys(modelPreset('h3-tiny'));
}

/**
 * The validated configuration of `preset` with `overrides` applied; `vocabSize`, when given, is what the data
 * needs (a synthetic task's vocabulary) and must not contradict an override.
 * @example modelConfigFor('h3-tiny', 'released', { nLayer: 2, attnLayerIdx: [1] }) // d 128, 2 layers
 */
export function modelConfigFor(preset: string, variant: 'released' | 'training', overrides: Record<string, unknown>, vocabSize?: number): ModelConfig {
  if (!PRESET_NAMES.includes(preset)) throw new TrainConfigError('preset', `one of ${PRESET_NAMES.join(', ')}`, JSON.stringify(preset));
  const valid = overrideKeys();
  const unknown = Object.keys(overrides).filter((k) => !valid.includes(k));
  if (unknown.length > 0)
    throw new TrainConfigError(`model override ${unknown.map((k) => `'${k}'`).join(', ')}`, `one of the model config keys: ${valid.join(', ')}`, `unknown key${unknown.length > 1 ? 's' : ''}`);
  const all = { ...overrides };
  if (vocabSize !== undefined) {
    if (all.vocabSize !== undefined && all.vocabSize !== vocabSize)
      throw new TrainConfigError('model override vocabSize', `${vocabSize} (the data's vocabulary) or nothing`, JSON.stringify(all.vocabSize));
    all.vocabSize = vocabSize;
  }
  try {
    return modelPreset(preset, { variant, overrides: all });
  } catch (e) {
    throw new TrainConfigError('model overrides', 'a valid model configuration', (e as Error).message);
  }
}
