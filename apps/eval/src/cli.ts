// hippo-eval: SuperGLUE zero/few-shot exactly as lm-evaluation-harness scores it (default subcommand), plus
// perplexity on token shards, synthetic-task accuracy, and a tiny sample data set to try it on.
import { parseArgs } from 'node:util';
import { EvalError, SAMPLE_LAYOUTS, writeSampleData } from '@hippo/eval';
import { choice, required } from './args.js';
import { PERPLEXITY_USAGE, perplexityCommand } from './perplexity-command.js';
import { SUPERGLUE_USAGE, superglueCommand } from './superglue-command.js';
import { SYNTHETIC_USAGE, syntheticCommand } from './synthetic-command.js';

const SAMPLE_USAGE = `hippo-eval sample-data --out DIR [--layout official|hf-jsonl|hf-parquet]
Writes a tiny invented SuperGLUE (all eight tasks, train + validation) in the given layout [official].`;

const USAGE = [SUPERGLUE_USAGE, PERPLEXITY_USAGE, SYNTHETIC_USAGE, SAMPLE_USAGE].join('\n\n');

async function sampleDataCommand(argv: string[]): Promise<void> {
  const { values } = parseArgs({ args: argv, strict: true, options: { out: { type: 'string' }, layout: { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
  if (values.help) return void console.log(SAMPLE_USAGE);
  const out = required('out', values.out, 'a folder to write to');
  const layout = choice('layout', values.layout, SAMPLE_LAYOUTS, 'official');
  await writeSampleData(out, layout);
  console.log(`wrote the sample SuperGLUE (${layout} layout) to ${out}`);
}

async function main(argv: string[]): Promise<void> {
  const [sub, ...rest] = argv;
  if (sub === '--help' || sub === '-h' || sub === undefined) return void console.log(USAGE);
  if (sub === 'superglue') return superglueCommand(rest);
  if (sub === 'perplexity') return perplexityCommand(rest);
  if (sub === 'synthetic') return syntheticCommand(rest);
  if (sub === 'sample-data') return sampleDataCommand(rest);
  return superglueCommand(argv);
}

main(process.argv.slice(2)).catch((e: unknown) => {
  // Our own errors (and the engine's: no GPU adapter, …) carry the whole story (file, line, field, expected,
  // got); anything else gets its stack.
  const ours = e instanceof EvalError || (typeof e === 'object' && e !== null && Symbol.for('hippo.error') in e);
  const known = ours || (e instanceof TypeError && (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS'));
  console.error(known ? `hippo-eval: ${(e as Error).message}` : e);
  process.exitCode = 1;
});
