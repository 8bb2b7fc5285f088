// `hippo-train repro-synthetic` and `hippo-train repro-lm`: run a reproduction table's trainings (in parallel
// child processes by default), show progress on stderr, write the report, results and loss plots to --out and
// print the report. `hippo-train repro-job` is the child side (one run, result as JSON on stdout).
import { parseArgs } from 'node:util';
import { join } from 'node:path';
import { parseOverrides } from '../args.js';
import { TrainConfigError } from '../errors.js';
import { modelConfigFor } from '../model-config.js';
import { runJobs, type JobProgress, type JobResult, type ReproJob } from './jobs.js';
import { LM_DEFAULTS, corpusTokens, lmJobs, lmReport, type LmReproSettings } from './lm.js';
import { TABLE_FILE, pct, writeReport } from './report.js';
import { SYNTHETIC_DEFAULTS, fmtWall, syntheticJobs, syntheticReport, type SyntheticReproSettings, type TaskSettings } from './synthetic.js';

const IH = SYNTHETIC_DEFAULTS.tasks['induction-head'];
const AR = SYNTHETIC_DEFAULTS.tasks['assoc-recall'];

export const REPRO_USAGE = `hippo-train repro-synthetic [options]   the paper's synthetic-task table (docs/synthetic-tasks.md)
hippo-train repro-lm [options]          the small language-modelling comparison (docs/language-modeling.md)
  --out DIR          table.md, results.json and one loss plot per run [runs/repro-synthetic | runs/repro-lm]
  --jobs N           runs at a time, each in its own process (1: in this process) [2]
  --threads N        cpu threads per process [1]
  --steps N          steps of every run [synthetic: ${IH.steps} induction head, ${AR.steps} associative recall; lm: ${LM_DEFAULTS.steps}]
  --lr LR            peak learning rate [synthetic: ${IH.lr} induction head, ${AR.lr} associative recall; lm ${LM_DEFAULTS.lr}]
  --seed S           initialisation, dropout and data order [0]
  --eval-every N     evaluations during each run, for the plots [synthetic ${SYNTHETIC_DEFAULTS.evalEvery}; lm ${LM_DEFAULTS.evalEvery}]
  --set KEY=VALUE    synthetic: a model config field for every model (e.g. --set dModel=16, smaller runs)
  --examples N       synthetic: training examples per task [5000]
  --test-examples N  synthetic: test examples per task [500]
  --train-on T       synthetic: answer (the final token) | all (every next token, the paper's)
                     [${IH.trainOn} for induction head, ${AR.trainOn} for associative recall]
  --d-model D, --layers N, --batch-size B, --seq-len L, --eval-batches N   lm: the models' size and the data
Runs are deterministic given the seed: the same numbers for any --jobs and --threads.`;

const OPTIONS = {
  out: { type: 'string' },
  jobs: { type: 'string' },
  threads: { type: 'string' },
  steps: { type: 'string' },
  lr: { type: 'string' },
  seed: { type: 'string' },
  'eval-every': { type: 'string' },
  set: { type: 'string', multiple: true },
  examples: { type: 'string' },
  'test-examples': { type: 'string' },
  'train-on': { type: 'string' },
  'd-model': { type: 'string' },
  layers: { type: 'string' },
  'batch-size': { type: 'string' },
  'seq-len': { type: 'string' },
  'eval-batches': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

function number(flag: string, v: string | undefined, ok: (n: number) => boolean, what: string): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n) || !ok(n)) throw new TrainConfigError(`--${flag}`, what, JSON.stringify(v));
  return n;
}
const int = (flag: string, v: string | undefined, min: number) => number(flag, v, (n) => Number.isSafeInteger(n) && n >= min, `an integer ≥ ${min}`);
const positive = (flag: string, v: string | undefined) => number(flag, v, (n) => n > 0, 'a number > 0');

