// Binary F1 as sklearn's `f1_score(y_true, y_pred)` computes it (positive class = true), with its
// zero-division rule: 0 when there is no true positive.

/** F1 of the positive class: 2tp / (2tp + fp + fn), 0 without true positives. Inputs are aligned per item. */
export function binaryF1(golds: readonly boolean[], preds: readonly boolean[]): number {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (let i = 0; i < golds.length; i++) {
    if (preds[i] && golds[i]) tp++;
    else if (preds[i]) fp++;
    else if (golds[i]) fn++;
  }
  return tp === 0 ? 0 : (2 * tp) / (2 * tp + fp + fn);
}

/** CB's `cb_multi_fi`: the unweighted mean over the 3 classes of one-vs-rest binary F1. Items are [pred, gold]. */
export function cbMacroF1(items: readonly (readonly [number, number])[]): number {
  let s = 0;
  for (let c = 0; c < 3; c++) s += binaryF1(items.map(([, g]) => g === c), items.map(([p]) => p === c));
  return s / 3;
}
