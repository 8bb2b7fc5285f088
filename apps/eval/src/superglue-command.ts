// `hippo-eval [superglue]`: SuperGLUE zero/few-shot as lm-evaluation-harness scores it.
import { once } from 'node:events';
import { parseArgs } from 'node:util';
import {
  PROMPT_VERSIONS,
  gpt2Tokenizer,
  parseTaskList,
  prepareSuperGlue,
  requestLines,
  resolveSettings,
  resultsTable,
  scoreSuperGlue,
  trainTokenStreams,
  writeJsonAtomic,
} from '@hippo/eval';
import { choice, intOption, required } from './args.js';
import { MODEL_OPTIONS, MODEL_USAGE, chooseModel, requireVocab } from './model-choice.js';
import { progressReporter } from './progress.js';

export const SUPERGLUE_USAGE = `hippo-eval [superglue] --data DIR [options]
SuperGLUE (BoolQ, CB, COPA, MultiRC, ReCoRD, RTE, WiC, WSC) zero- and few-shot, with the prompts, answer strings,
few-shot sampling and metrics of EleutherAI's lm-evaluation-harness. Evaluates the validation split.
  --data DIR               one sub-folder per task: official SuperGLUE (BoolQ/val.jsonl, …) or Hugging Face
                           super_glue rows (boolq/validation.jsonl or boolq/validation-*.parquet, …)
  --tasks LIST             comma-separated boolq,cb,copa,multirc,record,rte,wic,wsc, or all [all]
  --shots K                demonstrations per prompt, drawn from the train split [0]
  --limit N                evaluate the first N docs of the harness's order per task [all]
  --prompt-version V       v0.3 (the H3 paper's era) or current [v0.3]
  --seed N                 few-shot seed [v0.3: 42, current: 1234]
  --dump-requests          print every (context, continuation) pair as JSON lines; run no model
${MODEL_USAGE}
  --no-shared-prefix       score each choice on its own even when the model can share the prefix
  --output FILE            results JSON [hippo-eval-results.json]`;

export async function superglueCommand(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      data: { type: 'string' },
      tasks: { type: 'string', default: 'all' },
      shots: { type: 'string' },
      limit: { type: 'string' },
      'prompt-version': { type: 'string' },
      seed: { type: 'string' },
      'dump-requests': { type: 'boolean' },
      'no-shared-prefix': { type: 'boolean' },
      output: { type: 'string', default: 'hippo-eval-results.json' },
      help: { type: 'boolean', short: 'h' },
      ...MODEL_OPTIONS,
    },
  });
  if (values.help) return void console.log(SUPERGLUE_USAGE);
  const opts = {
    dataDir: required('data', values.data, 'a folder with the SuperGLUE data (see --help)'),
    tasks: parseTaskList(values.tasks!),
    version: choice('prompt-version', values['prompt-version'], PROMPT_VERSIONS, 'v0.3'),
    shots: intOption('shots', values.shots, 0) ?? 0,
    limit: intOption('limit', values.limit) ?? null,
    seed: intOption('seed', values.seed, 0),
    withTrain: !values['dump-requests'] && values.model === 'toy-ngram',
  };
  const settings = resolveSettings(opts);
  const tasks = await prepareSuperGlue(opts);
  for (const t of tasks) for (const note of t.data.notes) console.error(`note: ${note}`);
  if (values['dump-requests']) {
    // Respect back-pressure (a full ReCoRD dump is hundreds of MB); stop quietly when the reader closes (| head).
    process.stdout.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EPIPE') process.exit(0);
      throw e;
    });
    for (const line of requestLines(tasks)) if (!process.stdout.write(`${line}\n`)) await once(process.stdout, 'drain');
    return;
  }
  const tokenizer = gpt2Tokenizer();
  const model = await chooseModel(values, () => trainTokenStreams(tasks, tokenizer), tokenizer.vocabSize);
  requireVocab(model, tokenizer.vocabSize, 'the GPT-2 tokens');
  console.error(`model: ${model.info.name} — ${model.info.description}`);
  const results = await scoreSuperGlue(tasks, settings, {
    model,
    tokenizer,
    batchSize: intOption('batch-size', values['batch-size']) ?? 16,
    sharedPrefix: !values['no-shared-prefix'],
    onProgress: progressReporter('scoring'),
  });
  console.log(resultsTable(results));
  await writeJsonAtomic(values.output!, results);
  console.error(`results: ${values.output}`);
}
