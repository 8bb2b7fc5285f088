// `hippo-eval perplexity`: perplexity of a model on a token shard with strided sliding windows.
import { parseArgs } from 'node:util';
import { gpt2Tokenizer, perplexity, readTokenShard, writeJsonAtomic } from '@hippo/eval';
import { intOption, required } from './args.js';
import { MODEL_OPTIONS, MODEL_USAGE, chooseModel, requireVocab } from './model-choice.js';
import { progressReporter } from './progress.js';

/** Window for models without a context limit (H3): the length the paper trains and evaluates with. */
const UNLIMITED_WINDOW = 2048;

export const PERPLEXITY_USAGE = `hippo-eval perplexity --shard FILE.bin [options]
Perplexity on a token shard (raw little-endian uint16 GPT-2 ids, the nanoGPT .bin layout), with an EOT prefix
and sliding windows: each window scores only the tokens earlier windows did not.
  --shard FILE.bin         the tokens to score
  --window N               inputs per window [the model's max length; ${UNLIMITED_WINDOW} for H3, which has none]
  --stride N               tokens between window starts [window]; smaller = more context per token, slower
  --fit FILE.bin           toy model only: the shard to fit it on [--shard itself, i.e. in-sample]
${MODEL_USAGE}
  --output FILE            results JSON [none]`;

export async function perplexityCommand(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: { shard: { type: 'string' }, window: { type: 'string' }, stride: { type: 'string' }, fit: { type: 'string' }, output: { type: 'string' }, help: { type: 'boolean', short: 'h' }, ...MODEL_OPTIONS },
  });
  if (values.help) return void console.log(PERPLEXITY_USAGE);
  const shard = required('shard', values.shard, 'a token shard (.bin)');
  const tokens = await readTokenShard(shard);
  const tokenizer = gpt2Tokenizer();
  const fitTokens = values.fit ? await readTokenShard(values.fit) : tokens;
  if (values.model === 'toy-ngram' && !values.fit) console.error('note: the toy model is fitted on the shard it scores (in-sample); pass --fit for held-out numbers');
  const model = await chooseModel(values, () => [Array.from(fitTokens)], tokenizer.vocabSize);
  requireVocab(model, tokenizer.vocabSize, 'the GPT-2 tokens');
  let windowLength = intOption('window', values.window);
  if (windowLength === undefined && !Number.isFinite(model.maxLength)) {
    // An H3 model has no context limit, but a whole shard is not one forward pass: use the paper's context.
    windowLength = UNLIMITED_WINDOW;
    console.error(`note: ${model.info.name} has no context limit; windows of ${UNLIMITED_WINDOW} tokens (pass --window to change)`);
  }
  const r = await perplexity(model, tokens, {
    prefixToken: tokenizer.eotTokenId,
    windowLength,
    stride: intOption('stride', values.stride),
    batchSize: intOption('batch-size', values['batch-size']) ?? 16,
    onProgress: progressReporter('perplexity'),
  });
  console.log(`${model.info.name} on ${shard}: ${r.tokens} tokens, ${r.windows} windows of ≤${r.windowLength} (stride ${r.stride})`);
  console.log(`perplexity ${r.perplexity.toFixed(4)}  nll/token ${(r.nll / r.tokens).toFixed(4)} nats  ${r.bitsPerToken.toFixed(4)} bits/token`);
  if (values.output) await writeJsonAtomic(values.output, { kind: 'hippo-eval/perplexity', model: { ...model.info, maxLength: model.maxLength }, shard, ...r });
}
