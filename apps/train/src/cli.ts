// hippo-train: the command around `train()` — flags, progress on stderr, a summary and (for language models)
// a generated sample on stdout. Exit status: 0 done, 1 bad settings or files, 2 bad usage, 3 NaN/Inf stop.
import { resolve } from 'node:path';
import { DataError } from '@hippo/data';
import { FLAG_OF, USAGE, parseTrainArgs } from './args.js';
import { latestCheckpoint, readTrainerState } from './checkpoint.js';
import { NonFiniteError, TrainConfigError, TrainError } from './errors.js';
import { resolveTrainOptions, type TrainOptions, type TrainOptionsInput } from './options.js';
import { ProgressBar } from './progress.js';
import { reproCommand } from './repro/command.js';
import { jobCommand } from './repro/jobs.js';
import { sampleText } from './sample.js';
import { METRICS_FILE, PLOT_FILE, train } from './trainer.js';

const DEFAULT_OUT = 'runs/train';

async function main(argv: string[]): Promise<number> {
  // the reproduction tables and their child processes are subcommands; everything else is one training run
  if (argv[0] === 'repro-synthetic' || argv[0] === 'repro-lm') return reproCommand(argv[0] === 'repro-lm' ? 'lm' : 'synthetic', argv.slice(1));
  if (argv[0] === 'repro-job') {
    await jobCommand(argv[1]);
    return 0;
  }
  const { options, command } = parseTrainArgs(argv);
  if (command.help) {
    console.log(USAGE);
    return 0;
  }
  const out = options.out ?? DEFAULT_OUT;
  const latest = latestCheckpoint(out);
  const resume = options.resume === true || (command.autoResume && latest !== null);
  let input: TrainOptionsInput;
  if (resume && latest) {
    // the run's own settings are the defaults; flags given now must agree with them (checked by train())
    const saved = (await readTrainerState(latest.dir)).options;
    input = { ...saved, ...options, out, resume: true };
  } else input = { data: { kind: 'corpus' }, ...options, out, resume };
  const o = resolveTrainOptions(input);
  const bar = new ProgressBar(o.steps, resume && latest ? latest.step : 0);
  const r = await train(o, {
    backend: command.backend ?? undefined,
    log: (line) => bar.log(line),
    onStep: (s) => bar.update(s.step, s.loss, s.tokensPerSecond),
    onEval: (e) => bar.log(`step ${e.step}: ${evalText(e)}`),
    onCheckpoint: (c) => bar.log(`step ${c.step}: checkpoint ${c.dir}`),
  });
  bar.done();
  const trained = r.options.steps - r.startStep;
  console.log(
    trained === 0
      ? `the run in ${out} was already complete at step ${r.options.steps} (delete the folder or choose another --out to train again)`
      : `trained ${r.config.name} for ${trained} steps (${r.startStep > 0 ? `resumed at ${r.startStep}, ` : ''}${r.seconds.toFixed(1)} s): ${evalText(r.final)}`,
  );
  console.log(`model: ${resolve(out)} (config.json + model.safetensors); metrics: ${METRICS_FILE}; plot: ${PLOT_FILE}`);
  if (command.sampleTokens > 0 && r.options.data.kind !== 'synthetic') {
    const text = await sampleText(r.model, command.prompt, { maxNewTokens: command.sampleTokens, seed: r.options.seed });
    console.log(`sample (${command.sampleTokens} tokens, temperature 0.8, top-k 40):\n${text}`);
  }
  return 0;
}

function evalText(e: { valLoss: number; perplexity: number; accuracy: number | null }): string {
  const acc = e.accuracy === null ? '' : `, accuracy ${(100 * e.accuracy).toFixed(1)}%`;
  return `val loss ${e.valLoss.toFixed(4)} (perplexity ${e.perplexity.toFixed(2)})${acc}`;
}

/** The message a user sees: option names as flags. */
function message(e: Error): string {
  if (e instanceof TrainConfigError) {
    const flag = FLAG_OF[e.option as keyof TrainOptions];
    if (flag) return `${flag}: expected ${e.expected}; got ${e.got}`;
  }
  return e.message;
}

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (e: unknown) => {
    const err = e as Error & { code?: string };
    const usage = err instanceof TypeError && err.code?.startsWith('ERR_PARSE_ARGS');
    // our own errors and the data package's carry the whole story (option, file, step); anything else its stack
    const known = e instanceof TrainError || e instanceof DataError || usage;
    console.error(known ? `hippo-train: ${message(err)}${usage ? ' (see hippo-train --help)' : ''}` : e);
    process.exitCode = e instanceof NonFiniteError ? 3 : usage ? 2 : 1;
  },
);
