// The command line of hippo-train → TrainOptionsInput (plus what only the command uses), with messages that
// name the flag, what it accepts and what came in. node:util parseArgs, as apps/eval.
import { parseArgs } from 'node:util';
import { PAPER_SETTINGS, type SyntheticTask } from '@hippo/data';
import { PRESET_NAMES } from '@hippo/models';
import { syntheticBatchesPerEpoch } from './data/synthetic-source.js';
import { TrainConfigError } from './errors.js';
import type { DataSpec, TrainOptions, TrainOptionsInput } from './options.js';
import { DEFAULT_PROMPT } from './sample.js';

export const USAGE = `hippo-train [options]
hippo-train repro-synthetic | repro-lm [options]   (the paper's tables; see hippo-train repro-lm --help)
Trains an H3 language model (or a baseline) with AdamW, warmup + cosine, clipping and gradient accumulation,
evaluating, checkpointing and plotting as it goes. Kill it at any time and re-run with --resume.

Model
  --preset NAME          ${PRESET_NAMES.join(' ')} [h3-tiny]
  --variant V            where h3 presets put attention: released | training [released]
  --set KEY=VALUE        change one model config field; VALUE is JSON or a bare word (repeatable), e.g.
                         --set nLayer=2 --set attnLayerIdx=[1] --set mixer=s4d --set embedDropout=0
Data
  --data SOURCE          corpus (the embedded State of the Union addresses) | shards | synthetic [corpus]
  --shards DIR           token shards made by \`hippo-data tokenize --out DIR\` (with --data shards)
  --task TASK            induction-head | assoc-recall (with --data synthetic; paper settings)
  --val-fraction F       corpus: fraction of addresses held out for validation [0.05]
  --train-on T           synthetic: train on every next token (all, the paper's) or the answer only [all]
Training
  --steps N              optimiser steps [100]
  --epochs E             synthetic tasks: passes over the training set, instead of --steps
  --batch-size B         sequences per micro-batch [8; synthetic 32]
  --seq-len L            tokens per sequence (language modelling) [128]
  --grad-accum K         micro-batches per step [1]
  --lr LR                peak learning rate; SSM parameters use min(1e-3, LR) [6e-4; synthetic 5e-4]
  --min-lr-factor F      cosine floor as a fraction of LR [0.1]
  --warmup-steps N       linear warmup [10% of the steps]
  --weight-decay W       AdamW weight decay of weight matrices [0.1]
  --clip C               global gradient-norm clip, 0 = off [1]
  --seed S               initialisation, dropout and data order [0]
  --backend B            cpu | webgpu [WebGPU on a hardware adapter, else cpu (a software one such as
                         lavapipe is slower than cpu); HIPPO_BACKEND too]
Evaluation, checkpoints, output
  --eval-every N         evaluate every N steps, 0 = only at the end [0]
  --eval-batches N       validation batches per evaluation (language modelling) [4]
  --checkpoint-every N   checkpoint every N steps, 0 = only at the end [0]
  --keep N               checkpoints kept [2]
  --out DIR              run folder: ckpt-*/, model.safetensors + config.json, metrics.jsonl, loss.svg [runs/train]
  --resume               continue the run in --out from its newest checkpoint (settings default to the run's)
  --auto-resume          --resume when --out holds a checkpoint, else start a new run
  --sample-tokens N      tokens of the generated sample printed at the end, 0 = none [48]
  --prompt TEXT          the sample's prompt [${JSON.stringify(DEFAULT_PROMPT)}]

Exit status: 0 done, 1 bad settings or files, 2 bad usage, 3 stopped on NaN/Inf (the last checkpoint is kept).`;

/** What the command needs besides the trainer's options. */
export interface CommandSettings {
  backend: 'cpu' | 'webgpu' | null;
  sampleTokens: number;
  prompt: string;
  /** resume only if --out holds a checkpoint */
  autoResume: boolean;
  help: boolean;
}

