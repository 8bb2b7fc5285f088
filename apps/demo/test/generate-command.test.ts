// hippo-generate in-process: the streamed stdout is the prompt plus exactly the tokens models' generate()
// produces for the same checkpoint, prompt and sampling flags; the final line reports speed, backend and
// state memory; a missing checkpoint says how to make one; bad flags name the flag, what it takes and what came.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testSeed } from '@hippo/kernels/testing';
import { generate, loadCheckpoint } from '@hippo/models';
import { cpuBackend } from '@hippo/tensor';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runGenerate, type Io } from '../src/generate-command.js';
import { formatBytes, stateMemory } from '../src/state-memory.js';
import { decodeTokens, encodeText } from '../src/tokenizer.js';
import { FIXTURE_CONFIG, writeFixtureCheckpoint } from './fixture.js';

const seed = testSeed();
let tmp: string;
let ckpt: string;

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'hippo-generate-'));
  ckpt = join(tmp, 'ckpt');
  await writeFixtureCheckpoint(ckpt, seed);
});
afterAll(() => rm(tmp, { recursive: true, force: true }));

function io(stdin: string | null = null, cwd = tmp): Io & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, stdout: { write: (s: string) => out.push(s) }, stderr: { write: (s: string) => err.push(s) }, readStdin: async () => stdin, cwd };
}

async function reference(prompt: string, opts: Parameters<typeof generate>[2]): Promise<number[]> {
  const { model } = await loadCheckpoint(ckpt, cpuBackend());
  return (await generate(model, [encodeText(prompt)], opts)).tokens[0];
}

describe('hippo-generate', () => {
  it('streams the continuation token by token; equals generate() with the same flags; ends with speed, backend and memory', async () => {
    const prompt = 'The hippopotamus is';
    const t = io();
    const code = await runGenerate([prompt, '--checkpoint', ckpt, '--backend', 'cpu', '--max-tokens', '12', '--temperature', '0.9', '--top-k', '40', '--top-p', '0.9', '--seed', String(seed), '--no-eos'], t);
    expect(code, t.err.join('')).toBe(0);
    const want = await reference(prompt, { maxNewTokens: 12, temperature: 0.9, topK: 40, topP: 0.9, seed, eosTokenId: null });
    expect(want).toHaveLength(12);
    expect(t.out.join('')).toBe(`${prompt}${decodeTokens(want)}\n`);
    // the prompt, one write per token as it is chosen, then the flushed tail and the newline
    expect(t.out).toHaveLength(1 + 12 + 1);
    const last = t.err.at(-1)!;
    const mem = stateMemory(FIXTURE_CONFIG, encodeText(prompt).length + 12);
    expect(last).toMatch(/^12 tokens in [\d.]+ s, [\d.]+ tokens\/s \(prompt 5 tokens, prefill \d+ ms\)/);
    expect(last).toContain(`backend ${cpuBackend().describe()}`);
    expect(last).toContain(`state memory at 17 tokens: ${formatBytes(mem.totalBytes)} (SSM state ${formatBytes(mem.ssmBytes)}, constant; KV cache ${formatBytes(mem.kvBytes)})`);
    expect(last).toContain(`vs ${formatBytes(mem.transformerKvBytes)} of KV cache for a Transformer of the same size`);
  });

  it('reads the prompt from stdin (without its final newline); --greedy picks the most likely tokens', async () => {
    const t = io('Once upon a time\n');
    expect(await runGenerate(['--checkpoint', ckpt, '--backend', 'cpu', '--greedy', '--max-tokens', '5', '--seed', '3'], t)).toBe(0);
    const want = await reference('Once upon a time', { maxNewTokens: 5, greedy: true, eosTokenId: 50256 });
    expect(t.out.join('')).toBe(`Once upon a time${decodeTokens(want.filter((x) => x !== 50256))}\n`);
  });

  it('without a checkpoint at the default path, says how to make one', async () => {
    const empty = await mkdtemp(join(tmp, 'empty-'));
    const t = io('hello', empty);
    expect(await runGenerate([], t)).toBe(1);
    const msg = t.err.join('');
    expect(msg).toContain(`no checkpoint at ${join(empty, 'checkpoints', 'main')}: missing config.json and model.safetensors`);
    expect(msg).toContain("run 'pnpm start' at the repository root");
  });

  it('rejects bad flags and a missing prompt with what was expected and what came', async () => {
    const cases: [string[], RegExp][] = [
      [['x', '--top-p', '1.5'], /--top-p takes a number in \(0, 1\]; got '1\.5'/],
      [['x', '--max-tokens', '0'], /--max-tokens takes a positive integer; got '0'/],
      [['x', '--temperature', 'hot'], /--temperature takes a number ≥ 0; got 'hot'/],
      [['x', '--backend', 'tpu'], /--backend takes cpu or webgpu; got 'tpu'/],
      [['--checkpoint', 'nowhere'], /no prompt: give it as an argument or on stdin/],
    ];
    for (const [argv, re] of cases) {
      const t = io();
      expect(await runGenerate(argv, t)).toBe(1);
      expect(t.err.join('')).toMatch(re);
    }
  });
});
