// The small language-modelling comparison: a hybrid H3 (H3 layers + one attention layer), an H3-only model, a
// Transformer and an S4D model of equal parameter count, trained on the same tokens of the embedded corpus
// (same batches in the same order, same schedule), compared by validation perplexity beside the paper's
// OpenWebText ordering at 125M (reference §9.1).
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { MANIFEST_FILE, sotuFiles, tokenizeCorpus } from '@hippo/data';
import { countParameters, modelPreset, paddedVocab } from '@hippo/models';
import { CORPUS_VAL_FRACTION } from '../data/corpus-source.js';
import type { JobResult, ReproJob } from './jobs.js';
import { PAPER_OWT_PERPLEXITY } from './paper.js';
import { markdownTable } from './report.js';
import { fmtWall } from './synthetic.js';

/** A row of the table. */
export interface LmModel {
  key: keyof typeof PAPER_OWT_PERPLEXITY;
  label: string;
  /** Model config fields on top of the shared base (dInner is then set to match the parameter count). */
  overrides: (s: LmReproSettings) => Record<string, unknown>;
}

/** The four models, in the paper's order (best first at 125M). */
export const LM_MODELS: readonly LmModel[] = [
  { key: 'hybrid', label: 'Hybrid H3', overrides: (s) => ({ mixer: 'h3', attnLayerIdx: [Math.floor(s.nLayer / 2)] }) },
  { key: 'transformer', label: 'Transformer', overrides: (s) => ({ mixer: 'attention', attnLayerIdx: [], maxPositionEmbeddings: s.seqLen }) },
  { key: 'h3', label: 'H3', overrides: () => ({ mixer: 'h3', attnLayerIdx: [] }) },
  { key: 's4d', label: 'S4D', overrides: () => ({ mixer: 's4d', attnLayerIdx: [] }) },
];

/** How the four runs train; the defaults are what `repro-lm` ran for docs/language-modeling.md. */
export interface LmReproSettings {
  dModel: number;
  nLayer: number;
  attnHeads: number;
  /** MLP width of the model with the most mixer parameters (H3-only); the others get a wider MLP to match. */
  dInner: number;
  steps: number;
  batchSize: number;
  seqLen: number;
  lr: number;
  warmupSteps: number;
  seed: number;
  evalEvery: number;
  /** Validation windows of B × seqLen tokens per evaluation (the same for every model). */
  evalBatches: number;
}

export const LM_DEFAULTS: LmReproSettings = {
  dModel: 64,
  nLayer: 4,
  attnHeads: 4,
  dInner: 256,
  steps: 250,
  batchSize: 8,
  seqLen: 128,
  lr: 2e-3,
  warmupSteps: 20,
  seed: 0,
  evalEvery: 125,
  evalBatches: 16,
};

const BASE = (s: LmReproSettings) => ({ dModel: s.dModel, nLayer: s.nLayer, attnHeads: s.attnHeads, dInner: s.dInner });

/**
 * Each model's overrides with dInner chosen so that every model has as many parameters as the largest
 * (within one MLP unit, 2·d + 1 parameters per layer, whichever of the two nearest widths is closer).
 */
export function lmModelOverrides(s: LmReproSettings): { model: LmModel; overrides: Record<string, unknown>; parameters: number }[] {
  const count = (ov: Record<string, unknown>) => countParameters(modelPreset('h3-tiny', { overrides: ov }));
  const base = LM_MODELS.map((m) => ({ ...BASE(s), ...m.overrides(s) }));
  const target = Math.max(...base.map(count));
  return LM_MODELS.map((model, i) => {
    const ov = base[i];
    const perUnit = s.nLayer * (2 * s.dModel + 1);
    const gap = target - count(ov);
    const lo = s.dInner + Math.floor(gap / perUnit);
    const pick = [lo, lo + 1].reduce((a, b) => (Math.abs(target - count({ ...ov, dInner: b })) < Math.abs(target - count({ ...ov, dInner: a })) ? b : a));
    const overrides = { ...ov, dInner: pick };
    return { model, overrides, parameters: count(overrides) };
  });
}