/** Flag of each option field, for messages. */
export const FLAG_OF: Partial<Record<keyof TrainOptions, string>> = {
  preset: '--preset',
  variant: '--variant',
  steps: '--steps',
  batchSize: '--batch-size',
  seqLen: '--seq-len',
  gradAccum: '--grad-accum',
  lr: '--lr',
  minLrFactor: '--min-lr-factor',
  warmupSteps: '--warmup-steps',
  weightDecay: '--weight-decay',
  clip: '--clip',
  seed: '--seed',
  evalEvery: '--eval-every',
  evalBatches: '--eval-batches',
  checkpointEvery: '--checkpoint-every',
  keepCheckpoints: '--keep',
  out: '--out',
  resume: '--resume',
};

const OPTIONS = {
  preset: { type: 'string' },
  variant: { type: 'string' },
  set: { type: 'string', multiple: true },
  data: { type: 'string' },
  shards: { type: 'string' },
  task: { type: 'string' },
  'val-fraction': { type: 'string' },
  'train-on': { type: 'string' },
  steps: { type: 'string' },
  epochs: { type: 'string' },
  'batch-size': { type: 'string' },
  'seq-len': { type: 'string' },
  'grad-accum': { type: 'string' },
  lr: { type: 'string' },
  'min-lr-factor': { type: 'string' },
  'warmup-steps': { type: 'string' },
  'weight-decay': { type: 'string' },
  clip: { type: 'string' },
  seed: { type: 'string' },
  backend: { type: 'string' },
  'eval-every': { type: 'string' },
  'eval-batches': { type: 'string' },
  'checkpoint-every': { type: 'string' },
  keep: { type: 'string' },
  out: { type: 'string' },
  resume: { type: 'boolean' },
  'auto-resume': { type: 'boolean' },
  'sample-tokens': { type: 'string' },
  prompt: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

function num(flag: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n)) throw new TrainConfigError(`--${flag}`, 'a number', JSON.stringify(v));
  return n;
}

function int(flag: string, v: string | undefined, min: number): number | undefined {
  const n = num(flag, v);
  if (n !== undefined && !(Number.isSafeInteger(n) && n >= min)) throw new TrainConfigError(`--${flag}`, `an integer ≥ ${min}`, JSON.stringify(v));
  return n;
}

/** `KEY=VALUE` pairs → an overrides object; VALUE is JSON when it parses, else the bare string. */
export function parseOverrides(pairs: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new TrainConfigError('--set', 'KEY=VALUE (e.g. --set nLayer=2)', JSON.stringify(pair));
    const raw = pair.slice(eq + 1);
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch {
      value = raw;
    }
    out[pair.slice(0, eq)] = value;
  }
  return out;
}

function dataSpec(v: { data?: string; shards?: string; task?: string; 'val-fraction'?: string; 'train-on'?: string }): DataSpec | undefined {
  const kind = v.data ?? (v.shards ? 'shards' : v.task ? 'synthetic' : undefined);
  if (kind === undefined) return undefined;
  if (v['train-on'] !== undefined && kind !== 'synthetic') throw new TrainConfigError('--train-on', '--data synthetic (language modelling trains on every token)', JSON.stringify(v['train-on']));
  if (kind === 'corpus') {
    const valFraction = num('val-fraction', v['val-fraction']);
    if (valFraction !== undefined && !(valFraction > 0 && valFraction < 1)) throw new TrainConfigError('--val-fraction', 'a number in (0, 1)', JSON.stringify(v['val-fraction']));
    return valFraction === undefined ? { kind } : { kind, valFraction };
  }
  if (kind === 'shards') {
    if (!v.shards) throw new TrainConfigError('--shards', 'a token shards folder (with manifest.json) for --data shards', 'nothing');
    return { kind, dir: v.shards };
  }
  if (kind === 'synthetic') {
    const tasks = Object.keys(PAPER_SETTINGS) as SyntheticTask[];
    if (!tasks.includes(v.task as SyntheticTask)) throw new TrainConfigError('--task', tasks.join(' or '), v.task === undefined ? 'nothing' : JSON.stringify(v.task));
    const trainOn = v['train-on'];
    if (trainOn !== undefined && trainOn !== 'all' && trainOn !== 'answer') throw new TrainConfigError('--train-on', 'all or answer', JSON.stringify(trainOn));
    return trainOn === undefined ? { kind, task: v.task as SyntheticTask } : { kind, task: v.task as SyntheticTask, trainOn };
  }
  throw new TrainConfigError('--data', 'corpus, shards or synthetic', JSON.stringify(kind));
}

