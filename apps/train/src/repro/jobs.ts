// The runs of a reproduction table as jobs: each job is one `train()` call whose result is reduced to what a
// table and a plot need. Jobs run in this process one after another, or in parallel child processes (the
// command itself, started as `hippo-train repro-job`), each on HIPPO_THREADS threads: at the sizes of these
// tables a step is a few hundred small operations, so two single-threaded processes on two cores finish the
// table sooner than one process whose every operation is split over two threads. The cpu backend gives the
// same bits for any thread count, so where a job runs does not change its numbers.
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { countParameters } from '@hippo/models';
import { cpuBackend } from '@hippo/tensor';
import type { EvalRecord } from '../metrics.js';
import type { TrainOptionsInput } from '../options.js';
import { train } from '../trainer.js';

/** One training run of a table. */
export interface ReproJob {
  /** Unique within the table, e.g. `induction-head/h3`. */
  id: string;
  /** Everything `train()` needs; `out` is left unset (nothing on disk). */
  options: TrainOptionsInput;
}

/** What a table keeps of a run. */
export interface JobResult {
  id: string;
  parameters: number;
  steps: number;
  /** Every `curveEvery`-th step's training loss (mean over those steps), for the loss plot. */
  trainCurve: { step: number; loss: number }[];
  evals: EvalRecord[];
  final: EvalRecord;
  /** Wall seconds of the training loop (evaluations included). */
  seconds: number;
}

/** Progress of a running job, as reported while it trains. */
export interface JobProgress {
  id: string;
  step: number;
  steps: number;
  loss: number;
}

/** Runs one job in this process on the cpu backend; `onProgress` hears about every step. */
export async function runJob(job: ReproJob, onProgress: (p: JobProgress) => void = () => {}): Promise<JobResult> {
  const steps = job.options.steps ?? 100;
  const r = await train(job.options, { backend: cpuBackend(), log: () => {}, onStep: (s) => onProgress({ id: job.id, step: s.step, steps, loss: s.loss }) });
  for (const p of r.model.parameters()) p.dispose();
  // ~200 points per curve: a plot cannot show more, and results.json stays small
  const every = Math.max(1, Math.ceil(r.train.length / 200));
  const trainCurve: JobResult['trainCurve'] = [];
  for (let i = 0; i < r.train.length; i += every) {
    const chunk = r.train.slice(i, i + every);
    trainCurve.push({ step: chunk.at(-1)!.step, loss: chunk.reduce((s, x) => s + x.loss, 0) / chunk.length });
  }
  return { id: job.id, parameters: countParameters(r.config), steps: r.options.steps, trainCurve, evals: r.evals, final: r.final, seconds: r.seconds };
}

/** The marker before a child's result line on stdout, and before its progress lines on stderr. */
const RESULT = 'REPRO-RESULT ';
const PROGRESS = 'REPRO-PROGRESS ';

/** `hippo-train repro-job JSON`: runs one job and prints its result (the child side of runJobs). */
export async function jobCommand(json: string): Promise<void> {
  const job = JSON.parse(json) as ReproJob;
  let last = 0;
  const r = await runJob(job, (p) => {
    // a line a second is plenty for a progress display
    const now = Date.now();
    if (now - last < 1000 && p.step < p.steps) return;
    last = now;
    process.stderr.write(`${PROGRESS}${JSON.stringify(p)}\n`);
  });
  process.stdout.write(`${RESULT}${JSON.stringify(r)}\n`);
}

/** How to start this command as a child: the bundle itself, or the TypeScript entry through tsx in development. */
function childCommand(): { args: string[]; cwd: string | undefined } {
  const self = fileURLToPath(import.meta.url);
  if (!self.endsWith('.ts')) return { args: [self], cwd: undefined };
  // from source (tests, tsx): `--import tsx` resolves from the app folder, where tsx is a dev dependency
  const src = join(dirname(self), '..');
  return { args: ['--import', 'tsx', join(src, 'cli.ts')], cwd: join(src, '..') };
}

/** Runs one job in a child process with `threads` cpu threads. */
function runChild(job: ReproJob, threads: number, onProgress: (p: JobProgress) => void): Promise<JobResult> {
  const { args, cwd } = childCommand();
  const child = spawn(process.execPath, [...args, 'repro-job', JSON.stringify(job)], {
    cwd,
    env: { ...process.env, HIPPO_THREADS: String(threads) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  let pending = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
  child.stderr.setEncoding('utf8').on('data', (c: string) => {
    pending += c;
    const lines = pending.split('\n');
    pending = lines.pop()!;
    for (const l of lines) {
      if (l.startsWith(PROGRESS)) onProgress(JSON.parse(l.slice(PROGRESS.length)) as JobProgress);
      else stderr += `${l}\n`;
    }
  });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      const line = stdout.split('\n').find((l) => l.startsWith(RESULT));
      if (code === 0 && line) resolve(JSON.parse(line.slice(RESULT.length)) as JobResult);
      else reject(new Error(`repro job ${job.id} failed (${signal ?? `exit status ${code}`}):\n${(stderr + pending).trim() || '(no output)'}`));
    });
  });
}

/**
 * Runs `jobs` with at most `parallel` at a time (1: in this process; more: child processes with `threads`
 * threads each) and returns their results in the order of `jobs`. `onDone` hears about each job as it ends.
 * @example const results = await runJobs(jobs, { parallel: 2, threads: 1 });
 */
export async function runJobs(
  jobs: readonly ReproJob[],
  opts: { parallel: number; threads?: number; onProgress?: (p: JobProgress) => void; onDone?: (r: JobResult) => void },
): Promise<JobResult[]> {
  const onProgress = opts.onProgress ?? (() => {});
  const results: JobResult[] = new Array(jobs.length);
  // longest first, so that no lane is left with a long run at the end while the others idle
  const order = jobs.map((_, i) => i).sort((a, b) => (jobs[b].options.steps ?? 0) - (jobs[a].options.steps ?? 0));
  let next = 0;
  const lane = async () => {
    while (next < jobs.length) {
      const i = order[next++];
      results[i] = opts.parallel <= 1 ? await runJob(jobs[i], onProgress) : await runChild(jobs[i], opts.threads ?? 1, onProgress);
      opts.onDone?.(results[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(opts.parallel, jobs.length)) }, lane));
  return results;
}
