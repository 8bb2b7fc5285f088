// The training loop as a library: `train(options, context)` builds the model from a preset, opens the data,
// and runs AdamW (three parameter groups) under a warmup + cosine schedule with gradient accumulation,
// global-norm clipping, periodic evaluation and atomic checkpoints. Everything a step depends on — weights,
// AdamW moments and step count, data position, dropout stream — is checkpointed, so a resumed run repeats
// the uninterrupted run's losses exactly. A non-finite loss or gradient stops the run before the update is
// applied, leaving the last checkpoint as it was.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { PAPER_SETTINGS } from '@hippo/data';
import { HybridLM, WEIGHTS_FILE, countParameters, type ModelConfig } from '@hippo/models';
import { AdamW, clipGradNorm, gradNorm, loadModule, noGrad, sum, tidy, warmupCosine, writeFileAtomic, type Backend, type BackendName, type Tensor } from '@hippo/tensor';
import { chooseBackend } from './backend-choice.js';
import {
  latestCheckpoint,
  loadOptimizerState,
  readTrainerState,
  removeStaleTemporaries,
  saveTrainingCheckpoint,
  type CheckpointRef,
} from './checkpoint.js';
import { openDataSource } from './data/open-source.js';
import type { DataSource } from './data/source.js';
import { CheckpointError, NonFiniteError, TrainConfigError } from './errors.js';
import { evaluate } from './evaluate.js';
import { MetricsLog, type EvalRecord, type StepRecord } from './metrics.js';
import { modelConfigFor } from './model-config.js';
import { TUNABLE_FIELDS, identityMismatches, resolveTrainOptions, type TrainOptions, type TrainOptionsInput } from './options.js';
import { paramGroups } from './param-groups.js';
import { lossCurveSvg } from './plot.js';

export const METRICS_FILE = 'metrics.jsonl';
export const PLOT_FILE = 'loss.svg';
export const CORPUS_TOKENS_DIR = 'corpus-tokens';

/** Where the run happens and who hears about it; every field is optional. */
export interface TrainContext {
  /** A backend, or one by name; default: chooseBackend(null) (WebGPU on a hardware adapter, else cpu; said once). */
  backend?: Backend | BackendName;
  /** Notes for the operator (backend, data, resume, checkpoints). Default: stderr. */
  log?: (line: string) => void;
  /** After each optimiser step. */
  onStep?: (r: StepRecord) => void;
  /** After each evaluation. */
  onEval?: (r: EvalRecord) => void;
  /** After each checkpoint is complete on disk. */
  onCheckpoint?: (c: CheckpointRef) => void;
  /** Before optimiser step `step` (1-based) computes anything; may inspect or change the model. */
  beforeStep?: (step: number, model: HybridLM) => void | Promise<void>;
}

export interface TrainResult {
  options: TrainOptions;
  config: ModelConfig;
  /** The trained model (on the run's backend); the caller owns it. */
  model: HybridLM;
  /** Step the run started from (0, or the checkpoint's when resumed). */
  startStep: number;
  /** Every step and evaluation of the run (resumed runs include those before the checkpoint). */
  train: StepRecord[];
  evals: EvalRecord[];
  /** The last evaluation (at the final step). */
  final: EvalRecord;
  lastCheckpoint: CheckpointRef | null;
  /** Wall seconds of this call's training loop. */
  seconds: number;
  data: { description: string; vocabSize: number; seqLen: number };
}

/**
 * Trains a model and returns it with its metrics.
 * @example
 * const r = await train({ preset: 'h3-tiny', data: { kind: 'synthetic', task: 'induction-head' },
 *   overrides: { dModel: 32, nLayer: 2, attnLayerIdx: [] }, steps: 2000 });
 * console.log(r.final.accuracy); // fraction of test answers right
 */
