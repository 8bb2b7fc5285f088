// Which model scores the requests, shared by every subcommand: the deterministic toy model from @hippo/eval,
// fitted on the data at hand, or a @hippo/models language model (a Hippo checkpoint folder, or the released
// H3 weights converted to safetensors) on the cpu or webgpu backend. The model engine is imported only when a
// language model is asked for, so --dump-requests, sample-data and the toy model start fast and need no engine.
import { EvalConfigError, ToyNgramModel, type ScoringModel } from '@hippo/eval';
import type { Backend } from '@hippo/tensor';
import { choice, intOption } from './args.js';
import type { HybridScoringModel } from './hybrid-scoring-model.js';

/** The model options every subcommand shares. */
export const MODEL_OPTIONS = {
  model: { type: 'string' },
  checkpoint: { type: 'string' },
  backend: { type: 'string' },
  'max-length': { type: 'string' },
  'batch-size': { type: 'string' },
} as const;

export const MODEL_USAGE = `  --model M                the scoring model:
                             checkpoint:DIR   a Hippo checkpoint folder (config.json + model.safetensors),
                                              e.g. the one hippo-train writes to its output folder
                             official:FILE.safetensors:PRESET   the released H3 weights converted to safetensors,
                                              PRESET h3-125m, h3-355m, h3-1.3b, h3-2.7b or h3-2.7b-rotary
                             toy-ngram        a deterministic bigram + cache toy fitted on the data at hand
  --checkpoint DIR         the same as --model checkpoint:DIR
  --backend B              cpu or webgpu [HIPPO_BACKEND, else webgpu when an adapter exists, else cpu]
  --max-length N           longest model window in tokens, left-truncated beyond [toy: 2048; checkpoints: the
                           model's own limit — none for H3, the learned positions for Transformers]
  --batch-size N           windows (or documents sharing a context) per model call [16]`;

/** The parsed model options. */
export interface ModelValues {
  model?: string;
  checkpoint?: string;
  backend?: string;
  'max-length'?: string;
}

/**
 * Resolves the model choice; `fit` supplies the toy model's training token streams, `vocabSize` its vocabulary.
 * @example const model = await chooseModel({ model: 'checkpoint:checkpoints/main' }, () => [], 50257);
 */
export async function chooseModel(values: ModelValues, fit: () => number[][], vocabSize: number): Promise<ScoringModel> {
  if (values.checkpoint !== undefined && values.model !== undefined)
    throw new EvalConfigError('--checkpoint', `no --model beside it (it means --model checkpoint:${values.checkpoint})`, `--model ${values.model}`);
  const spec = values.checkpoint !== undefined ? `checkpoint:${values.checkpoint}` : values.model;
  const maxLength = intOption('max-length', values['max-length']);
  if (spec === 'toy-ngram') return ToyNgramModel.fit(fit(), { vocabSize, maxLength: maxLength ?? 2048 });
  const { loadHybridScoringModel, parseHybridSource } = await import('./load-hybrid-model.js');
  const source = spec === undefined ? null : parseHybridSource(spec);
  if (!source)
    throw new EvalConfigError('--model', 'checkpoint:DIR, official:FILE.safetensors:PRESET or toy-ngram', spec === undefined ? 'nothing' : JSON.stringify(spec));
  const backend = await chooseBackend(values.backend);
  return loadHybridScoringModel(source, backend, { maxLength });
}

/**
 * `--backend`, or the engine's default (HIPPO_BACKEND, else webgpu on a hardware adapter, else cpu — a software
 * fallback adapter is slower: h3-tiny on the sample data ran 0.3 requests/s on lavapipe, 7.7 on cpu, 2 cores).
 */
async function chooseBackend(asked: string | undefined): Promise<Backend> {
  const { defaultBackend, getBackend } = await import('@hippo/tensor');
  if (asked === undefined) return defaultBackend();
  const b = await getBackend(choice('backend', asked, ['cpu', 'webgpu'] as const, 'cpu'));
  console.error(`hippo: backend ${b.describe()} — --backend ${asked}`);
  return b;
}

/** The vocabulary of a loaded language model (null for the toy model, which takes whatever it is given). */
export function modelVocab(model: ScoringModel): number | null {
  return (model as Partial<Pick<HybridScoringModel, 'vocabSize'>>).vocabSize ?? null;
}

/** Refuses a language model whose vocabulary cannot hold the token ids the evaluation produces. */
export function requireVocab(model: ScoringModel, needed: number, what: string): void {
  const v = modelVocab(model);
  if (v !== null && v < needed) throw new EvalConfigError('--model', `a model whose vocabulary holds ${what} (${needed} ids)`, `${model.info.name} with vocabSize ${v}`);
}
