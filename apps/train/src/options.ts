// The training settings: one flat, typed record with commented defaults (nanoGPT's train.py settings), validated
// once before anything runs. Defaults follow the paper's recipe (reference §7.1, §8.4) scaled to small runs.
import type { SyntheticTask } from '@hippo/data';
import { TrainConfigError } from './errors.js';

/** Where the training tokens come from. */
export type DataSpec =
  /** The embedded public-domain corpus (State of the Union addresses), tokenized once into `<out>/corpus-tokens`. */
  | { kind: 'corpus'; valFraction?: number }
  /** GPT-2 token shards written by `hippo-data tokenize` (a folder with manifest.json, train and val splits). */
  | { kind: 'shards'; dir: string }
  /** One of the paper's synthetic tasks (§8); evaluation adds the accuracy on the final token. */
  | {
      kind: 'synthetic';
      task: SyntheticTask;
      vocabSize?: number;
      inputSeqLen?: number;
      numExamples?: number;
      numTestExamples?: number;
      /** Training targets: every next token as in the paper ('all', default) or only the final answer token. */
      trainOn?: 'all' | 'answer';
    };

/**
 * Every setting of a run. Fields marked "identity" fix the model and the data stream and must match when
 * resuming; "tunable" ones may change on resume (said in the log), e.g. a lower lr after a NaN stop.
 */
export interface TrainOptions {
  /** Model preset (`h3-tiny`, `transformer-125m`, …). identity */
  preset: string;
  /** Attention layer placement of h3 presets: 'released' checkpoints' or the 'training' configs'. identity */
  variant: 'released' | 'training';
  /** Fields of the preset's configuration to change (validated; unknown keys rejected). identity */
  overrides: Record<string, unknown>;
  /** identity */
  data: DataSpec;
  /** Optimiser steps (each of gradAccum micro-batches). tunable */
  steps: number;
  /** Sequences per micro-batch. identity */
  batchSize: number;
  /** Tokens per sequence for language modelling (synthetic tasks fix their own). identity */
  seqLen: number;
  /** Micro-batches whose gradients are summed (averaged) into one step. identity */
  gradAccum: number;
  /** Peak learning rate; SSM parameters use min(1e-3, lr) (reference §1.5). tunable */
  lr: number;
  /** Cosine floor as a fraction of lr (paper: 0.1). tunable */
  minLrFactor: number;
  /** Linear warmup steps (paper: 1% of steps on the Pile, 10% on synthetics). tunable */
  warmupSteps: number;
  /** AdamW decoupled weight decay of weight matrices (paper: 0.1); none for biases, norms, embeddings, SSM. tunable */
  weightDecay: number;
  /** Global gradient-norm clip (paper: 1.0; 0 = off). tunable */
  clip: number;
  /** Seed of the initialisation, dropout and data order. identity */
  seed: number;
  /** Evaluate every N steps (0: only at the end). */
  evalEvery: number;
  /** Validation batches per evaluation for language modelling (synthetic tasks use their whole test split). */
  evalBatches: number;
  /** Save a checkpoint every N steps (0: only at the end; needs `out`). */
  checkpointEvery: number;
  /** Complete checkpoints kept on disk (the newest ones). */
  keepCheckpoints: number;
  /** Run folder: checkpoints, metrics.jsonl, loss.svg and the exported model (null: keep nothing on disk). */
  out: string | null;
  /** Continue from the newest checkpoint in `out`. */
  resume: boolean;
}

/** What a caller writes: data is required, everything else has a default. */
export type TrainOptionsInput = Partial<TrainOptions> & Pick<TrainOptions, 'data'>;

/** The identity fields: a resumed run must use the same values. */
export const IDENTITY_FIELDS = ['preset', 'variant', 'overrides', 'data', 'batchSize', 'seqLen', 'gradAccum', 'seed'] as const;
/** The tunable fields: a resumed run may change them (it then no longer repeats the original run exactly). */
export const TUNABLE_FIELDS = ['steps', 'lr', 'minLrFactor', 'warmupSteps', 'weightDecay', 'clip'] as const;