export async function train(input: TrainOptionsInput, ctx: TrainContext = {}): Promise<TrainResult> {
  const o = resolveTrainOptions(input);
  const log = ctx.log ?? ((line: string) => console.error(line));
  // validated before anything is created on disk or on a device
  const config = modelConfigFor(o.preset, o.variant, o.overrides, o.data.kind === 'synthetic' ? (o.data.vocabSize ?? PAPER_SETTINGS[o.data.task].vocabSize) : undefined);
  const resumeFrom = o.out ? await prepareOut(o) : null;
  const saved = resumeFrom ? await readTrainerState(resumeFrom.dir) : null;
  if (saved) {
    const diff = identityMismatches(saved.options, o);
    if (diff.length > 0) throw new TrainConfigError('resume', `the settings of the run in ${o.out}`, `different ones:\n  ${diff.join('\n  ')}`);
    if (o.steps < saved.step) throw new TrainConfigError('steps', `at least the checkpoint's step ${saved.step}`, String(o.steps));
    for (const line of identityMismatches(saved.options, o, TUNABLE_FIELDS)) log(`note: ${line.replace('this run asks for', 'continuing with')}`);
  }
  const backend = typeof ctx.backend === 'object' ? ctx.backend : await chooseBackend(ctx.backend ?? null, log);
  const data = await openDataSource({
    spec: o.data,
    batchSize: o.batchSize,
    seqLen: o.seqLen,
    evalBatches: o.evalBatches,
    seed: o.seed,
    corpusTokensDir: o.out ? join(o.out, CORPUS_TOKENS_DIR) : null,
    log,
  });
  try {
    checkFits(config, data);
    log(`model ${config.name}: ${countParameters(config).toLocaleString('en-US')} parameters (d ${config.dModel}, ${config.nLayer} layers, mixer ${config.mixer}, attention at [${config.attnLayerIdx}])`);
    log(`data: ${data.description}`);
    const model = new HybridLM(config, { backend, seed: o.seed });
    model.train();
    const optimizer = new AdamW(paramGroups(model, o.lr, o.weightDecay));
    const names = new Map<Tensor, string>(model.namedParameters().map(([n, p]) => [p, n]));
    // every dropout layer of the model draws its masks from this one stream (the model's construction RNG)
    const dropoutRng = model.backbone.drop_f.rng;
    let tokens = 0;
    let secondsBefore = 0;
    if (saved && resumeFrom) {
      await loadModule(join(resumeFrom.dir, WEIGHTS_FILE), model);
      await loadOptimizerState(resumeFrom.dir, saved, optimizer, names);
      data.seek(saved.dataPosition);
      dropoutRng.setState(saved.dropoutRng);
      tokens = saved.tokens;
      secondsBefore = saved.seconds;
      log(`resuming ${o.out} from step ${saved.step} (${resumeFrom.dir})`);
    }
    const startStep = saved?.step ?? 0;
    const metrics = o.out ? await MetricsLog.open(join(o.out, METRICS_FILE), saved ? startStep : null) : MetricsLog.inMemory();
    const schedule = warmupCosine({ warmupSteps: o.warmupSteps, totalSteps: o.steps, minFactor: o.minLrFactor });
    const params = model.parameters();
    const title = `${config.name} · ${data.description.split(':')[0]}`;
    let lastCheckpoint: CheckpointRef | null = resumeFrom;
    const t0 = performance.now();
    const seconds = () => secondsBefore + (performance.now() - t0) / 1000;
    const stop = (step: number, what: NonFiniteError['what'], value: number) => new NonFiniteError(step, what, value, lastCheckpoint?.dir ?? null, lastCheckpoint?.step ?? null);
    const writePlot = async () => {
      if (o.out) await writeFileAtomic(join(o.out, PLOT_FILE), lossCurveSvg(metrics.train, metrics.evals.map((e) => ({ step: e.step, loss: e.valLoss })), title));
    };

    const checkpoint = async (step: number) => {
      if (!o.out) return;
      const bad = await firstNonFinite(params);
      if (bad !== null) throw stop(step, 'weights', bad);
      lastCheckpoint = await saveTrainingCheckpoint(
        o.out,
        { model, optimizer, names, state: { step, options: o, dataPosition: data.position, dropoutRng: dropoutRng.getState(), tokens, seconds: seconds() } },
        o.keepCheckpoints,
      );
      await writePlot();
      ctx.onCheckpoint?.(lastCheckpoint);
    };

    try {
      for (let step = startStep + 1; step <= o.steps; step++) {
        await ctx.beforeStep?.(step, model);
        const ts = performance.now();
        optimizer.lrFactor = schedule(step - 1);
        let lossSum = 0;
        for (let micro = 0; micro < o.gradAccum; micro++) {
          const b = data.nextBatch();
          // the mean over micro-batches: each backward adds 1/gradAccum of its gradient
          const loss = tidy(() => {
            const l = model.loss(b.ids, b.targets, b.B, b.L);
            l.mulScalar(1 / o.gradAccum).backward();
            return l;
          });
          const v = await loss.item();
          loss.dispose();
          if (!Number.isFinite(v)) throw stop(step, 'loss', v);
          lossSum += v;
          tokens += b.B * b.L;
        }
        const { norm, scale } = o.clip > 0 ? await clipGradNorm(params, o.clip) : { norm: await gradNorm(params), scale: 1 };
        if (!Number.isFinite(norm)) throw stop(step, 'gradients', norm);
        optimizer.step(scale);
        optimizer.zeroGrad();
        const record: StepRecord = {
          kind: 'train',
          step,
          loss: lossSum / o.gradAccum,
          lr: o.lr * optimizer.lrFactor,
          gradNorm: norm,
          tokens,
          tokensPerSecond: (o.gradAccum * o.batchSize * data.seqLen) / ((performance.now() - ts) / 1000),
          seconds: seconds(),
        };
        metrics.add(record);
        ctx.onStep?.(record);
        if ((o.evalEvery > 0 && step % o.evalEvery === 0) || step === o.steps) {
          const e = await evaluate(model, data);
          const r: EvalRecord = { kind: 'eval', step, ...e };
          metrics.add(r);
          ctx.onEval?.(r);
        }
        if ((o.checkpointEvery > 0 && step % o.checkpointEvery === 0) || step === o.steps) await checkpoint(step);
      }
    } catch (e) {
      optimizer.zeroGrad();
      if (metrics.train.length > 0) await writePlot();
      throw e;
    }
    // a run resumed after its last step has nothing left to do: report the checkpoint's final evaluation
    let final = metrics.evals.at(-1);
    if (!final || final.step !== o.steps) {
      final = { kind: 'eval', step: o.steps, ...(await evaluate(model, data)) };
      metrics.add(final);
    }
    return {
      options: o,
      config,
      model,
      startStep,
      train: metrics.train,
      evals: metrics.evals,
      final,
      lastCheckpoint,
      seconds: (performance.now() - t0) / 1000,
      data: { description: data.description, vocabSize: data.vocabSize, seqLen: data.seqLen },
    };
  } finally {
    data.close();
  }
}

