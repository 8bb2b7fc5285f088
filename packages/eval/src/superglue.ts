// SuperGLUE evaluation end to end: load each task's data, build the harness's prompts and few-shot contexts,
// tokenize, score every request through one pooled `loglikelihood` call (as the harness pools all tasks),
// predict, and aggregate the metrics.
import type { AnyDoc, TaskName } from './data/docs.js';
import { loadTaskData, type TaskData } from './data/load-task-data.js';
import { EvalConfigError } from './errors.js';
import { loglikelihood, type LoglikelihoodOptions } from './model/loglikelihood.js';
import type { LoglikelihoodRequest, ScoringModel } from './model/types.js';
import { ToyNgramModel, type ToyNgramConfig } from './model/toy-ngram.js';
import { DEFAULT_SEED } from './prompt/fewshot.js';
import { buildTaskRequests, type TaskRequests } from './prompt/requests.js';
import type { EvalResults, TaskResult } from './results/results.js';
import { getTask } from './tasks/registry.js';
import type { PromptVersion, TaskSpec } from './tasks/task.js';
import { encodePair, TOKENIZATION } from './tokenizer/encode-pair.js';
import type { Tokenizer } from './tokenizer/tokenizer.js';

/** What to evaluate. */
export interface SuperGlueOptions {
  /** Folder with one sub-folder per task (official SuperGLUE or HF layout; see README). */
  dataDir: string;
  tasks: readonly TaskName[];
  /** Harness definitions to reproduce ['v0.3']. */
  version?: PromptVersion;
  /** Demonstrations per prompt [0]. */
  shots?: number;
  /** Evaluate only the first n docs of the harness's order [all]. */
  limit?: number | null;
  /** Few-shot / shuffle seed [v0.3: 42, current: 1234]. */
  seed?: number;
  /** Load the train split even for zero-shot (e.g. to fit the toy model) [false]. */
  withTrain?: boolean;
}

/** One task, loaded and turned into requests. */
export interface PreparedTask {
  spec: TaskSpec<AnyDoc>;
  data: TaskData<TaskName>;
  requests: TaskRequests;
}

/** The settings every prepared task shares, resolved. */
export interface ResolvedSettings {
  version: PromptVersion;
  shots: number;
  limit: number | null;
  seed: number;
}

/** Checks and fills in the defaults of the options. */
export function resolveSettings(opts: SuperGlueOptions): ResolvedSettings {
  const version = opts.version ?? 'v0.3';
  if (version !== 'v0.3' && version !== 'current') throw new EvalConfigError('--prompt-version', 'v0.3 or current', JSON.stringify(version));
  const shots = opts.shots ?? 0;
  if (!Number.isInteger(shots) || shots < 0) throw new EvalConfigError('--shots', 'an integer ≥ 0', String(shots));
  const limit = opts.limit ?? null;
  if (limit !== null && (!Number.isInteger(limit) || limit < 1)) throw new EvalConfigError('--limit', 'an integer ≥ 1', String(limit));
  const seed = opts.seed ?? DEFAULT_SEED[version];
  if (!Number.isSafeInteger(seed) || seed < 0) throw new EvalConfigError('--seed', 'an integer ≥ 0', String(seed));
  return { version, shots, limit, seed };
}

/**
 * Loads the data of every task and builds its requests in the harness's order.
 * @example const tasks = await prepareSuperGlue({ dataDir: 'data/superglue', tasks: ['cb'], shots: 3 });
 */
export async function prepareSuperGlue(opts: SuperGlueOptions): Promise<PreparedTask[]> {
  const s = resolveSettings(opts);
  const out: PreparedTask[] = [];
  for (const name of opts.tasks) {
    const spec = getTask(name);
    const data = await loadTaskData(opts.dataDir, name, s.version, s.shots > 0 || opts.withTrain === true);
    const process = (docs: AnyDoc[]) => (spec.processDoc ? docs.map((d) => spec.processDoc!(d)) : docs);
    data.validation = process(data.validation);
    if (data.train) data.train = process(data.train);
    out.push({ spec, data, requests: buildTaskRequests(spec, data.validation, data.train, s) });
  }
  return out;
}

/** One JSON line per (context, continuation) pair, in evaluation order, for `--dump-requests`. */
export function* requestLines(tasks: readonly PreparedTask[]): Generator<string> {
  for (const t of tasks)
    for (const d of t.requests.docs)
      for (let c = 0; c < d.continuations.length; c++)
        yield JSON.stringify({ task: t.spec.name, doc: d.docIndex, choice: c, context: d.context, continuation: d.continuations[c] });
}

