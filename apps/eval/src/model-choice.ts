// Which model scores the requests. `toy-ngram` is the deterministic toy model from @hippo/eval, fitted on the
// data at hand; `--checkpoint` is where the @hippo/models adapter (hybrid H3 checkpoints) plugs in once that
// package exists.
import { EvalConfigError, ToyNgramModel, type ScoringModel } from '@hippo/eval';

/** The model options every subcommand shares. */
export const MODEL_OPTIONS = {
  model: { type: 'string' },
  checkpoint: { type: 'string' },
  'max-length': { type: 'string' },
  'batch-size': { type: 'string' },
} as const;

export const MODEL_USAGE = `  --model toy-ngram        the deterministic toy model (bigram + cache), fitted on the data at hand
  --checkpoint PATH        a @hippo/models checkpoint (needs the models package; not available yet)
  --max-length N           model window in tokens [2048]
  --batch-size N           windows per model call [16]`;

/** Resolves the model choice; `fit` supplies the toy model's training token streams. */
export function chooseModel(values: { model?: string; checkpoint?: string }, fit: () => number[][], vocabSize: number, maxLength: number): ScoringModel {
  if (values.checkpoint !== undefined)
    throw new EvalConfigError(
      '--checkpoint',
      'a model the evaluator can load; @hippo/models (the hybrid H3 LM and its checkpoints) is not built yet, so only --model toy-ngram works today',
      JSON.stringify(values.checkpoint),
    );
  if (values.model !== 'toy-ngram') throw new EvalConfigError('--model', 'toy-ngram (or --checkpoint PATH once @hippo/models exists)', values.model === undefined ? 'nothing' : JSON.stringify(values.model));
  return ToyNgramModel.fit(fit(), { vocabSize, maxLength });
}
