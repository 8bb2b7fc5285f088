// hippo-demo: the engine demo (the README's main job until the train app exists). Trains the small MLP
// language model on the embedded text on the default backend (WebGPU when an adapter exists, else CPU) and
// prints a sample.
import { parseArgs } from 'node:util';
import { Rng, defaultBackend, getBackend } from '@hippo/tensor';
import { CharVocab } from './char-vocab.js';
import { CORPUS } from './corpus.js';
import { sample, trainMlpLm } from './train-mlp-lm.js';

const USAGE = `usage: hippo-demo [--backend cpu|webgpu] [--steps N] [--batch N] [--lr X] [--seed N]
Trains a small MLP language model on an embedded public-domain text and prints a sample.`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      backend: { type: 'string' },
      steps: { type: 'string', default: '1000' },
      batch: { type: 'string', default: '64' },
      lr: { type: 'string', default: '0.003' },
      seed: { type: 'string', default: '1' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const int = (name: string, v: string) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n <= 0) throw new Error(`--${name} must be a positive integer; got '${v}'\n${USAGE}`);
    return n;
  };
  if (values.backend && values.backend !== 'cpu' && values.backend !== 'webgpu')
    throw new Error(`--backend must be cpu or webgpu; got '${values.backend}'`);
  const backend = values.backend ? await getBackend(values.backend as 'cpu' | 'webgpu') : await defaultBackend();
  if (values.backend) console.error(`hippo: backend ${backend.describe()} (--backend)`);
  const steps = int('steps', values.steps!);
  const vocab = new CharVocab(CORPUS);
  const tokens = vocab.encode(CORPUS);
  console.log(`training an MLP language model on ${tokens.length} characters (vocabulary ${vocab.size}) for ${steps} steps`);
  const t0 = performance.now();
  const { model, losses } = await trainMlpLm({
    backend,
    tokens,
    vocab: vocab.size,
    seed: int('seed', values.seed!),
    steps,
    batch: int('batch', values.batch!),
    lr: Number(values.lr),
    onStep: (step, loss, norm) => {
      if (step % 25 === 0 || step === steps - 1) {
        const s = (performance.now() - t0) / 1000;
        console.log(`step ${String(step + 1).padStart(4)}/${steps}  loss ${loss.toFixed(4)}  grad-norm ${norm.toFixed(3)}  ${s.toFixed(1)}s`);
      }
    },
  });
  const first = losses.slice(0, 10).reduce((a, b) => a + b, 0) / Math.min(10, losses.length);
  const last = losses.slice(-10).reduce((a, b) => a + b, 0) / Math.min(10, losses.length);
  console.log(`mean loss: first 10 steps ${first.toFixed(3)} → last 10 steps ${last.toFixed(3)} (uniform guess: ${Math.log(vocab.size).toFixed(3)})`);
  console.log(`parameters: ${model.numParameters().toLocaleString('en-US')}; ${((performance.now() - t0) / 1000).toFixed(1)}s on ${backend.name}`);
  const prompt = 'Alice was';
  const out = await sample(model, vocab.encode(prompt.slice(-model.config.context).padStart(model.config.context, ' ')), 160, 0.6, new Rng(7));
  console.log(`\nsample (temperature 0.6): ${prompt}${vocab.decode(out)}`);
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exitCode = 1;
});