/**
 * Token ids of every request of the tasks, in order. Each distinct string is encoded once: a doc's context is
 * shared by all its choices (ReCoRD: ~14), and the answer strings repeat across docs.
 */
export function encodeRequests(tasks: readonly PreparedTask[], tokenizer: Tokenizer, version: PromptVersion): LoglikelihoodRequest[] {
  const memo = new Map<string, number[]>();
  const cached: Tokenizer = {
    name: tokenizer.name,
    vocabSize: tokenizer.vocabSize,
    eotTokenId: tokenizer.eotTokenId,
    encode: (text) => {
      let ids = memo.get(text);
      if (!ids) memo.set(text, (ids = tokenizer.encode(text)));
      return ids;
    },
    decode: (ids) => tokenizer.decode(ids),
  };
  const reqs: LoglikelihoodRequest[] = [];
  for (const t of tasks) for (const d of t.requests.docs) for (const c of d.continuations) reqs.push(encodePair(cached, d.context, c, version));
  return reqs;
}

/** Scoring settings. */
export interface ScoreOptions extends LoglikelihoodOptions {
  model: ScoringModel;
  tokenizer: Tokenizer;
}

/**
 * Scores prepared tasks with a model and aggregates the metrics into the results record.
 * @example const results = await scoreSuperGlue(tasks, settings, { model, tokenizer: gpt2Tokenizer() });
 */
export async function scoreSuperGlue(tasks: readonly PreparedTask[], settings: ResolvedSettings, opts: ScoreOptions): Promise<EvalResults> {
  const started = new Date();
  const t0 = performance.now();
  const reqs = encodeRequests(tasks, opts.tokenizer, settings.version);
  const scored = await loglikelihood(opts.model, reqs, opts);
  let at = 0;
  const results: Partial<Record<TaskName, TaskResult>> = {};
  for (const t of tasks) {
    const docs = t.requests.docs;
    const preds = docs.map((d) => {
      const lls = d.continuations.map(() => scored[at++].logprob);
      return t.spec.predict(lls, settings.version);
    });
    results[t.spec.name] = {
      harnessTask: t.spec.harnessName[settings.version],
      harnessVersion: t.spec.harnessVersion[settings.version],
      harnessDataset: t.spec.harnessDataset[settings.version],
      docs: docs.length,
      requests: docs.reduce((s, d) => s + d.continuations.length, 0),
      metrics: t.spec.aggregate(docs.map((d) => d.doc), preds, settings.version),
      data: { dir: t.data.dir, layout: t.data.layout, files: t.data.files },
      notes: t.data.notes,
    };
  }
  return {
    kind: 'hippo-eval/superglue',
    schemaVersion: 1,
    model: { ...opts.model.info, maxLength: opts.model.maxLength },
    config: {
      promptVersion: settings.version,
      tokenization: TOKENIZATION[settings.version],
      tokenizer: opts.tokenizer.name,
      shots: settings.shots,
      seed: settings.seed,
      limit: settings.limit,
      tasks: tasks.map((t) => t.spec.name),
      batchSize: opts.batchSize ?? 16,
      sharedPrefix: opts.sharedPrefix !== false && opts.model.scoreSharedPrefix !== undefined,
    },
    results,
    startedAt: started.toISOString(),
    durationS: (performance.now() - t0) / 1000,
  };
}

/**
 * Token streams of every prepared task's train split, one per doc (its demonstration: text + target): what the
 * toy model is fitted on. Needs tasks prepared with train data.
 * @example const streams = trainTokenStreams(tasks, gpt2Tokenizer()); // number[][]
 */
export function trainTokenStreams(tasks: readonly PreparedTask[], tokenizer: Tokenizer): number[][] {
  const streams: number[][] = [];
  for (const t of tasks) {
    if (!t.data.train) throw new EvalConfigError('toy model', `train data for ${t.spec.name} (prepare with withTrain: true)`, 'no train split loaded');
    for (const d of t.data.train) streams.push(tokenizer.encode(t.spec.text(d, t.requests.version) + t.spec.shotTarget(d, t.requests.version)));
  }
  return streams;
}

/**
 * Fits the toy model on {@link trainTokenStreams}, so an end-to-end run works without a trained checkpoint.
 * @example const model = fitToyModelOnTrain(tasks, gpt2Tokenizer());
 */
export function fitToyModelOnTrain(tasks: readonly PreparedTask[], tokenizer: Tokenizer, cfg: Omit<ToyNgramConfig, 'vocabSize'> = {}): ToyNgramModel {
  return ToyNgramModel.fit(trainTokenStreams(tasks, tokenizer), { ...cfg, vocabSize: tokenizer.vocabSize });
}