/** Runs `repro-synthetic` or `repro-lm` with the arguments after the subcommand; returns the exit status. */
export async function reproCommand(which: 'synthetic' | 'lm', argv: string[]): Promise<number> {
  const { values: v } = parseArgs({ args: argv, options: OPTIONS, strict: true, allowPositionals: false });
  if (v.help) {
    console.log(REPRO_USAGE);
    return 0;
  }
  const only = (flags: string[], where: string) => {
    for (const f of flags) if ((v as Record<string, unknown>)[f] !== undefined) throw new TrainConfigError(`--${f}`, `only with ${where}`, `repro-${which}`);
  };
  const out = v.out ?? `runs/repro-${which}`;
  const parallel = int('jobs', v.jobs, 1) ?? 2;
  const threads = int('threads', v.threads, 1) ?? 1;
  const steps = int('steps', v.steps, 1);
  const lr = positive('lr', v.lr);
  const seed = int('seed', v.seed, 0);
  const evalEvery = int('eval-every', v['eval-every'], 0);
  const command = ['hippo-train', `repro-${which}`, ...argv].join(' ');
  const log = (line: string) => process.stderr.write(`${line}\n`);
  let settings: SyntheticReproSettings | LmReproSettings;
  let jobs: ReproJob[];
  let report: (results: JobResult[], wall: number) => string;
  if (which === 'synthetic') {
    only(['d-model', 'layers', 'batch-size', 'seq-len', 'eval-batches'], 'repro-lm');
    const trainOn = v['train-on'];
    if (trainOn !== undefined && trainOn !== 'all' && trainOn !== 'answer') throw new TrainConfigError('--train-on', 'all or answer', JSON.stringify(trainOn));
    const task = (t: TaskSettings): TaskSettings => ({ steps: steps ?? t.steps, lr: lr ?? t.lr, trainOn: trainOn ?? t.trainOn });
    const s: SyntheticReproSettings = {
      ...SYNTHETIC_DEFAULTS,
      tasks: { 'induction-head': task(IH), 'assoc-recall': task(AR) },
      seed: seed ?? SYNTHETIC_DEFAULTS.seed,
      evalEvery: evalEvery ?? SYNTHETIC_DEFAULTS.evalEvery,
      overrides: v.set ? parseOverrides(v.set) : {},
      numExamples: int('examples', v.examples, 1),
      numTestExamples: int('test-examples', v['test-examples'], 1),
    };
    settings = s;
    jobs = syntheticJobs(s);
    report = (r, wall) => syntheticReport(s, r, wall, command);
  } else {
    only(['set', 'examples', 'test-examples', 'train-on'], 'repro-synthetic');
    const s: LmReproSettings = {
      ...LM_DEFAULTS,
      steps: steps ?? LM_DEFAULTS.steps,
      lr: lr ?? LM_DEFAULTS.lr,
      seed: seed ?? LM_DEFAULTS.seed,
      evalEvery: evalEvery ?? LM_DEFAULTS.evalEvery,
      dModel: int('d-model', v['d-model'], 1) ?? LM_DEFAULTS.dModel,
      nLayer: int('layers', v.layers, 2) ?? LM_DEFAULTS.nLayer,
      batchSize: int('batch-size', v['batch-size'], 1) ?? LM_DEFAULTS.batchSize,
      seqLen: int('seq-len', v['seq-len'], 2) ?? LM_DEFAULTS.seqLen,
      evalBatches: int('eval-batches', v['eval-batches'], 1) ?? LM_DEFAULTS.evalBatches,
    };
    if (v['d-model'] !== undefined) {
      // heads and MLP width follow the model width as in the defaults (d/16 heads, MLP 4·d)
      s.attnHeads = Math.max(1, Math.floor(s.dModel / 16));
      s.dInner = 4 * s.dModel;
    }
    s.warmupSteps = Math.min(s.warmupSteps, s.steps - 1);
    settings = s;
    jobs = lmJobs(s, await corpusTokens(join(out, 'corpus-tokens'), log));
    report = (r, wall) => lmReport(s, r, wall, command);
  }

  // a bad --set is refused here, with the list of valid keys, rather than by every child process
  for (const j of jobs) modelConfigFor(j.options.preset ?? 'h3-tiny', 'released', j.options.overrides ?? {});
  log(`repro-${which}: ${jobs.length} runs, ${Math.min(parallel, jobs.length)} at a time${parallel > 1 ? ` (child processes, ${threads} thread${threads > 1 ? 's' : ''} each)` : ''}; results in ${out}`);
  const t0 = performance.now();
  const elapsed = () => fmtWall((performance.now() - t0) / 1000);
  const running = new Map<string, JobProgress>();
  let done = 0;
  // a status line every 15 s: plain lines, so a log file or CI output reads as well as a terminal
  const timer = setInterval(() => {
    const parts = [...running.values()].map((p) => `${p.id} ${p.step}/${p.steps} loss ${p.loss.toFixed(3)}`);
    log(`  [${elapsed()}] ${done}/${jobs.length} done${parts.length ? `; ${parts.join('; ')}` : ''}`);
  }, 15_000);
  let results: JobResult[];
  try {
    results = await runJobs(jobs, {
      parallel,
      threads,
      onProgress: (p) => running.set(p.id, p),
      onDone: (r) => {
        running.delete(r.id);
        done++;
        const score = r.final.accuracy !== null ? `accuracy ${pct(r.final.accuracy)}%` : `perplexity ${r.final.perplexity.toFixed(2)}`;
        log(`  [${elapsed()}] ${r.id}: ${score} after ${r.steps} steps (${r.seconds.toFixed(0)} s)`);
      },
    });
  } finally {
    clearInterval(timer);
  }
  const wall = (performance.now() - t0) / 1000;
  const text = report(results, wall);
  await writeReport(out, text, settings, results, wall);
  console.log(text);
  log(`repro-${which}: done in ${fmtWall(wall)}; ${join(out, TABLE_FILE)}, results.json and ${results.length} loss plots written`);
  return 0;
}
