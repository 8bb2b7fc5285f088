// hippo-data: tokenize corpora into GPT-2 token shards, generate the paper's synthetic tasks, inspect outputs.
// User errors (bad input, bad options) print one message and exit 1 (2 for usage); anything else is a bug and
// keeps its stack.
import { createHash } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { sotuFiles } from './corpus/sotu.js';
import { DataError, UsageError } from './errors.js';
import { writeFileAtomic } from './pipeline/atomic.js';
import { type Manifest, MANIFEST_FILE, readOwnJson } from './pipeline/manifest.js';
import { ProgressLine, summaryText } from './pipeline/progress.js';
import { DEFAULT_VAL_FRACTION, DEFAULT_VAL_SEED } from './pipeline/split.js';
import { tokenizeCorpus } from './pipeline/tokenize-corpus.js';
import { parseFormat, supportedFormatsText } from './readers/formats.js';
import { PAPER_SETTINGS, type SyntheticTask, syntheticDataset } from './synthetic/tasks.js';
import { SPECIAL_IN_TEXT, type SpecialInText } from './tokenizer.js';

const USAGE = `usage:
  hippo-data tokenize [INPUT…] --out DIR [options]   GPT-2 token shards (+ manifest.json) from files/folders;
                                                     no INPUT: the embedded corpus (233 State of the Union addresses)
  hippo-data synthetic TASK --out FILE.json [options] induction-head | assoc-recall, the H3 paper's settings
  hippo-data info DIR [--verify]                     what a token folder holds; --verify re-hashes every shard
  hippo-data formats                                 the input formats and how they are recognised

tokenize options:
  --out DIR                output folder (required); re-running the same command resumes an interrupted run
  --format F               force the input format (default: by file name; see 'hippo-data formats')
  --text-field NAME        JSON field / Parquet column with the text (default: text)
  --pile-set NAME          keep only Pile records with this meta.pile_set_name (repeatable)
  --workers N              tokenizer threads (default: cores − 1); the output does not depend on it
  --batch-mb X             text per unit of work in MB (default 1)
  --val-fraction X         fraction of documents in val (default ${DEFAULT_VAL_FRACTION}, nanoGPT's OpenWebText setting)
  --val-seed N             seed of the split (default ${DEFAULT_VAL_SEED})
  --shard-tokens N         tokens per shard at most (default 1073741824 = 2 GiB)
  --idx                    also write Megatron/GPT-NeoX .idx files beside the .bin shards
  --special-in-text M      '<|endoftext|>' in documents: ordinary (default, nanoGPT) or eot (flash-attention/HF)
  --skip-bad               skip and count malformed records instead of stopping at the first
  --force                  discard what the output folder holds and start over
  --checkpoint-seconds S   seconds between checkpoints (default 2; 0 = after every unit)
  --progress MODE          auto (default) | tty | plain | none

synthetic options (defaults: the paper's, per task):
  --vocab-size N  --input-seq-len N  --examples N  --test-examples N  --seed N`;

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'tokenize':
      return tokenize(rest);
    case 'synthetic':
      return synthetic(rest);
    case 'info':
      return info(rest);
    case 'formats':
      console.log(`input formats (recognised by file name; force one with --format):\n${supportedFormatsText()}`);
      return;
    case undefined:
    case '-h':
    case '--help':
    case 'help':
      console.log(USAGE);
      return;
    default:
      throw new UsageError(`unknown command '${command}'\n${USAGE}`);
  }
}

