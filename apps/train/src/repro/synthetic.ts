// The paper's synthetic-task table (reference §8): 2-layer, d_model 32 models — S4D, the shift/gated baseline
// that stands in for Gated State Spaces, H3 and attention — trained on induction head and associative recall,
// scored by test accuracy on the final (answer) token, printed beside the paper's numbers.
import { PAPER_SETTINGS, syntheticDataset, type SyntheticTask } from '@hippo/data';
import type { DataSpec } from '../options.js';
import type { JobResult, ReproJob } from './jobs.js';
import { PAPER_SYNTHETIC } from './paper.js';
import { markdownTable, pct } from './report.js';

/** A model column of the table. */
export interface SyntheticModel {
  key: 's4d' | 'gss' | 'h3' | 'attention';
  label: string;
  /** Model config fields on top of the shared 2-layer base. */
  overrides: Record<string, unknown>;
}

/** The four columns, in the paper's order. */
export const SYNTHETIC_MODELS: readonly SyntheticModel[] = [
  { key: 's4d', label: 'S4D', overrides: { mixer: 's4d' } },
  // H3 without its diagonal SSM: shift SSM + multiplicative gates, the closest of our mixers to GSS
  { key: 'gss', label: 'shift-gated (for GSS)', overrides: { mixer: 'shift-gated' } },
  { key: 'h3', label: 'H3', overrides: { mixer: 'h3' } },
  // learned positions as the paper's Transformer (maxPositionEmbeddings set per task to its length)
  { key: 'attention', label: 'Attention', overrides: { mixer: 'attention' } },
];

export const SYNTHETIC_TASKS: readonly SyntheticTask[] = ['induction-head', 'assoc-recall'];

const TASK_LABEL: Record<SyntheticTask, string> = { 'induction-head': 'Induction Head', 'assoc-recall': 'Associative Recall' };

/** How the runs of one task train. */
export interface TaskSettings {
  /** Optimiser steps of each run. */
  steps: number;
  /** Peak learning rate (SSM parameters: min(1e-3, lr)). */
  lr: number;
  /** 'answer': train on the final token only (see docs/synthetic-tasks.md); 'all': every next token (paper). */
  trainOn: 'all' | 'answer';
}

/** How the table's runs train. The defaults are what `repro-synthetic` ran for docs/synthetic-tasks.md. */
export interface SyntheticReproSettings {
  tasks: Record<SyntheticTask, TaskSettings>;
  batchSize: number;
  /** Linear warmup as a fraction of the steps (paper: 0.1), then cosine to 0.1·lr. */
  warmupFraction: number;
  seed: number;
  /** Evaluate every N steps (0: only at the end). */
  evalEvery: number;
  /** Model config fields on top of the paper's 2-layer, d_model 32 base (tests shrink the model here). */
  overrides: Record<string, unknown>;
  /** Dataset size changes (tests); default the paper's 5000 train / 500 test examples. */
  numExamples?: number;
  numTestExamples?: number;
}

/** The paper's models (§8.4): 2 pre-LN layers, d_model 32, MLP 128, d_state 64, head_dim 1, one attention head. */
export const SYNTHETIC_BASE = { dModel: 32, nLayer: 2, dInner: 128, attnLayerIdx: [], attnHeads: 1, dState: 64, headDim: 1, embedDropout: 0.1, residDropout: 0 };

export const SYNTHETIC_DEFAULTS: SyntheticReproSettings = {
  tasks: {
    'induction-head': { steps: 3000, lr: 1e-3, trainOn: 'answer' },
    'assoc-recall': { steps: 20000, lr: 2e-3, trainOn: 'all' },
  },
  batchSize: 32,
  warmupFraction: 0.05,
  seed: 0,
  evalEvery: 500,
  overrides: {},
};

