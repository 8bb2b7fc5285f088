// hippo-eval as a user runs it (the TypeScript source through tsx, against the built @hippo/eval and
// @hippo/models): sample data in both layouts, --dump-requests for all eight tasks, end-to-end runs of the toy
// model and of a tiny H3 checkpoint made here, with the table and the JSON, the other subcommands, and errors
// that name what is wrong.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createHash } from 'node:crypto';
import { HybridLM, modelPreset } from '@hippo/models';
import { cpuBackend, writeSafetensors, fromFloat32 } from '@hippo/tensor';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTinyCheckpoint } from './tiny-checkpoint.js';

const CLI = new URL('../src/cli.ts', import.meta.url).pathname;
const TASKS = ['boolq', 'cb', 'copa', 'multirc', 'record', 'rte', 'wic', 'wsc'];
const root = mkdtempSync(join(tmpdir(), 'hippo-eval-cli-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function hippoEval(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, ['--import', 'tsx', CLI, ...args], { maxBuffer: 64 << 20 });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const x = e as { code: number; stdout: string; stderr: string };
    return { code: x.code, stdout: x.stdout, stderr: x.stderr };
  }
}

beforeAll(async () => {
  for (const layout of ['official', 'hf-jsonl', 'hf-parquet']) {
    const r = await hippoEval('sample-data', '--out', join(root, layout), '--layout', layout);
    expect(r.code, r.stderr).toBe(0);
  }
});

describe('hippo-eval --dump-requests', () => {
  it.each(['v0.3', 'current'])('prints the same requests for both layouts, all eight tasks (%s, 3-shot)', async (version) => {
    const outs = await Promise.all(
      ['official', 'hf-jsonl', 'hf-parquet'].map((l) => hippoEval('--data', join(root, l), '--dump-requests', '--shots', '3', '--prompt-version', version)),
    );
    for (const o of outs) expect(o.code, o.stderr).toBe(0);
    expect(outs[1].stdout).toBe(outs[0].stdout);
    expect(outs[2].stdout).toBe(outs[0].stdout);
    const lines = outs[0].stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(new Set(lines.map((l) => l.task))).toEqual(new Set(TASKS));
    for (const l of lines) expect(Object.keys(l)).toEqual(['task', 'doc', 'choice', 'context', 'continuation']);
    const copa = lines.find((l) => l.task === 'copa');
    expect(copa.continuation.startsWith(version === 'v0.3' ? ' ' : '  ')).toBe(true);
    expect(copa.continuation[version === 'v0.3' ? 1 : 2]).not.toBe(' ');
  });
});

describe('hippo-eval end to end with the toy model', () => {
  it('prints the results table and writes the JSON with metrics, stderrs, model, hash, shots, seed, version', async () => {
    const out = join(root, 'results.json');
    const r = await hippoEval('--data', join(root, 'hf-parquet'), '--model', 'toy-ngram', '--shots', '2', '--limit', '4', '--output', out);
    expect(r.code, r.stderr).toBe(0);
    for (const t of TASKS) expect(r.stdout).toMatch(new RegExp(`^\\| ${t} `, 'm'));
    expect(r.stdout).toMatch(/toy-ngram: 2-shot, prompts v0\.3 \(tokenization separate\), seed 42, limit 4/);
    expect(r.stderr).toMatch(/scoring: \d+\/\d+ requests \(100%\)/);
    const json = JSON.parse(readFileSync(out, 'utf8'));
    expect(json.config).toMatchObject({ promptVersion: 'v0.3', shots: 2, seed: 42, limit: 4 });
    expect(json.model.checkpointHash).toMatch(/^[0-9a-f]{64}$/);
    expect(Object.keys(json.results).sort()).toEqual(TASKS);
    expect(json.results.boolq.metrics.acc).toMatchObject({ origin: 'harness', stderrMethod: 'mean' });
    expect(typeof json.results.boolq.metrics.acc.stderr).toBe('number');
    expect(json.results.multirc.docs).toBe(4);
  });
});