/** Tokenizes the embedded corpus into `<dir>` once (a finished folder is reused) and returns the folder. */
export async function corpusTokens(dir: string, log: (line: string) => void): Promise<string> {
  const abs = resolve(dir);
  if (!existsSync(join(abs, MANIFEST_FILE))) {
    const r = await tokenizeCorpus({ inputs: sotuFiles(), out: abs, valFraction: CORPUS_VAL_FRACTION, log: () => {} });
    log(`tokenized the embedded corpus into ${abs} in ${r.seconds.toFixed(1)} s`);
  }
  return abs;
}

/** The four runs: the same token shards, seed (so the same batches), steps and schedule for every model. */
export function lmJobs(s: LmReproSettings, tokensDir: string): ReproJob[] {
  return lmModelOverrides(s).map(({ model, overrides }) => ({
    id: `lm/${model.key}`,
    options: {
      preset: 'h3-tiny',
      overrides,
      data: { kind: 'shards', dir: tokensDir },
      steps: s.steps,
      batchSize: s.batchSize,
      seqLen: s.seqLen,
      lr: s.lr,
      warmupSteps: s.warmupSteps,
      seed: s.seed,
      evalEvery: s.evalEvery,
      evalBatches: s.evalBatches,
    },
  }));
}

/** The markdown report: perplexities beside the paper's, the two orderings, one line per run. */
export function lmReport(s: LmReproSettings, results: readonly JobResult[], wallSeconds: number, command: string): string {
  const models = lmModelOverrides(s);
  const byKey = new Map(results.map((r) => [r.id.slice('lm/'.length), r]));
  const ppl = (k: string) => byKey.get(k)?.final.perplexity ?? NaN;
  const rows = models.map(({ model, overrides }) => {
    const r = byKey.get(model.key);
    return [model.label, r ? r.parameters.toLocaleString('en-US') : '—', String(overrides.dInner), PAPER_OWT_PERPLEXITY[model.key].toFixed(1), r ? ppl(model.key).toFixed(1) : '—', r ? r.final.valLoss.toFixed(3) : '—', r ? r.seconds.toFixed(0) : '—'];
  });
  const order = (f: (k: LmModel['key']) => number) => [...LM_MODELS].sort((a, b) => f(a.key) - f(b.key)).map((m) => `${m.label} ${f(m.key).toFixed(1)}`).join(' < ');
  const paperOrder = order((k) => PAPER_OWT_PERPLEXITY[k]);
  const ours = results.length === LM_MODELS.length ? order(ppl) : '(incomplete)';
  const tokens = s.steps * s.batchSize * s.seqLen;
  const nonEmbedding = (k: LmModel['key']) => {
    const m = models.find((x) => x.model.key === k)!;
    return m.parameters - paddedVocab(modelPreset('h3-tiny', { overrides: m.overrides })) * s.dModel;
  };
  return [
    `Validation perplexity on the embedded corpus (GPT-2 tokens); Hippo column from \`${command}\` (${fmtWall(wallSeconds)} wall). Paper: OpenWebText, 125M parameters, 50B tokens.`,
    '',
    markdownTable(['model', 'parameters', 'MLP width', 'paper OWT ppl', 'Hippo ppl', 'val loss', 'seconds'], rows),
    '',
    `Paper ordering: ${paperOrder}.`,
    `Hippo ordering: ${ours}${ours === '(incomplete)' ? '' : ours.split(' < ').map((x) => x.replace(/ [\d.]+$/, '')).join() === paperOrder.split(' < ').map((x) => x.replace(/ [\d.]+$/, '')).join() ? ' (the same order)' : ' (not the paper\'s order)'}.`,
    '',
    `Settings: d_model ${s.dModel}, ${s.nLayer} layers (hybrid: attention at layer ${Math.floor(s.nLayer / 2)}), ${s.attnHeads} attention heads, d_state 64; ` +
      `${s.steps} steps × batch ${s.batchSize} × ${s.seqLen} tokens = ${tokens.toLocaleString('en-US')} training tokens per model (the same windows for all), ` +
      `AdamW lr ${s.lr} (SSM ${Math.min(1e-3, s.lr)}), weight decay 0.1, warmup ${s.warmupSteps} steps then cosine to 0.1·lr, clip 1, seed ${s.seed}; ` +
      `validation: the first ${s.evalBatches} × ${s.batchSize} windows of ${s.seqLen} tokens of the held-out addresses. ` +
      `Non-embedding parameters: ${LM_MODELS.map((m) => `${m.label} ${nonEmbedding(m.key).toLocaleString('en-US')}`).join(', ')}.`,
    '',
  ].join('\n');
}
