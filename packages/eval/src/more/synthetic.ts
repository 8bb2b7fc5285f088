// Accuracy on synthetic token tasks (the H3 paper's induction head and associative recall, §3.1): an example
// is an input token sequence and the target token(s) that must follow; it counts as right when every target
// token is the model's argmax (the harness's `isGreedy`). Examples are read from JSON lines
// {"input": [ids…], "target": [ids…]}, the form the @hippo/data generators are to write.
import { readRows } from '../data/read-rows.js';
import { RowFields } from '../data/row-fields.js';
import type { MetricValue } from '../metrics/metric.js';
import { meanMetric } from '../metrics/stats.js';
import { loglikelihood, type LoglikelihoodOptions } from '../model/loglikelihood.js';
import type { ScoringModel } from '../model/types.js';

/** One synthetic example. */
export interface SyntheticExample {
  input: number[];
  target: number[];
}

/**
 * Accuracy of a model on examples (exact greedy match of all target tokens), with its stderr.
 * @example const { accuracy } = await syntheticAccuracy(model, [{ input: [5, 9, 5], target: [9] }]);
 */
export async function syntheticAccuracy(model: ScoringModel, examples: readonly SyntheticExample[], opts: LoglikelihoodOptions = {}): Promise<{ examples: number; accuracy: MetricValue }> {
  const scored = await loglikelihood(model, examples.map((e) => ({ context: e.input, continuation: e.target })), opts);
  return { examples: examples.length, accuracy: meanMetric(scored.map((r) => Number(r.isGreedy))) };
}

/**
 * Reads examples from a JSON-lines file, checking that ids are integers in [0, vocabSize).
 * @example const examples = await readSyntheticExamples('recall.jsonl', 50257);
 */
export async function readSyntheticExamples(path: string, vocabSize: number): Promise<SyntheticExample[]> {
  const rows = await readRows(path);
  return rows.map((r) => {
    const f = new RowFields(r.value as Record<string, unknown>, r.file, r.line, '(a synthetic example: {"input": [token ids], "target": [token ids]})');
    const ids = (name: string) => {
      const v = f.raw(name);
      if (!Array.isArray(v) || v.length === 0 || v.some((x) => !Number.isInteger(x) || x < 0 || x >= vocabSize))
        f.fail(name, `a non-empty array of token ids in [0, ${vocabSize})`, v);
      return v as number[];
    };
    return { input: ids('input'), target: ids('target') };
  });
}
