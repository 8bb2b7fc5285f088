// hippo-train as a library: `train()` for scripts that run many trainings (the paper's reproduction tables)
// and read back their metrics, plus the pieces the command is made of.
export { train, METRICS_FILE, PLOT_FILE, CORPUS_TOKENS_DIR, type TrainContext, type TrainResult } from './trainer.js';
export { resolveTrainOptions, identityMismatches, IDENTITY_FIELDS, TUNABLE_FIELDS, type TrainOptions, type TrainOptionsInput, type DataSpec } from './options.js';
export { modelConfigFor, overrideKeys } from './model-config.js';
export { paramGroups, noDecayName } from './param-groups.js';
export { evaluate, type Evaluation } from './evaluate.js';
export { openDataSource } from './data/open-source.js';
export type { Batch, DataSource, SourceSettings } from './data/source.js';
export { syntheticBatchesPerEpoch } from './data/synthetic-source.js';
export { MetricsLog, type StepRecord, type EvalRecord, type MetricRecord } from './metrics.js';
export { lossCurveSvg, type Point } from './plot.js';
export { latestCheckpoint, listCheckpoints, readTrainerState, TRAINER_FILE, OPTIMIZER_FILE, type TrainerState, type CheckpointRef } from './checkpoint.js';
export { sampleText, DEFAULT_PROMPT } from './sample.js';
export { chooseBackend } from './backend-choice.js';
export { TrainError, TrainConfigError, NonFiniteError, CheckpointError } from './errors.js';
export { runJobs, runJob, type ReproJob, type JobResult, type JobProgress } from './repro/jobs.js';
export { syntheticJobs, syntheticReport, SYNTHETIC_DEFAULTS, SYNTHETIC_MODELS, SYNTHETIC_TASKS, type SyntheticReproSettings, type TaskSettings } from './repro/synthetic.js';
export { lmJobs, lmReport, lmModelOverrides, corpusTokens, LM_DEFAULTS, LM_MODELS, type LmReproSettings } from './repro/lm.js';
export { writeReport, markdownTable } from './repro/report.js';
export { PAPER_SYNTHETIC, PAPER_OWT_PERPLEXITY } from './repro/paper.js';
