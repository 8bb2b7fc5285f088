// MultiRC's question-level exact match (the harness's `acc_all`, SuperGLUE's "EM"): a question counts as right
// only if every one of its candidate answers is classified right.
import { mean, meanStderr } from './stats.js';

/** One MultiRC answer row's outcome. */
export interface AnswerOutcome {
  paragraph: number;
  question: number;
  correct: boolean;
}

function groupedAllCorrect(items: readonly AnswerOutcome[], key: (o: AnswerOutcome) => string): number[] {
  const groups = new Map<string, boolean>();
  for (const o of items) groups.set(key(o), (groups.get(key(o)) ?? true) && o.correct);
  return [...groups.values()].map(Number);
}

/** `acc_all`: mean over (paragraph, question) groups of "all rows correct". */
export function accAll(items: readonly AnswerOutcome[]): number {
  return mean(groupedAllCorrect(items, (o) => `${o.paragraph}/${o.question}`));
}

/**
 * `acc_all_stderr`: as the harness computes it, grouping by the question index alone (question indices are
 * unique across paragraphs in SuperGLUE MultiRC, so this equals grouping by both there).
 */
export function accAllStderr(items: readonly AnswerOutcome[]): number | null {
  return meanStderr(groupedAllCorrect(items, (o) => `${o.question}`));
}