/** Creates the run folder; returns the checkpoint to resume from (null for a fresh run). */
async function prepareOut(o: TrainOptions): Promise<CheckpointRef | null> {
  const out = o.out!;
  await mkdir(out, { recursive: true });
  await removeStaleTemporaries(out);
  const latest = latestCheckpoint(out);
  if (o.resume && !latest) throw new CheckpointError(out, 'holds no checkpoint to resume from', 'start the run without --resume');
  if (!o.resume && latest)
    throw new TrainConfigError('out', `a new or empty run folder (or --resume to continue the run in ${out})`, `a folder holding checkpoint step ${latest.step}`);
  return o.resume ? latest : null;
}

/** The data must fit the model: ids below its vocabulary, sequences within its learned positions. */
function checkFits(c: ModelConfig, data: DataSource): void {
  if (c.vocabSize < data.vocabSize) throw new TrainConfigError('model override vocabSize', `at least ${data.vocabSize} (the data's vocabulary)`, String(c.vocabSize));
  if (c.maxPositionEmbeddings > 0 && data.seqLen > c.maxPositionEmbeddings)
    throw new TrainConfigError('seqLen', `at most the model's ${c.maxPositionEmbeddings} learned positions`, String(data.seqLen));
}

/** NaN when any parameter holds NaN/±Inf (x·0 is 0 for finite x and NaN otherwise), else null. */
async function firstNonFinite(params: readonly Tensor[]): Promise<number | null> {
  const total = noGrad(() => tidy(() => params.map((p) => sum(p.mulScalar(0))).reduce((a, b) => a.add(b))));
  const v = await total.item();
  total.dispose();
  return Number.isFinite(v) ? null : v;
}