/** The eight runs (task × model) of the table. */
export function syntheticJobs(s: SyntheticReproSettings): ReproJob[] {
  return SYNTHETIC_TASKS.flatMap((task) => {
    const t = s.tasks[task];
    const data: DataSpec = { kind: 'synthetic', task, trainOn: t.trainOn, numExamples: s.numExamples, numTestExamples: s.numTestExamples };
    const seqLen = syntheticDataset({ ...PAPER_SETTINGS[task], task, numExamples: 1, numTestExamples: 1 }).seqLen;
    return SYNTHETIC_MODELS.map((m) => ({
      id: `${task}/${m.key}`,
      options: {
        preset: 'h3-tiny',
        overrides: { ...SYNTHETIC_BASE, ...m.overrides, ...(m.key === 'attention' ? { maxPositionEmbeddings: seqLen } : {}), ...s.overrides },
        data: JSON.parse(JSON.stringify(data)) as DataSpec,
        steps: t.steps,
        batchSize: s.batchSize,
        lr: t.lr,
        warmupSteps: Math.round(s.warmupFraction * t.steps),
        seed: s.seed,
        evalEvery: s.evalEvery,
      },
    }));
  });
}

/** The markdown report: accuracy beside the paper's, then one line per run. */
export function syntheticReport(s: SyntheticReproSettings, results: readonly JobResult[], wallSeconds: number, command: string): string {
  const byId = new Map(results.map((r) => [r.id, r]));
  const acc = (task: SyntheticTask, key: string) => {
    const r = byId.get(`${task}/${key}`);
    return r?.final.accuracy == null ? '—' : pct(r.final.accuracy);
  };
  const head = ['task', 'Random', ...SYNTHETIC_MODELS.map((m) => m.label)];
  const rows = SYNTHETIC_TASKS.flatMap((task) => [
    [`${TASK_LABEL[task]} (paper)`, PAPER_SYNTHETIC[task].random.toFixed(1), ...SYNTHETIC_MODELS.map((m) => PAPER_SYNTHETIC[task][m.key].toFixed(1))],
    [`${TASK_LABEL[task]} (Hippo)`, PAPER_SYNTHETIC[task].random.toFixed(1), ...SYNTHETIC_MODELS.map((m) => acc(task, m.key))],
  ]);
  const runs = results.map((r) => {
    const [task, key] = r.id.split('/') as [SyntheticTask, string];
    const perEpoch = Math.floor((s.numExamples ?? PAPER_SETTINGS[task].numExamples) / s.batchSize);
    return [TASK_LABEL[task], SYNTHETIC_MODELS.find((m) => m.key === key)!.label, r.parameters.toLocaleString('en-US'), String(r.steps), (r.steps / perEpoch).toFixed(1), r.final.valLoss.toFixed(3), pct(r.final.accuracy ?? NaN), r.seconds.toFixed(0)];
  });
  return [
    `Test accuracy (%) on the answer token; the Hippo rows from \`${command}\` (${fmtWall(wallSeconds)} wall).`,
    '',
    markdownTable(head, rows),
    '',
    `Settings: batch ${s.batchSize}, AdamW (SSM parameters: lr min(1e-3, lr)), weight decay 0.1, warmup ${100 * s.warmupFraction}% of the steps then cosine to 0.1·lr, seed ${s.seed}; ` +
      SYNTHETIC_TASKS.map((task) => {
        const t = s.tasks[task];
        return `${TASK_LABEL[task]}: ${t.steps} steps at lr ${t.lr}, trained on ${t.trainOn === 'answer' ? 'the answer token' : 'every next token'}`;
      }).join('; ') +
      '.',
    '',
    markdownTable(['task', 'model', 'parameters', 'steps', 'epochs', 'test loss', 'accuracy %', 'seconds'], runs),
    '',
  ].join('\n');
}

/** `12 min 5 s` */
export function fmtWall(seconds: number): string {
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const whole = Math.round(seconds);
  return `${Math.floor(whole / 60)} min ${whole % 60} s`;
}