describe('hippo-eval perplexity and synthetic', () => {
  it('scores a token shard with strided windows', async () => {
    const shard = join(root, 'val.bin');
    writeFileSync(shard, Buffer.from(Uint16Array.from({ length: 300 }, (_, i) => (i * 7) % 50).buffer));
    const r = await hippoEval('perplexity', '--shard', shard, '--model', 'toy-ngram', '--window', '64', '--stride', '32', '--output', join(root, 'ppl.json'));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/300 tokens, 9 windows of ≤64 \(stride 32\)/);
    expect(JSON.parse(readFileSync(join(root, 'ppl.json'), 'utf8')).perplexity).toBeGreaterThan(1);
  });

  it('reports synthetic-task accuracy', async () => {
    const file = join(root, 'recall.jsonl');
    writeFileSync(file, '{"input": [1, 2, 3, 1, 2, 3, 1], "target": [2]}\n{"input": [4, 5, 4], "target": [5]}\n');
    const r = await hippoEval('synthetic', '--examples', file, '--model', 'toy-ngram', '--vocab', '10');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/accuracy 1\.0000 ± 0\.0000 over 2 examples/);
  });
});

describe('hippo-eval errors', () => {
  it('bad data: names the file, the line and the field', async () => {
    const dir = join(root, 'bad');
    await hippoEval('sample-data', '--out', dir);
    const f = join(dir, 'CB', 'val.jsonl');
    const lines = readFileSync(f, 'utf8').trim().split('\n');
    lines[2] = lines[2].replace('"neutral"', '"maybe"');
    writeFileSync(f, `${lines.join('\n')}\n`);
    const r = await hippoEval('--data', dir, '--tasks', 'cb', '--dump-requests');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/hippo-eval: .*CB.val\.jsonl:3: field "label": expected "entailment" or "contradiction" or "neutral"; got "maybe"/);
  });

  it('bad options and models that cannot be loaded', async () => {
    expect((await hippoEval('--data', root, '--shots', 'three')).stderr).toMatch(/--shots: expected an integer ≥ 0; got "three"/);
    expect((await hippoEval('--data', root, '--tasks', 'cb,squad')).stderr).toMatch(/--tasks: expected a comma-separated list/);
    expect((await hippoEval('--bogus')).stderr).toMatch(/Unknown option '--bogus'/);
    const cb = ['--data', join(root, 'official'), '--tasks', 'cb', '--limit', '1'];
    const errs = await Promise.all([
      hippoEval(...cb, '--model', 'gpt2'),
      hippoEval(...cb, '--checkpoint', join(root, 'no-such-dir')),
      hippoEval(...cb, '--model', 'official:model.pt:h3-125m'),
      hippoEval(...cb, '--model', 'official:model.safetensors:h3-7b'),
      hippoEval(...cb, '--model', `checkpoint:${join(root, 'ck')}`, '--backend', 'tpu'),
      hippoEval(...cb, '--checkpoint', join(root, 'ck'), '--model', 'toy-ngram'),
    ]);
    for (const e of errs) expect(e.code, e.stderr).toBe(1);
    expect(errs[0].stderr).toMatch(/hippo-eval: --model: expected checkpoint:DIR, official:FILE.safetensors:PRESET or toy-ngram; got "gpt2"/);
    expect(errs[1].stderr).toMatch(/hippo-eval: .*no-such-dir: no model.safetensors here; expected a checkpoint folder/);
    expect(errs[2].stderr).toMatch(/--model: expected the weights converted to safetensors \(python3 packages\/models\/scripts\/pt-to-safetensors.py/);
    expect(errs[3].stderr).toMatch(/--model: expected official:<file.safetensors>:<preset>, preset one of h3-tiny, h3-125m/);
    expect(errs[4].stderr).toMatch(/--backend: expected cpu or webgpu; got "tpu"/);
    expect(errs[5].stderr).toMatch(/--checkpoint: expected no --model beside it/);
  });
});