async function tokenize(args: string[]): Promise<void> {
  const { values: v, positionals } = parse(args, {
    out: { type: 'string' },
    format: { type: 'string' },
    'text-field': { type: 'string' },
    'pile-set': { type: 'string', multiple: true },
    workers: { type: 'string' },
    'batch-mb': { type: 'string' },
    'val-fraction': { type: 'string' },
    'val-seed': { type: 'string' },
    'shard-tokens': { type: 'string' },
    idx: { type: 'boolean' },
    'special-in-text': { type: 'string' },
    'skip-bad': { type: 'boolean' },
    force: { type: 'boolean' },
    'checkpoint-seconds': { type: 'string' },
    progress: { type: 'string' },
  });
  if (!v.out) throw new UsageError(`tokenize: --out DIR is required\n${USAGE}`);
  const mode = (v.progress as string | undefined) ?? 'auto';
  if (!['auto', 'tty', 'plain', 'none'].includes(mode)) throw new UsageError(`--progress must be auto, tty, plain or none; got '${mode}'`);
  const special = v['special-in-text'] as string | undefined;
  if (special !== undefined && !SPECIAL_IN_TEXT.includes(special as SpecialInText))
    throw new UsageError(`--special-in-text must be ${SPECIAL_IN_TEXT.join(' or ')}; got '${special}'`);
  let inputs = positionals;
  if (inputs.length === 0) {
    inputs = sotuFiles();
    console.error(`no input given: using the embedded corpus (${inputs.length} State of the Union addresses, public domain)`);
  }
  const progress = new ProgressLine(process.stderr, mode === 'auto' ? (process.stderr.isTTY ? 'tty' : 'plain') : (mode as 'tty' | 'plain' | 'none'));
  const log = (line: string) => {
    progress.clear();
    console.error(line);
  };
  const batchMb = num('--batch-mb', v['batch-mb'] as string | undefined);
  const summary = await tokenizeCorpus({
    inputs,
    out: v.out as string,
    format: v.format ? parseFormat(v.format as string) : undefined,
    textField: v['text-field'] as string | undefined,
    pileSets: (v['pile-set'] as string[] | undefined) ?? null,
    workers: int('--workers', v.workers as string | undefined),
    batchBytes: batchMb === undefined ? undefined : Math.max(1, Math.round(batchMb * 1e6)),
    valFraction: num('--val-fraction', v['val-fraction'] as string | undefined),
    valSeed: int('--val-seed', v['val-seed'] as string | undefined),
    shardTokens: int('--shard-tokens', v['shard-tokens'] as string | undefined),
    idx: v.idx as boolean | undefined,
    specialInText: special as SpecialInText | undefined,
    skipBad: v['skip-bad'] as boolean | undefined,
    force: v.force as boolean | undefined,
    checkpointSeconds: num('--checkpoint-seconds', v['checkpoint-seconds'] as string | undefined),
    onProgress: (p) => progress.update(p),
    log,
  });
  progress.clear();
  if (summary.alreadyDone) return;
  const m = summary.manifest;
  const tokensThisRun = m.splits.train.tokens + m.splits.val.tokens; // includes resumed parts; labelled "in this run" only when fresh
  console.error(summaryText(m, summary.resumed ? undefined : { seconds: summary.seconds, tokensThisRun }));
  if (m.split.valFraction > 0 && m.splits.val.docs === 0)
    console.error(`note: no document fell into val (each does with probability ${m.split.valFraction}; ${m.counts.records} records) — raise --val-fraction for a small corpus`);
  console.error(`wrote ${join(v.out as string, MANIFEST_FILE)}${summary.resumed ? ' (resumed run)' : ''}`);
}

async function synthetic(args: string[]): Promise<void> {
  const { values: v, positionals } = parse(args, {
    out: { type: 'string' },
    'vocab-size': { type: 'string' },
    'input-seq-len': { type: 'string' },
    examples: { type: 'string' },
    'test-examples': { type: 'string' },
    seed: { type: 'string' },
  });
  const task = positionals[0];
  if (task !== 'induction-head' && task !== 'assoc-recall') throw new UsageError(`synthetic: TASK must be induction-head or assoc-recall; got '${task ?? ''}'`);
  if (!v.out) throw new UsageError('synthetic: --out FILE.json is required');
  let ds;
  try {
    ds = syntheticDataset({
      task: task as SyntheticTask,
      vocabSize: int('--vocab-size', v['vocab-size'] as string | undefined),
      inputSeqLen: int('--input-seq-len', v['input-seq-len'] as string | undefined),
      numExamples: int('--examples', v.examples as string | undefined),
      numTestExamples: int('--test-examples', v['test-examples'] as string | undefined),
      seed: int('--seed', v.seed as string | undefined),
    });
  } catch (e) {
    if (e instanceof RangeError) throw new UsageError(e.message);
    throw e;
  }
  const json = {
    format: 'hippo-data/synthetic',
    version: 1,
    ...ds.config,
    vocab: ds.vocab,
    seqLen: ds.seqLen,
    ignoreIndex: -100,
    // [N, seqLen] row-major
    train: { count: ds.train.count, inputs: [...ds.train.inputs], targets: [...ds.train.targets] },
    test: { count: ds.test.count, inputs: [...ds.test.inputs], targets: [...ds.test.targets] },
  };
  writeFileAtomic(v.out as string, `${JSON.stringify(json)}\n`);
  const d = PAPER_SETTINGS[task as SyntheticTask];
  console.error(
    `wrote ${v.out}: ${task}, vocabulary ${ds.config.vocabSize}, sequences of ${ds.seqLen} (+1), ${ds.train.count} train / ${ds.test.count} test examples, seed ${ds.config.seed}` +
      ` (paper: vocabulary ${d.vocabSize}, input length ${d.inputSeqLen})`,
  );
}