/**
 * Parses argv. Only the flags given appear in `options` (a resumed run fills the rest from its checkpoint).
 * @example parseTrainArgs(['--task', 'induction-head', '--epochs', '10']).options.steps // 10 · ⌊5000/32⌋ = 1560
 */
export function parseTrainArgs(argv: string[]): { options: Partial<TrainOptionsInput>; command: CommandSettings } {
  const { values: v } = parseArgs({ args: argv, options: OPTIONS, strict: true, allowPositionals: false });
  const backend = v.backend;
  if (backend !== undefined && backend !== 'cpu' && backend !== 'webgpu') throw new TrainConfigError('--backend', 'cpu or webgpu', JSON.stringify(backend));
  if (v.resume && v['auto-resume']) throw new TrainConfigError('--auto-resume', 'not both --resume and --auto-resume', 'both');
  const data = dataSpec(v);
  const options: Partial<TrainOptionsInput> = {
    preset: v.preset,
    variant: v.variant as TrainOptions['variant'] | undefined,
    overrides: v.set ? parseOverrides(v.set) : undefined,
    data,
    steps: int('steps', v.steps, 1),
    batchSize: int('batch-size', v['batch-size'], 1),
    seqLen: int('seq-len', v['seq-len'], 1),
    gradAccum: int('grad-accum', v['grad-accum'], 1),
    lr: num('lr', v.lr),
    minLrFactor: num('min-lr-factor', v['min-lr-factor']),
    warmupSteps: int('warmup-steps', v['warmup-steps'], 0),
    weightDecay: num('weight-decay', v['weight-decay']),
    clip: num('clip', v.clip),
    seed: int('seed', v.seed, 0),
    evalEvery: int('eval-every', v['eval-every'], 0),
    evalBatches: int('eval-batches', v['eval-batches'], 1),
    checkpointEvery: int('checkpoint-every', v['checkpoint-every'], 0),
    keepCheckpoints: int('keep', v.keep, 1),
    out: v.out,
    resume: v.resume,
  };
  const epochs = num('epochs', v.epochs);
  if (epochs !== undefined) {
    if (data?.kind !== 'synthetic') throw new TrainConfigError('--epochs', '--data synthetic (language modelling counts --steps)', JSON.stringify(v.epochs));
    if (options.steps !== undefined) throw new TrainConfigError('--epochs', 'either --epochs or --steps', 'both');
    if (!(epochs > 0)) throw new TrainConfigError('--epochs', 'a number > 0', JSON.stringify(v.epochs));
    const perEpoch = syntheticBatchesPerEpoch(PAPER_SETTINGS[data.task].numExamples, options.batchSize ?? 32);
    options.steps = Math.max(1, Math.ceil((epochs * perEpoch) / (options.gradAccum ?? 1)));
  }
  for (const k of Object.keys(options) as (keyof TrainOptionsInput)[]) if (options[k] === undefined) delete options[k];
  return {
    options,
    command: {
      backend: (backend as 'cpu' | 'webgpu' | undefined) ?? null,
      sampleTokens: int('sample-tokens', v['sample-tokens'], 0) ?? 48,
      prompt: v.prompt ?? DEFAULT_PROMPT,
      autoResume: v['auto-resume'] ?? false,
      help: v.help ?? false,
    },
  };
}
