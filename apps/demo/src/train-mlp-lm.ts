// Trains the MLP language model on a token sequence: seeded init and batches, AdamW with a warmup + cosine
// schedule, global-norm clipping. Identical seeds give the same run on either backend.
import { AdamW, Rng, clipGradNorm, noGrad, tidy, warmupCosine, type Backend } from '@hippo/tensor';
import { MlpLm, slidingWindows, type MlpLmConfig } from './mlp-lm.js';

export interface TrainOptions {
  backend: Backend;
  tokens: Int32Array;
  vocab: number;
  seed: number;
  steps: number;
  batch: number;
  lr: number;
  model?: Partial<Omit<MlpLmConfig, 'vocab'>>;
  onStep?: (step: number, loss: number, gradNorm: number) => void;
}

export interface TrainResult {
  model: MlpLm;
  losses: number[];
}

export async function trainMlpLm(opts: TrainOptions): Promise<TrainResult> {
  const rng = new Rng(opts.seed);
  const config: MlpLmConfig = { vocab: opts.vocab, context: 8, dim: 32, hidden: 64, dropout: 0, ...opts.model };
  const model = new MlpLm(config, { backend: opts.backend, rng });
  const decay = model.namedParameters().filter(([n]) => n.endsWith('weight') && !n.includes('norm')).map(([, t]) => t);
  const noDecay = model.parameters().filter((t) => !decay.includes(t));
  const opt = new AdamW([
    { params: decay, lr: opts.lr, weightDecay: 0.1 },
    { params: noDecay, lr: opts.lr, weightDecay: 0 },
  ]);
  const schedule = warmupCosine({ warmupSteps: Math.max(1, Math.floor(opts.steps / 10)), totalSteps: opts.steps, minFactor: 0.1 });
  const { windows, targets } = slidingWindows(opts.tokens, config.context);
  const losses: number[] = [];
  for (let step = 0; step < opts.steps; step++) {
    const bw = new Int32Array(opts.batch * config.context);
    const bt = new Int32Array(opts.batch);
    for (let i = 0; i < opts.batch; i++) {
      const k = rng.int(targets.length);
      bw.set(windows.subarray(k * config.context, (k + 1) * config.context), i * config.context);
      bt[i] = targets[k];
    }
    const loss = tidy(() => {
      const l = model.loss(bw, bt);
      l.backward();
      return l;
    });
    const { norm, scale } = await clipGradNorm(model.parameters(), 1.0);
    opt.lrFactor = schedule(step);
    opt.step(scale);
    opt.zeroGrad();
    const value = await loss.item();
    loss.dispose();
    if (!Number.isFinite(value)) throw new Error(`training diverged: loss ${value} at step ${step}`);
    losses.push(value);
    opts.onStep?.(step, value, norm);
  }
  return { model, losses };
}

/** Samples `n` tokens after `prompt` (temperature sampling; greedy when temperature is 0). */
export async function sample(model: MlpLm, prompt: Int32Array, n: number, temperature: number, rng: Rng): Promise<Int32Array> {
  const { context } = model.config;
  const out = Array.from(prompt);
  model.eval();
  for (let i = 0; i < n; i++) {
    const window = Int32Array.from(out.slice(-context));
    if (window.length < context) throw new RangeError(`sample: the prompt needs at least ${context} tokens`);
    const logits = noGrad(() => tidy(() => model.forward(window)));
    const values = await logits.toArray();
    logits.dispose();
    out.push(pick(values, temperature, rng));
  }
  model.train();
  return Int32Array.from(out.slice(prompt.length));
}

function pick(logits: ArrayLike<number>, temperature: number, rng: Rng): number {
  let best = 0;
  for (let i = 1; i < logits.length; i++) if (logits[i] > logits[best]) best = i;
  if (temperature === 0) return best;
  const p = Array.from(logits, (l) => Math.exp((l - logits[best]) / temperature));
  let u = rng.uniform() * p.reduce((a, b) => a + b, 0);
  for (let i = 0; i < p.length; i++) {
    u -= p[i];
    if (u <= 0) return i;
  }
  return p.length - 1;
}
