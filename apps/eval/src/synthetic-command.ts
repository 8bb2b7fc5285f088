// `hippo-eval synthetic`: accuracy on synthetic token tasks (induction head, associative recall).
import { parseArgs } from 'node:util';
import { gpt2Tokenizer, readSyntheticExamples, syntheticAccuracy, writeJsonAtomic } from '@hippo/eval';
import { intOption, required } from './args.js';
import { MODEL_OPTIONS, MODEL_USAGE, chooseModel, modelVocab, requireVocab } from './model-choice.js';
import { progressReporter } from './progress.js';

export const SYNTHETIC_USAGE = `hippo-eval synthetic --examples FILE.jsonl [options]
Accuracy on synthetic examples, one JSON object per line: {"input": [token ids], "target": [token ids]}; an
example is right when every target token is the model's greedy choice.
  --examples FILE.jsonl    the examples
  --vocab N                token ids must be below N [a checkpoint's vocabSize; toy model: 50257]
  --fit FILE.jsonl         toy model only: examples to fit it on [--examples itself, i.e. in-sample]
${MODEL_USAGE}
  --output FILE            results JSON [none]`;

export async function syntheticCommand(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: { examples: { type: 'string' }, vocab: { type: 'string' }, fit: { type: 'string' }, output: { type: 'string' }, help: { type: 'boolean', short: 'h' }, ...MODEL_OPTIONS },
  });
  if (values.help) return void console.log(SYNTHETIC_USAGE);
  const file = required('examples', values.examples, 'a JSON-lines file of examples');
  const asked = intOption('vocab', values.vocab);
  // A language model brings its own vocabulary (synthetic-task models are trained with a small one); the toy
  // model is fitted on the examples, so it comes after them.
  const toy = values.model === 'toy-ngram' && values.checkpoint === undefined;
  const lm = toy ? null : await chooseModel(values, () => [], 0);
  const vocab = asked ?? (lm && modelVocab(lm)) ?? gpt2Tokenizer().vocabSize;
  if (lm) requireVocab(lm, vocab, 'the --vocab ids');
  const examples = await readSyntheticExamples(file, vocab);
  const fitOn = values.fit ? await readSyntheticExamples(values.fit, vocab) : examples;
  if (toy && !values.fit) console.error('note: the toy model is fitted on the examples it scores (in-sample); pass --fit for held-out numbers');
  const model = lm ?? (await chooseModel(values, () => fitOn.map((e) => [...e.input, ...e.target]), vocab));
  const r = await syntheticAccuracy(model, examples, { batchSize: intOption('batch-size', values['batch-size']) ?? 16, onProgress: progressReporter('synthetic') });
  const se = r.accuracy.stderr === null ? '' : ` ± ${r.accuracy.stderr.toFixed(4)}`;
  console.log(`${model.info.name} on ${file}: accuracy ${r.accuracy.value.toFixed(4)}${se} over ${r.examples} examples`);
  if (values.output) await writeJsonAtomic(values.output, { kind: 'hippo-eval/synthetic', model: { ...model.info, maxLength: model.maxLength }, file, ...r });
}
