// The language model's configuration: a typed, validated description from which HybridLM builds itself and
// which travels with every checkpoint as JSON. Defaults are the released H3 models' (§6 of the reference).
import { z } from 'zod';

export const MIXERS = ['h3', 's4d', 'shift-gated', 'attention'] as const;

export const ModelConfigSchema = z
  .object({
    /** Preset name, informative. */
    name: z.string().default('custom'),
    dModel: z.number().int().positive(),
    nLayer: z.number().int().positive(),
    /** Tokenizer vocabulary (GPT-2: 50257); the embedding is padded up to a multiple of padVocabMultiple. */
    vocabSize: z.number().int().positive().default(50257),
    padVocabMultiple: z.number().int().positive().default(8),
    /** MLP hidden width (4·dModel in every preset). */
    dInner: z.number().int().positive(),
    /** The mixer of every layer not listed in attnLayerIdx. */
    mixer: z.enum(MIXERS).default('h3'),
    /** 0-based indices of the attention layers. */
    attnLayerIdx: z.array(z.number().int().nonnegative()).default([]),
    attnHeads: z.number().int().positive(),
    /** Rotary embedding dims per attention head (0: none; the 2.7B rotary model uses 64). */
    rotaryDim: z.number().int().nonnegative().default(0),
    /** Learned positional embeddings (Transformer baselines); 0 = none (H3 models). */
    maxPositionEmbeddings: z.number().int().nonnegative().default(0),
    dState: z.number().int().positive().default(64),
    headDim: z.number().int().positive().default(1),
    embedDropout: z.number().min(0).max(1).default(0.1),
    residDropout: z.number().min(0).max(1).default(0),
    layerNormEps: z.number().positive().default(1e-5),
    initializerRange: z.number().positive().default(0.02),
  })
  .strict()
  .superRefine((c, ctx) => {
    const issue = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
    for (const i of c.attnLayerIdx) if (i >= c.nLayer) issue('attnLayerIdx', `layer index ${i} is outside 0..${c.nLayer - 1}`);
    if (new Set(c.attnLayerIdx).size !== c.attnLayerIdx.length) issue('attnLayerIdx', 'contains a layer twice');
    if (c.dModel % c.attnHeads !== 0) issue('attnHeads', `${c.attnHeads} heads do not divide dModel ${c.dModel}`);
    if (c.dModel % c.headDim !== 0) issue('headDim', `${c.headDim} does not divide dModel ${c.dModel}`);
    if (c.dState % 2 !== 0) issue('dState', `must be even (N/2 complex modes), got ${c.dState}`);
    if (c.rotaryDim > c.dModel / c.attnHeads || c.rotaryDim % 2 !== 0)
      issue('rotaryDim', `must be even and ≤ the attention head size ${c.dModel / c.attnHeads}, got ${c.rotaryDim}`);
  });

/** What a user writes (defaults optional). */
export type ModelConfigInput = z.input<typeof ModelConfigSchema>;
/** A validated configuration with every default filled in. */
export type ModelConfig = z.output<typeof ModelConfigSchema>;

/**
 * Validates a configuration; throws one error listing every problem as `field: message`, naming `source`
 * (e.g. the JSON file it came from).
 */
export function parseModelConfig(input: unknown, source = 'model config'): ModelConfig {
  const r = ModelConfigSchema.safeParse(input);
  if (!r.success) {
    const lines = r.error.issues.map((i) => `  ${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new Error(`${source} is invalid:\n${lines.join('\n')}`);
  }
  return r.data;
}

/** The embedding rows: vocabSize rounded up to a multiple of padVocabMultiple (50257 → 50264). */
export function paddedVocab(c: ModelConfig): number {
  return Math.ceil(c.vocabSize / c.padVocabMultiple) * c.padVocabMultiple;
}

/** The mixer of layer i. */
export function mixerAt(c: ModelConfig, i: number): (typeof MIXERS)[number] {
  return c.attnLayerIdx.includes(i) ? 'attention' : c.mixer;
}

/** Number of parameters the model built from `c` has (tied LM head counted once). */
export function countParameters(c: ModelConfig): number {
  const d = c.dModel;
  const N = c.dState;
  const H = d / c.headDim;
  const mixer = {
    // projections, shift SSM (B, C, D_k), diagonal SSM over H = d/m channels (log Δ, D; A, B, C of N/2 complex modes)
    h3: 4 * d * d + 4 * d + 2 * d * N + d + 2 * H + 3 * H * N,
    s4d: 2 * d * d + 2 * d + 2 * d + 3 * d * N,
    'shift-gated': 4 * d * d + 4 * d + 2 * d * N + d,
    attention: 4 * d * d + 4 * d,
  };
  let total = paddedVocab(c) * d + c.maxPositionEmbeddings * d + 2 * d;
  for (let i = 0; i < c.nLayer; i++) {
    const kind = mixerAt(c, i);
    total += mixer[kind] + 2 * d * c.dInner + c.dInner + d + 4 * d;
  }
  return total;
}
