// Never losing work: a run killed with SIGKILL after a checkpoint and resumed repeats the uninterrupted run
// exactly (cpu backend: same kernels, same order, so bit for bit), and a blow-up stops with the last good
// checkpoint intact. The command runs as a child process, as a user would run it.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { testSeed } from '@hippo/kernels/testing';
import { loadCheckpoint } from '@hippo/models';
import { cpuBackend } from '@hippo/tensor';
import { describe, expect, it } from 'vitest';
import { latestCheckpoint, listCheckpoints, readTrainerState } from '../src/checkpoint.js';
import type { MetricRecord } from '../src/metrics.js';
import { runCli, startCli } from './cli-run.js';
import { TINY_FLAGS, tempDir } from './tiny.js';

const seed = testSeed();
const metrics = (out: string) =>
  readFileSync(join(out, 'metrics.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as MetricRecord);
// what must repeat exactly (timings may not)
const curve = (rs: MetricRecord[]) => rs.map((r) => (r.kind === 'train' ? [r.step, r.loss, r.gradNorm, r.lr, r.tokens] : [r.step, r.valLoss, r.accuracy]));

describe('hippo-train never loses work', () => {
  // dropout stays on (embedDropout 0.1), so the resumed run must also restore the dropout stream
  const run = ['--data', 'synthetic', '--task', 'assoc-recall', ...TINY_FLAGS, '--steps', '60', '--batch-size', '8', '--lr', '3e-3', '--eval-every', '10'];
  const common = [...run, '--checkpoint-every', '5', '--backend', 'cpu', '--seed', String(seed), '--sample-tokens', '0'];

  it('a run killed with SIGKILL and resumed gives the uninterrupted loss curve, bit for bit', async () => {
    const dir = tempDir('resume');
    const whole = runCli([...common, '--out', join(dir, 'whole')]);
    expect(whole.status, whole.stderr).toBe(0);

    const killedOut = join(dir, 'killed');
    let killedAfter = 0;
    const { exited } = startCli([...common, '--out', killedOut], (line, child) => {
      const m = /^step (\d+): checkpoint /.exec(line);
      if (m && Number(m[1]) >= 10 && killedAfter === 0) {
        killedAfter = Number(m[1]);
        child.kill('SIGKILL');
      }
    });
    const ended = await exited;
    expect(ended.signal).toBe('SIGKILL');
    expect(killedAfter).toBeGreaterThanOrEqual(10);
    const left = latestCheckpoint(killedOut)!;
    expect(left.step).toBeGreaterThanOrEqual(killedAfter);
    expect(left.step).toBeLessThan(60); // really interrupted
    const killedMetrics = metrics(killedOut);

    const resumed = runCli(['--out', killedOut, '--resume', '--backend', 'cpu', '--sample-tokens', '0']);
    expect(resumed.status, resumed.stderr).toBe(0);
    expect(resumed.stderr).toContain(`resuming ${killedOut} from step ${left.step}`);
    expect(resumed.stdout).toContain(`resumed at ${left.step}`);
    // the killed run's lines up to the checkpoint are kept as they were; later ones were replaced
    expect(metrics(killedOut).slice(0, killedMetrics.filter((r) => r.step <= left.step).length)).toEqual(killedMetrics.filter((r) => r.step <= left.step));
    expect(curve(metrics(killedOut))).toEqual(curve(metrics(join(dir, 'whole'))));
    expect(metrics(killedOut).filter((r) => r.kind === 'train').length).toBe(60);
    // identical weights: the exported model files are byte-identical
    expect(readFileSync(join(killedOut, 'model.safetensors')).equals(readFileSync(join(dir, 'whole', 'model.safetensors')))).toBe(true);
    expect(existsSync(join(killedOut, 'loss.svg'))).toBe(true);
  });

  it('refuses to overwrite a run or to resume with other model settings; --auto-resume finds a finished run', () => {
    const out = join(tempDir('refuse'), 'run');
    const short = ['--data', 'synthetic', '--task', 'assoc-recall', ...TINY_FLAGS, '--steps', '2', '--backend', 'cpu', '--out', out];
    expect(runCli(short).status).toBe(0);
    const again = runCli(short);
    expect(again.status).toBe(1);
    expect(again.stderr).toContain(`hippo-train: --out: expected a new or empty run folder (or --resume to continue the run in ${out}); got a folder holding checkpoint step 2`);
    const done = runCli(['--out', out, '--auto-resume', '--backend', 'cpu']);
    expect(done.status, done.stderr).toBe(0);
    expect(done.stdout).toContain(`the run in ${out} was already complete at step 2`);
    const other = runCli(['--out', out, '--resume', '--backend', 'cpu', '--set', 'dModel=32']);
    expect(other.status).toBe(1);
    expect(other.stderr).toMatch(/--resume: expected the settings of the run in .*; got different ones:\n {2}overrides: the checkpoint was trained with .*"dModel":16.*; this run asks for .*"dModel":32/);
  });

  it('stops on a NaN loss with a clear message and keeps the last good checkpoint', async () => {
    const out = join(tempDir('nan'), 'run');
    // lr 1e30: after one AdamW step the weights are ~1e30, whose squares overflow float32 inside LayerNorm
    const r = runCli(['--data', 'synthetic', '--task', 'assoc-recall', ...TINY_FLAGS, '--steps', '10', '--lr', '1e30', '--warmup-steps', '0', '--checkpoint-every', '1', '--backend', 'cpu', '--out', out]);
    expect(r.status).toBe(3);
    const m = /hippo-train: step (\d+): the (loss|gradients|weights) (?:is|contain) (NaN|-?Infinity) — training stopped; the last good checkpoint is (\S+) \(step (\d+)\); continue from it with --resume/.exec(r.stderr);
    expect(m, r.stderr).not.toBeNull();
    const [failed, ckptDir, ckptStep] = [Number(m![1]), m![4], Number(m![5])];
    expect(ckptStep).toBe(failed - 1);
    expect(listCheckpoints(out).map((c) => c.step).at(-1)).toBe(ckptStep); // nothing written after the good one
    expect((await readTrainerState(ckptDir)).step).toBe(ckptStep);
    const { model } = await loadCheckpoint(ckptDir, cpuBackend());
    for (const p of model.parameters()) expect((await p.toArray()).every(Number.isFinite)).toBe(true);
    expect(metrics(out).filter((x) => x.kind === 'train').map((x) => x.step)).toEqual(Array.from({ length: failed - 1 }, (_, i) => i + 1));
  });
});