describe('hippo-eval with a tiny H3 checkpoint (cpu backend)', () => {
  const ck = join(root, 'ck');
  beforeAll(() => makeTinyCheckpoint(ck, cpuBackend(), 5));

  it('SuperGLUE: the results table and the JSON, with the checkpoint path and the hash of its weights', async () => {
    const out = join(root, 'ck-results.json');
    const r = await hippoEval('--data', join(root, 'hf-jsonl'), '--model', `checkpoint:${ck}`, '--backend', 'cpu', '--shots', '1', '--limit', '2', '--output', out);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/hippo: backend cpu.* — --backend cpu/);
    expect(r.stderr).toMatch(/model: h3-tiny — HybridLM h3-tiny: 2 layers \(h3, attention at \[1\]\), d 128/);
    for (const t of TASKS) expect(r.stdout).toMatch(new RegExp(`^\\| ${t} `, 'm'));
    expect(r.stdout).toMatch(/h3-tiny: 1-shot, prompts v0\.3 \(tokenization separate\), seed 42, limit 2/);
    const json = JSON.parse(readFileSync(out, 'utf8'));
    expect(json.model).toMatchObject({ name: 'h3-tiny', checkpoint: ck, maxLength: null }); // null: no limit (H3)
    expect(json.model.checkpointHash).toBe(createHash('sha256').update(readFileSync(join(ck, 'model.safetensors'))).digest('hex'));
    expect(json.config).toMatchObject({ promptVersion: 'v0.3', shots: 1, seed: 42, limit: 2 });
    expect(Object.keys(json.results).sort()).toEqual(TASKS);
    for (const t of TASKS) for (const m of Object.values(json.results[t].metrics) as { value: number }[]) expect(m.value).toBeGreaterThanOrEqual(0);
  });

  it('perplexity and synthetic accuracy take the same model choice', async () => {
    const shard = join(root, 'ck-val.bin');
    writeFileSync(shard, Buffer.from(Uint16Array.from({ length: 100 }, (_, i) => (i * 7919) % 50257).buffer));
    const recall = join(root, 'ck-recall.jsonl');
    writeFileSync(recall, '{"input": [1, 2, 3, 1, 2], "target": [3]}\n{"input": [4, 5, 4], "target": [5, 4]}\n');
    const [ppl, syn] = await Promise.all([
      hippoEval('perplexity', '--shard', shard, '--checkpoint', ck, '--backend', 'cpu', '--stride', '1024', '--output', join(root, 'ck-ppl.json')),
      hippoEval('synthetic', '--examples', recall, '--model', `checkpoint:${ck}`, '--backend', 'cpu'),
    ]);
    expect(ppl.code, ppl.stderr).toBe(0);
    expect(ppl.stderr).toMatch(/h3-tiny has no context limit; windows of 2048 tokens/);
    expect(ppl.stdout).toMatch(/h3-tiny on .*: 100 tokens, 1 windows of ≤2048 \(stride 1024\)/);
    // untrained weights: about uniform over the 50257 tokens, perplexity near 50257
    const p = JSON.parse(readFileSync(join(root, 'ck-ppl.json'), 'utf8')).perplexity;
    expect(p).toBeGreaterThan(50257 / 4);
    expect(p).toBeLessThan(50257 * 4);
    expect(syn.code, syn.stderr).toBe(0);
    expect(syn.stdout).toMatch(/h3-tiny on .*: accuracy \d\.\d{4} ± \d\.\d{4} over 2 examples/);
  });

  it('official:<file>:<preset> loads safetensors weights by the official names', async () => {
    // a full h3-tiny (4 layers, as the preset says) saved under the released checkpoints' Lightning names
    const model = new HybridLM(modelPreset('h3-tiny'), { backend: cpuBackend(), seed: 6 });
    const tensors = new Map();
    for (const [name, t] of model.namedParameters())
      tensors.set(`model.${name.replace(/^backbone\./, 's4seq.encoder.')}`, fromFloat32((await t.toArray()) as Float32Array, t.shape));
    const file = join(root, 'official.safetensors');
    await writeSafetensors(file, tensors);
    const r = await hippoEval('--data', join(root, 'official'), '--tasks', 'copa,rte', '--limit', '1', '--model', `official:${file}:h3-tiny`, '--backend', 'cpu', '--output', join(root, 'off.json'));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^\| copa /m);
    expect(JSON.parse(readFileSync(join(root, 'off.json'), 'utf8')).model).toMatchObject({ name: 'h3-tiny', checkpoint: `${file} (h3-tiny)` });
  });
});