/** Fills in defaults and validates ranges; throws TrainConfigError naming the field. */
export function resolveTrainOptions(input: TrainOptionsInput): TrainOptions {
  const steps = input.steps ?? 100;
  const synthetic = input.data.kind === 'synthetic';
  const o: TrainOptions = {
    preset: input.preset ?? 'h3-tiny',
    variant: input.variant ?? 'released',
    overrides: input.overrides ?? {},
    data: input.data,
    steps,
    batchSize: input.batchSize ?? (synthetic ? 32 : 8),
    seqLen: input.seqLen ?? 128,
    gradAccum: input.gradAccum ?? 1,
    lr: input.lr ?? (synthetic ? 5e-4 : 6e-4),
    minLrFactor: input.minLrFactor ?? 0.1,
    warmupSteps: input.warmupSteps ?? Math.round(0.1 * steps),
    weightDecay: input.weightDecay ?? 0.1,
    clip: input.clip ?? 1,
    seed: input.seed ?? 0,
    evalEvery: input.evalEvery ?? 0,
    evalBatches: input.evalBatches ?? 4,
    checkpointEvery: input.checkpointEvery ?? 0,
    keepCheckpoints: input.keepCheckpoints ?? 2,
    out: input.out ?? null,
    resume: input.resume ?? false,
  };
  const int = (name: keyof TrainOptions, min: number) => {
    const v = o[name] as number;
    if (!(Number.isSafeInteger(v) && v >= min)) throw new TrainConfigError(name, `an integer ≥ ${min}`, String(v));
  };
  const real = (name: keyof TrainOptions, ok: (v: number) => boolean, what: string) => {
    const v = o[name] as number;
    if (!(Number.isFinite(v) && ok(v))) throw new TrainConfigError(name, what, String(v));
  };
  int('steps', 1);
  int('batchSize', 1);
  int('seqLen', 1);
  int('gradAccum', 1);
  int('evalEvery', 0);
  int('evalBatches', 1);
  int('checkpointEvery', 0);
  int('keepCheckpoints', 1);
  int('seed', 0);
  real('lr', (v) => v > 0, 'a number > 0');
  real('minLrFactor', (v) => v >= 0 && v <= 1, 'a number in [0, 1]');
  real('weightDecay', (v) => v >= 0, 'a number ≥ 0');
  real('clip', (v) => v >= 0, 'a number ≥ 0 (0 = no clipping)');
  if (!(Number.isSafeInteger(o.warmupSteps) && o.warmupSteps >= 0 && o.warmupSteps < o.steps))
    throw new TrainConfigError('warmupSteps', `an integer in [0, steps = ${o.steps})`, String(o.warmupSteps));
  if (o.variant !== 'released' && o.variant !== 'training') throw new TrainConfigError('variant', "'released' or 'training'", JSON.stringify(o.variant));
  if (o.resume && o.out === null) throw new TrainConfigError('resume', 'a run folder (out) to resume from', 'none');
  if (o.checkpointEvery > 0 && o.out === null) throw new TrainConfigError('checkpointEvery', 'a run folder (out) to write checkpoints to', 'none');
  return o;
}

/** Fields (identity by default) whose values differ between a checkpoint's options and this run's, as readable lines. */
export function identityMismatches(saved: TrainOptions, now: TrainOptions, fields: readonly (keyof TrainOptions)[] = IDENTITY_FIELDS): string[] {
  const out: string[] = [];
  for (const f of fields) {
    const a = canonicalJson(saved[f]);
    const b = canonicalJson(now[f]);
    if (a !== b) out.push(`${f}: the checkpoint was trained with ${a}; this run asks for ${b}`);
  }
  return out;
}

/** JSON with object keys sorted, so equal settings compare equal whatever order they were written in. */
export function canonicalJson(v: unknown): string {
  return JSON.stringify(v, (_, x: unknown) =>
    x !== null && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : x,
  );
}
