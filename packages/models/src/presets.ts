// The model sizes of the paper (§6.2 of the reference): attention layer indices of the released checkpoints
// by default, the safari training configs' indices as the 'training' variant, the 2.7B rotary model, a tiny
// model that trains on a laptop CPU in minutes, and same-size Transformer and S4D baselines.
import { parseModelConfig, type ModelConfig, type ModelConfigInput } from './config.js';

interface Size {
  dModel: number;
  nLayer: number;
  attnHeads: number;
  released: number[];
  training: number[];
}

const SIZES: Record<string, Size> = {
  tiny: { dModel: 128, nLayer: 4, attnHeads: 4, released: [2], training: [2] },
  '125m': { dModel: 768, nLayer: 12, attnHeads: 12, released: [6], training: [1, 8] },
  '355m': { dModel: 1024, nLayer: 24, attnHeads: 16, released: [8, 16], training: [1, 13] },
  '1.3b': { dModel: 2048, nLayer: 24, attnHeads: 16, released: [8, 16], training: [1, 13] },
  '2.7b': { dModel: 2560, nLayer: 32, attnHeads: 20, released: [8, 16, 24], training: [10, 21] },
};

export const PRESET_NAMES = Object.keys(SIZES).flatMap((s) => [`h3-${s}`, `transformer-${s}`, `s4d-${s}`]);

export interface PresetOptions {
  /** 'released' (default): attention where the published checkpoints have it; 'training': the safari configs'. */
  variant?: 'released' | 'training';
  /** The 2.7B model with two attention layers (10, 21) and rotary embeddings of 64 dims (`model-2attn-rotary.pt`). */
  rotary?: boolean;
  /** Overrides of any field (e.g. dropout, vocabSize for synthetic tasks). */
  overrides?: Partial<ModelConfigInput>;
}

/**
 * A validated configuration by preset name: `h3-<size>` (hybrid H3), `transformer-<size>` (all attention,
 * learned positions up to 2048) or `s4d-<size>` (all S4D), size one of tiny, 125m, 355m, 1.3b, 2.7b.
 * @example const cfg = modelPreset('h3-125m'); // 12 layers, d 768, attention at layer 6: 126,387,456 params
 */
export function modelPreset(name: string, opts: PresetOptions = {}): ModelConfig {
  const m = /^(h3|transformer|s4d)-(.+)$/.exec(name);
  const size = m ? SIZES[m[2]] : undefined;
  if (!m || !size) throw new Error(`unknown model preset '${name}'; expected one of ${PRESET_NAMES.join(', ')}`);
  if (opts.rotary && m[2] !== '2.7b') throw new Error(`preset '${name}': the rotary option exists only for the 2.7B model`);
  const base = {
    name: opts.rotary ? `${name}-rotary` : name,
    dModel: size.dModel,
    nLayer: size.nLayer,
    dInner: 4 * size.dModel,
    attnHeads: size.attnHeads,
    ...(m[2] === '2.7b' ? { initializerRange: Math.sqrt(2 / (5 * size.dModel)) } : {}),
  };
  const family: Partial<ModelConfigInput> =
    m[1] === 'h3'
      ? { mixer: 'h3', attnLayerIdx: opts.rotary ? [10, 21] : opts.variant === 'training' ? size.training : size.released, rotaryDim: opts.rotary ? 64 : 0 }
      : m[1] === 'transformer'
        ? { mixer: 'attention', attnLayerIdx: [], maxPositionEmbeddings: 2048 }
        : { mixer: 's4d', attnLayerIdx: [] };
  return parseModelConfig({ ...base, ...family, ...opts.overrides }, `preset '${name}'`);
}