async function info(args: string[]): Promise<void> {
  const { values: v, positionals } = parse(args, { verify: { type: 'boolean' } });
  const dir = positionals[0];
  if (!dir) throw new UsageError('info: DIR is required');
  const m = readOwnJson<Manifest>(join(dir, MANIFEST_FILE), 'hippo-data/token-shards');
  if (!m) throw new DataError(`${dir}: no ${MANIFEST_FILE} (not a token folder, or its run has not finished: re-run the tokenize command to resume it)`);
  console.log(`${dir}: ${m.tokenizer.name} (${m.tokenizer.encoding}, EOT ${m.tokenizer.eot}, <|endoftext|> in text: ${m.tokenizer.specialInText}), ${m.dtype} ${m.endianness}-endian`);
  console.log(`split: val fraction ${m.split.valFraction}, seed ${m.split.seed}; ${m.sources.length} source file(s)`);
  console.log(summaryText(m));
  if (!v.verify) return;
  let bad = 0;
  for (const split of Object.values(m.splits))
    for (const s of split.shards) {
      const p = join(dir, s.file);
      let problem = '';
      try {
        if (statSync(p).size !== s.tokens * 2) problem = `size ${statSync(p).size} bytes, expected ${s.tokens * 2}`;
        else if ((await sha256(p)) !== s.sha256) problem = 'SHA-256 differs from the manifest';
      } catch {
        problem = 'missing';
      }
      if (problem) bad++;
      console.log(`${problem ? 'BAD' : 'ok '} ${s.file}${problem ? `: ${problem}` : ''}`);
    }
  if (bad > 0) throw new DataError(`${dir}: ${bad} shard(s) failed verification`);
}

function sha256(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const h = createHash('sha256');
    createReadStream(path)
      .on('data', (c) => h.update(c))
      .on('end', () => resolve(h.digest('hex')))
      .on('error', reject);
  });
}

type Spec = NonNullable<Parameters<typeof parseArgs>[0]>['options'];

/** parseArgs with our usage on errors; values are read with casts that match each command's spec */
function parse(args: string[], options: Spec): { values: Record<string, string | boolean | string[] | undefined>; positionals: string[] } {
  try {
    const r = parseArgs({ args, options: { ...options, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
    return { values: r.values as Record<string, string | boolean | string[] | undefined>, positionals: r.positionals };
  } catch (e) {
    throw new UsageError(`${(e as Error).message}\n${USAGE}`);
  }
}

function num(flag: string, s: string | undefined): number | undefined {
  if (s === undefined) return undefined;
  const n = Number(s);
  if (s.trim() === '' || !Number.isFinite(n)) throw new UsageError(`${flag} must be a number; got '${s}'`);
  return n;
}

function int(flag: string, s: string | undefined): number | undefined {
  const n = num(flag, s);
  if (n !== undefined && !Number.isInteger(n)) throw new UsageError(`${flag} must be an integer; got '${s}'`);
  return n;
}

if (process.argv.includes('-h') || process.argv.includes('--help')) {
  console.log(USAGE);
} else {
  process.on('SIGINT', () => {
    process.stderr.write('\ninterrupted: the last checkpoint is kept; run the same command again to resume\n');
    process.exit(130);
  });
  main(process.argv.slice(2)).catch((e: unknown) => {
    if (DataError.isInstance(e)) {
      console.error(`hippo-data: ${e.message}`);
      process.exitCode = e instanceof UsageError ? 2 : 1;
    } else {
      console.error(e);
      process.exitCode = 70; // internal error (EX_SOFTWARE)
    }
  });
}
