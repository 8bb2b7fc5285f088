// @hippo/eval: SuperGLUE zero- and few-shot evaluation exactly as lm-evaluation-harness (v0.3 or current)
// scores it, through a small token-level model interface; plus perplexity and synthetic-task accuracy.

/** The eight tasks, their documents and the on-disk layouts. */
export { TASK_NAMES, type TaskName, type AnyDoc, type DocOf, type DataLayout } from './data/docs.js';
export type { BoolqDoc, CbDoc, CopaDoc, MultircDoc, RecordDoc, RteDoc, WicDoc, WscDoc } from './data/docs.js';
/** Loading a task's splits from the official SuperGLUE jsonl or the HF `super_glue` jsonl/parquet layout. */
export { loadTaskData, type TaskData, type Split } from './data/load-task-data.js';
export { normalizeRows, detectLayout } from './data/normalize.js';
export { readRows, type RawRow } from './data/read-rows.js';
/** Harness task definitions (prompts, choices, gold, prediction, metrics) per prompt version. */
export { PROMPT_VERSIONS, argmaxFirst, yesOverNo, type PromptVersion, type TaskSpec } from './tasks/task.js';
export { TASKS, PAPER_TASK_ORDER, getTask, parseTaskList } from './tasks/registry.js';
export type { MetricValue, StderrMethod } from './metrics/metric.js';
export { normalizeAnswer, squadExact, squadF1 } from './metrics/squad.js';
/** Prompts and few-shot sampling. */
export { planFewshot, DEFAULT_SEED, type FewshotPlan, type FewshotOptions } from './prompt/fewshot.js';
export { buildTaskRequests, fewshotContext, type DocRequests, type TaskRequests } from './prompt/requests.js';
export { PyRandom } from './python/py-random.js';
/** Tokenization. */
export { gpt2Tokenizer, type Tokenizer } from './tokenizer/tokenizer.js';
export { encodePair, TOKENIZATION } from './tokenizer/encode-pair.js';
/** The model interface, its scheduler and the toy model. */
export type { LoglikelihoodRequest, LoglikelihoodResult, ModelInfo, PrefixGroup, ScoringModel, ScoringWindow } from './model/types.js';
export { loglikelihood, sharedPrefixGroups, ModelOutputError, type LoglikelihoodOptions } from './model/loglikelihood.js';
export { ToyNgramModel, type ToyNgramConfig } from './model/toy-ngram.js';
/** End-to-end SuperGLUE runs and their results. */
export {
  prepareSuperGlue,
  scoreSuperGlue,
  requestLines,
  resolveSettings,
  fitToyModelOnTrain,
  trainTokenStreams,
  type SuperGlueOptions,
  type PreparedTask,
  type ResolvedSettings,
  type ScoreOptions,
} from './superglue.js';
export { resultsTable, writeJsonAtomic, type EvalResults, type TaskResult } from './results/results.js';
/** Perplexity on token shards and synthetic-task accuracy. */
export { perplexity, perplexityWindows, readTokenShard, type PerplexityOptions, type PerplexityResult, type PerplexityWindow } from './more/perplexity.js';
export { syntheticAccuracy, readSyntheticExamples, type SyntheticExample } from './more/synthetic.js';
/** A tiny invented SuperGLUE in every layout, for examples and tests. */
export { writeSampleData, hfSampleRows, hfParquet, SAMPLE_LAYOUTS, type SampleLayout } from './sample-data/write-sample-data.js';
export { officialSampleRows } from './sample-data/official-rows.js';
export { EvalError, DataFormatError, DataNotFoundError, EvalConfigError } from './errors.js';
