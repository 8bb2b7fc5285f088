// hippo-generate: loads a checkpoint, reads a prompt (argument or stdin), streams the continuation to
// stdout as tokens are produced, and ends (on stderr, so that stdout is only text) with tokens/s, the
// backend and the state memory.
import { access } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { CONFIG_FILE, WEIGHTS_FILE, generate, loadCheckpoint, countParameters } from '@hippo/models';
import { defaultBackend, getBackend, type Backend } from '@hippo/tensor';
import { reportLine } from './generation-report.js';
import { EOT, TextStreamer, encodeText } from './tokenizer.js';

/** Where the README's main job (`pnpm start`, hippo-train) writes its checkpoint, relative to the repo root. */
export const DEFAULT_CHECKPOINT = 'checkpoints/main';

export const USAGE = `usage: hippo-generate [PROMPT...] [options]
Continues PROMPT (or the text on stdin) with an H3 language model, printing tokens as they are produced.

  --checkpoint DIR     folder with config.json + model.safetensors (default: ${DEFAULT_CHECKPOINT})
  --max-tokens N       new tokens at most (default 100)
  --temperature T      sampling temperature, 0 = greedy (default 0.8)
  --top-k K            sample among the K most likely tokens, 0 = all (default 50)
  --top-p P            sample among the most likely tokens whose probability reaches P, 1 = all (default 0.95)
  --seed N             sampling seed (default 0)
  --greedy             always pick the most likely token (same as --temperature 0)
  --no-eos             keep going after <|endoftext|>
  --backend B          cpu or webgpu (default: webgpu when an adapter exists, else cpu; HIPPO_BACKEND too)`;

export interface Io {
  stdout: { write(s: string): unknown };
  stderr: { write(s: string): unknown };
  /** The prompt when no argument gives one; null when stdin is a terminal. */
  readStdin(): Promise<string | null>;
  cwd: string;
}

/** The validated command line. */
export interface GenerateArgs {
  prompt: string | null;
  checkpoint: string;
  maxTokens: number;
  temperature: number;
  topK: number;
  topP: number;
  seed: number;
  eos: boolean;
  backend: 'cpu' | 'webgpu' | null;
}

/** Parses and validates argv; throws an Error naming the flag, what it takes, and what it got. */
export function parseGenerateArgs(argv: string[]): GenerateArgs {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      checkpoint: { type: 'string', default: DEFAULT_CHECKPOINT },
      'max-tokens': { type: 'string', default: '100' },
      temperature: { type: 'string', default: '0.8' },
      'top-k': { type: 'string', default: '50' },
      'top-p': { type: 'string', default: '0.95' },
      seed: { type: 'string', default: '0' },
      greedy: { type: 'boolean', default: false },
      'no-eos': { type: 'boolean', default: false },
      backend: { type: 'string' },
    },
  });
  const num = (flag: string, ok: (n: number) => boolean, what: string): number => {
    const raw = values[flag as keyof typeof values] as string;
    const n = Number(raw);
    if (raw.trim() === '' || !ok(n)) throw new Error(`--${flag} takes ${what}; got '${raw}'`);
    return n;
  };
  const backend = values.backend ?? null;
  if (backend !== null && backend !== 'cpu' && backend !== 'webgpu') throw new Error(`--backend takes cpu or webgpu; got '${backend}'`);
  return {
    prompt: positionals.length ? positionals.join(' ') : null,
    checkpoint: values.checkpoint,
    maxTokens: num('max-tokens', (n) => Number.isInteger(n) && n > 0, 'a positive integer'),
    temperature: values.greedy ? 0 : num('temperature', (n) => n >= 0 && Number.isFinite(n), 'a number ≥ 0'),
    topK: num('top-k', (n) => Number.isInteger(n) && n >= 0, 'an integer ≥ 0'),
    topP: num('top-p', (n) => n > 0 && n <= 1, 'a number in (0, 1]'),
    seed: num('seed', (n) => Number.isInteger(n) && n >= 0, 'an integer ≥ 0'),
    eos: !values['no-eos'],
    backend,
  };
}

/** Runs hippo-generate; returns the exit code (errors are printed, never thrown). */
export async function runGenerate(argv: string[], io: Io): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    io.stdout.write(`${USAGE}\n`);
    return 0;
  }
  try {
    const args = parseGenerateArgs(argv);
    // a prompt piped in by `echo` ends with a newline the user did not mean as text
    const prompt = args.prompt ?? (await io.readStdin())?.replace(/\r?\n$/, '');
    if (!prompt) throw new Error(`no prompt: give it as an argument or on stdin\n${USAGE}`);
    const dir = resolve(io.cwd, args.checkpoint);
    await requireCheckpoint(dir, args.checkpoint);
    const backend: Backend = args.backend ? await getBackend(args.backend) : await defaultBackend((line) => io.stderr.write(`${line}\n`));
    io.stderr.write(`hippo-generate: loading ${dir} on ${backend.describe()}\n`);
    const { model } = await loadCheckpoint(dir, backend);
    const c = model.config;
    io.stderr.write(`hippo-generate: ${c.name}, ${countParameters(c).toLocaleString('en-US')} parameters, ${c.nLayer} layers (attention at [${c.attnLayerIdx.join(', ')}])\n`);
    const ids = encodeText(prompt);
    if (ids.length === 0) throw new Error('the prompt encodes to no tokens');
    const streamer = new TextStreamer();
    // the prompt goes out with the first token, so that messages printed during the prefill come before it
    let echoed = false;
    const r = await generate(model, [ids], {
      maxNewTokens: args.maxTokens,
      temperature: args.temperature,
      topK: args.topK,
      topP: args.topP,
      seed: args.seed,
      eosTokenId: args.eos ? EOT : null,
      onToken: (_row, token) => {
        if (!echoed) io.stdout.write(prompt);
        echoed = true;
        io.stdout.write(streamer.push(token));
      },
    });
    const newTokens = r.tokens[0];
    io.stdout.write(`${echoed ? '' : prompt}${streamer.flush()}\n`);
    if (newTokens.at(-1) === EOT && args.eos) io.stderr.write('hippo-generate: stopped at <|endoftext|>\n');
    io.stderr.write(`${reportLine(c, { promptTokens: ids.length, newTokens: newTokens.length, prefillMs: r.prefillMs, decodeMs: r.decodeMs }, backend.describe())}\n`);
    return 0;
  } catch (e) {
    io.stderr.write(`hippo-generate: ${(e as Error).message}\n`);
    return 1;
  }
}

/** Fails with how to make a checkpoint when `dir` lacks either file. */
async function requireCheckpoint(dir: string, given: string): Promise<void> {
  const missing: string[] = [];
  for (const f of [CONFIG_FILE, WEIGHTS_FILE]) await access(resolve(dir, f)).catch(() => missing.push(f));
  if (missing.length === 0) return;
  const how =
    given === DEFAULT_CHECKPOINT
      ? `The README's main job writes it: run 'pnpm start' at the repository root (it trains a small model), then try again; or pass --checkpoint DIR.`
      : `Pass --checkpoint a folder written by hippo-train (config.json + model.safetensors), or run 'pnpm start' at the repository root to train the default one into ${DEFAULT_CHECKPOINT}.`;
  throw new Error(`no checkpoint at ${dir}: missing ${missing.join(' and ')}.\n${how}`);
}
