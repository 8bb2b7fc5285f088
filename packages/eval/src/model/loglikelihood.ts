// The harness's `_loglikelihood_tokens` over a ScoringModel: identical requests are scored once; requests are
// sorted by (−len(context + continuation), tokens) so the longest batch comes first (memory errors surface at
// once, time estimates err high); each window is (context ++ continuation)[-(maxLength + 1):][:-1] (left
// truncation) scoring the last len(continuation) positions; results come back in request order.
// With a model that has `scoreSharedPrefix`, the continuations of one context that fit without truncation are
// scored from one prefill of that context instead (same numbers; see types.ts).
import { EvalError } from '../errors.js';
import type { LoglikelihoodRequest, LoglikelihoodResult, PrefixGroup, ScoringModel, ScoringWindow } from './types.js';

/** Options of {@link loglikelihood}. */
export interface LoglikelihoodOptions {
  /** Windows (or prefix groups) per model call. Default 16. */
  batchSize?: number;
  /** Use the model's shared-prefix hook when it has one. Default true. */
  sharedPrefix?: boolean;
  /** Called after each model call with (scored, total) unique requests. */
  onProgress?: (done: number, total: number) => void;
}

/** A model returned something unusable (wrong count, NaN). */
export class ModelOutputError extends EvalError {}

const key = (ids: readonly number[]) => ids.join(',');

/** Python tuple order of two token lists. */
function compareTokens(a: readonly number[], b: readonly number[]): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return a.length - b.length;
}

/**
 * Scores every request: {logprob, isGreedy} per request, in request order.
 * @example const [r] = await loglikelihood(model, [{ context: [33706, 25], continuation: [3763] }]); r.logprob;
 */
export async function loglikelihood(model: ScoringModel, requests: readonly LoglikelihoodRequest[], opts: LoglikelihoodOptions = {}): Promise<LoglikelihoodResult[]> {
  const batchSize = opts.batchSize ?? 16;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new EvalError(`loglikelihood: batchSize must be a positive integer; got ${batchSize}`);
  const L = model.maxLength;
  // Unique by the (context, continuation) pair. The harness keys on the concatenation, which would also merge
  // two different splits of the same tokens; those have different answers, so we do not.
  const uniq: LoglikelihoodRequest[] = [];
  const byKey = new Map<string, number>();
  const owner = requests.map((r, i) => {
    if (r.context.length === 0) throw new EvalError(`loglikelihood: request ${i} has an empty context; encode an empty context as [EOT]`);
    if (r.continuation.length === 0) throw new EvalError(`loglikelihood: request ${i} has an empty continuation`);
    if (r.continuation.length > L) throw new EvalError(`loglikelihood: request ${i} has a continuation of ${r.continuation.length} tokens, more than maxLength ${L}`);
    const k = `${key(r.context)}|${key(r.continuation)}`;
    let u = byKey.get(k);
    if (u === undefined) {
      u = uniq.length;
      byKey.set(k, u);
      uniq.push(r);
    }
    return u;
  });
  const results: (LoglikelihoodResult | undefined)[] = new Array(uniq.length);
  let done = 0;
  const progress = (n: number) => {
    done += n;
    opts.onProgress?.(done, uniq.length);
  };

  let rest = uniq.map((_, i) => i);
  if (model.scoreSharedPrefix && opts.sharedPrefix !== false) {
    const groups = sharedPrefixGroups(uniq, L);
    const inGroup = new Set(groups.flat());
    rest = rest.filter((i) => !inGroup.has(i));
    for (let b = 0; b < groups.length; b += batchSize) {
      const batch = groups.slice(b, b + batchSize);
      const calls: PrefixGroup[] = batch.map((g) => ({
        prefix: Int32Array.from(uniq[g[0]].context),
        continuations: g.map((i) => Int32Array.from(uniq[i].continuation)),
      }));
      const out = await model.scoreSharedPrefix(calls);
      if (out.length !== batch.length) throw new ModelOutputError(`scoreSharedPrefix returned ${out.length} groups for ${batch.length}`);
      batch.forEach((g, j) => {
        if (out[j].length !== g.length) throw new ModelOutputError(`scoreSharedPrefix returned ${out[j].length} results for a group of ${g.length}`);
        g.forEach((i, c) => (results[i] = checked(out[j][c], i)));
      });
      progress(batch.reduce((s, g) => s + g.length, 0));
    }
  }

  const full = (i: number) => [...uniq[i].context, ...uniq[i].continuation];
  rest.sort((a, b) => full(b).length - full(a).length || compareTokens(full(a), full(b)));
  for (let b = 0; b < rest.length; b += batchSize) {
    const batch = rest.slice(b, b + batchSize);
    const windows: ScoringWindow[] = batch.map((i) => ({
      input: Int32Array.from(full(i).slice(-(L + 1)).slice(0, -1)),
      targets: Int32Array.from(uniq[i].continuation),
    }));
    const out = await model.scoreWindows(windows);
    if (out.length !== batch.length) throw new ModelOutputError(`scoreWindows returned ${out.length} results for ${batch.length} windows`);
    batch.forEach((i, j) => (results[i] = checked(out[j], i)));
    progress(batch.length);
  }
  return owner.map((u) => results[u]!);
}

function checked(r: LoglikelihoodResult, i: number): LoglikelihoodResult {
  if (typeof r?.logprob !== 'number' || Number.isNaN(r.logprob) || typeof r.isGreedy !== 'boolean')
    throw new ModelOutputError(`model returned ${JSON.stringify(r)} for unique request ${i}; expected {logprob: number (not NaN), isGreedy: boolean}`);
  return r;
}

/**
 * Requests sharing a context, at least two per group, every one short enough that its window is not truncated
 * (len(context) + len(continuation) ≤ maxLength + 1). Groups come longest first, then by context tokens; inside a
 * group, requests keep their original order.
 */
export function sharedPrefixGroups(requests: readonly LoglikelihoodRequest[], maxLength: number): number[][] {
  const byContext = new Map<string, number[]>();
  requests.forEach((r, i) => {
    if (r.context.length + r.continuation.length > maxLength + 1) return;
    const k = key(r.context);
    const g = byContext.get(k);
    if (g) g.push(i);
    else byContext.set(k, [i]);
  });
  const groups = [...byContext.values()].filter((g) => g.length >= 2);
  const longest = (g: number[]) => requests[g[0]].context.length + Math.max(...g.map((i) => requests[i].continuation.length));
  return groups.sort((a, b) => longest(b) - longest(a) || compareTokens(requests[a[0]].context, requests[b[0]].context));
}
