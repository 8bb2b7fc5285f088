// Builds one task's loglikelihood requests: per evaluated doc, the context (demonstrations joined by "\n\n",
// then "\n\n", then the doc's text; zero-shot: the text alone) and one continuation per answer choice.
import type { AnyDoc, TaskName } from '../data/docs.js';
import type { TaskSpec, PromptVersion } from '../tasks/task.js';
import { planFewshot, type FewshotOptions } from './fewshot.js';

/** One evaluated document with its prompt. */
export interface DocRequests {
  /** Index of the doc in the validation split (file order; MultiRC: answer-row order). */
  docIndex: number;
  doc: AnyDoc;
  context: string;
  /** The continuation strings, in the harness's request order. */
  continuations: string[];
  /** Gold continuation indices as the harness computes them. */
  gold: number[];
}

/** All requests of one task, in the harness's evaluation order. */
export interface TaskRequests {
  task: TaskName;
  version: PromptVersion;
  docs: DocRequests[];
}

/**
 * The context for `doc` given its demonstrations (design §2.0): shot_1 + "\n\n" + … + shot_k + "\n\n" + text.
 * @example fewshotContext(boolq, doc2, [doc1], 'v0.3'); // "…\nAnswer: yes\n\nGolden Gate …\nAnswer:"
 */
export function fewshotContext<D>(task: TaskSpec<D>, doc: D, shots: readonly D[], version: PromptVersion): string {
  const demos = shots.map((s) => task.text(s, version) + task.shotTarget(s, version));
  return demos.map((d) => `${d}\n\n`).join('') + task.text(doc, version);
}

/**
 * Builds the requests of one task from its (processed) validation docs and train docs.
 * @example const reqs = buildTaskRequests(TASKS.cb, val, train, { version: 'v0.3', shots: 0, limit: null });
 */
export function buildTaskRequests<D extends AnyDoc>(task: TaskSpec<D>, validation: readonly D[], train: readonly D[] | null, opts: FewshotOptions): TaskRequests {
  const pool = opts.shots > 0 ? task.fewshotPool([...(train ?? [])], opts.version) : [];
  const plan = planFewshot(validation, pool, opts);
  const docs = plan.order.map((i, j): DocRequests => {
    const doc = validation[i];
    return {
      docIndex: i,
      doc,
      context: fewshotContext(task, doc, plan.shots[j], opts.version),
      continuations: task.continuations(doc, opts.version),
      gold: task.gold(doc, opts.version),
    };
  });
  return { task: task.name, version: opts.version, docs };
}
