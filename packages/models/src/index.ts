// @hippo/models — the hybrid H3 language model: presets, attention with a KV cache, generation, checkpoints
// and the import of the released H3 weights.
export { ModelConfigSchema, MIXERS, parseModelConfig, paddedVocab, mixerAt, countParameters, type ModelConfig, type ModelConfigInput } from './config.js';
export { modelPreset, PRESET_NAMES, type PresetOptions } from './presets.js';
export { Attention, KvCache, type AttentionOptions } from './attention.js';
export { Block, type Stream, type Mixer } from './block.js';
export { HybridLM, type HybridLMOptions } from './hybrid-lm.js';
export { sampleToken, type SamplingOptions } from './sample.js';
export { generate, type GenerateOptions, type GenerateResult } from './generate.js';
export { saveCheckpoint, loadCheckpoint, readCheckpointConfig, WEIGHTS_FILE, CONFIG_FILE } from './checkpoint.js';
export { loadWeights } from './load-weights.js';
export { modelFromCheckpointBytes } from './checkpoint-bytes.js';
export { stateBytes } from './state-memory.js';
export { remapOfficialKeys, importOfficialCheckpoint } from './official.js';
