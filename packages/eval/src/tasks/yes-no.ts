// The yes/no answer pattern shared by BoolQ, WiC and WSC: v0.3 scores [" yes", " no"] (a tie means "no");
// the current harness has choices ["no", "yes"] indexed by the label, scored with a " " delimiter.
import type { MetricValue } from '../metrics/metric.js';
import { meanMetric } from '../metrics/stats.js';
import { argmaxFirst, yesOverNo, type PromptVersion } from './task.js';

/** Continuations in request order. */
export function yesNoChoices(v: PromptVersion): string[] {
  return v === 'v0.3' ? [' yes', ' no'] : [' no', ' yes'];
}

/** Gold index for an HF binary label (1 = yes). */
export function yesNoGold(label: number, v: PromptVersion): number[] {
  return [v === 'v0.3' ? 1 - label : label];
}

/** The demonstration target: " yes" / " no" in both versions. */
export function yesNoShot(label: number, _v: PromptVersion): string {
  return label === 1 ? ' yes' : ' no';
}

/** The prediction: v0.3 `ll_yes > ll_no` (a tie is "no"); current argmax over [no, yes] (a tie is "no" too). */
export function yesNoPredict(lls: number[], v: PromptVersion): number {
  return v === 'v0.3' ? yesOverNo(lls) : argmaxFirst(lls);
}

/** Accuracy against the HF labels. */
export function yesNoAcc(labels: number[], preds: number[], v: PromptVersion): Record<string, MetricValue> {
  return { acc: meanMetric(labels.map((l, i) => Number(yesNoGold(l, v)[0] === preds[i]))) };
}
