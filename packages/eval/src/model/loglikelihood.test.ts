// The request scheduler: results equal scoring each request on its own; identical requests are scored once;
// windows come longest first in batches, left-truncated like the harness; the shared-prefix hook gets each
// context once with all of its fitting continuations, and its results equal the separate scoring.
import { describe, expect, it } from 'vitest';
import { checkSharedPrefixMatchesWindows } from '../testing/index.js';
import { loglikelihood, ModelOutputError, sharedPrefixGroups } from './loglikelihood.js';
import type { LoglikelihoodRequest, LoglikelihoodResult, PrefixGroup, ScoringModel, ScoringWindow } from './types.js';
import { PyRandom } from '../python/py-random.js';

const V = 11;

/**
 * A recurrent fake LM over V tokens whose state is a hash of the whole history, so any off-by-one in positions or
 * any lost prefix token changes the numbers. It records every call.
 */
class FakeRecurrentModel implements ScoringModel {
  readonly info = { name: 'fake', description: 'recurrent hash LM', checkpoint: null, checkpointHash: null };
  windowCalls: ScoringWindow[][] = [];
  prefixCalls: PrefixGroup[][] = [];
  prefillSteps = 0;
  constructor(readonly maxLength: number, withPrefixHook: boolean) {
    if (!withPrefixHook) Object.defineProperty(this, 'scoreSharedPrefix', { value: undefined }); // hide the hook
  }
  static step(h: number, t: number): number {
    return (Math.imul(h ^ (t + 1), 0x9e3779b1) + 0x7f4a7c15) >>> 0;
  }
  static logSoftmax(h: number): number[] {
    const logits = Array.from({ length: V }, (_, i) => ((Math.imul(h, i + 3) >>> 0) % 1000) / 250);
    const m = Math.max(...logits);
    const z = Math.log(logits.reduce((s, x) => s + Math.exp(x - m), 0)) + m;
    return logits.map((x) => x - z);
  }
  static score(h: number, targets: ArrayLike<number>, inputAt: (j: number) => number): LoglikelihoodResult {
    let logprob = 0;
    let isGreedy = true;
    for (let j = 0; j < targets.length; j++) {
      h = FakeRecurrentModel.step(h, inputAt(j));
      const lp = FakeRecurrentModel.logSoftmax(h);
      logprob += lp[targets[j]];
      if (lp.indexOf(Math.max(...lp)) !== targets[j]) isGreedy = false;
    }
    return { logprob, isGreedy };
  }
  async scoreWindows(windows: ScoringWindow[]): Promise<LoglikelihoodResult[]> {
    this.windowCalls.push(windows);
    return windows.map(({ input, targets }) => {
      const T = input.length;
      const n = targets.length;
      let h = 0;
      for (let p = 0; p < T - n; p++) h = FakeRecurrentModel.step(h, input[p]);
      return FakeRecurrentModel.score(h, targets, (j) => input[T - n + j]);
    });
  }
  async scoreSharedPrefix(groups: PrefixGroup[]): Promise<LoglikelihoodResult[][]> {
    this.prefixCalls.push(groups);
    return groups.map(({ prefix, continuations }) => {
      let h = 0;
      for (let p = 0; p < prefix.length - 1; p++, this.prefillSteps++) h = FakeRecurrentModel.step(h, prefix[p]);
      const last = prefix[prefix.length - 1];
      return continuations.map((c) => FakeRecurrentModel.score(h, c, (j) => (j === 0 ? last : c[j - 1])));
    });
  }
}

/** The reference: one request on its own, the harness's window rule written out. */
function scoreAlone(r: LoglikelihoodRequest, L: number): LoglikelihoodResult {
  const input = [...r.context, ...r.continuation].slice(-(L + 1)).slice(0, -1);
  const n = r.continuation.length;
  let h = 0;
  for (let p = 0; p < input.length - n; p++) h = FakeRecurrentModel.step(h, input[p]);
  return FakeRecurrentModel.score(h, r.continuation, (j) => input[input.length - n + j]);
}

/** Documents with 2–4 choices each, a few repeated requests and a few too long for the window. */
function makeRequests(seed: number, L: number): LoglikelihoodRequest[] {
  const rnd = new PyRandom(seed);
  const toks = (n: number) => Array.from({ length: n }, () => rnd.randbelow(V));
  const out: LoglikelihoodRequest[] = [];
  for (let d = 0; d < 25; d++) {
    const context = toks(1 + rnd.randbelow(d % 5 === 0 ? L + 4 : L - 4)); // some contexts overflow L
    for (let c = 0, nc = 2 + rnd.randbelow(3); c < nc; c++) out.push({ context, continuation: toks(1 + rnd.randbelow(3)) });
  }
  out.push({ ...out[3] }, { ...out[0] }); // exact repeats
  out.push({ context: [5], continuation: [1, 2] }, { context: [5], continuation: [3] }); // one-token context group
  return out;
}

describe('loglikelihood scheduler', () => {
  const L = 12;
  // A fresh seed per run (printed on failure); HIPPO_SEED replays one.
  const seed = process.env.HIPPO_SEED ? Number(process.env.HIPPO_SEED) >>> 0 : (Math.random() * 2 ** 31) >>> 0;

  it.each([false, true])('equals scoring every request alone (shared-prefix hook: %s)', async (hook) => {
    const reqs = makeRequests(seed, L);
    const model = new FakeRecurrentModel(L, hook);
    const got = await loglikelihood(model, reqs, { batchSize: 4 });
    const want = reqs.map((r) => scoreAlone(r, L));
    // Both paths run the same float64 operations on the same state, so they agree exactly.
    expect(got, `seed ${seed}`).toEqual(want);
  });

  it('scores identical requests once and sorts windows longest first, ties by tokens, in batches', async () => {
    const reqs = makeRequests(seed, L);
    const model = new FakeRecurrentModel(L, false);
    const seen: [number, number][] = [];
    await loglikelihood(model, reqs, { batchSize: 4, onProgress: (d, t) => seen.push([d, t]) });
    const windows = model.windowCalls.flat();
    const unique = new Set(reqs.map((r) => `${r.context}|${r.continuation}`)).size;
    expect(windows.length).toBe(unique);
    expect(reqs.length).toBeGreaterThanOrEqual(unique + 2); // the two planted repeats (random choices may add more)
    expect(model.windowCalls.every((b) => b.length <= 4)).toBe(true);
    // The harness's order: sort the unique (ctx ++ cont) by (−length, tokens as a tuple), then truncate.
    const uniq = [...new Map(reqs.map((r) => [`${r.context}|${r.continuation}`, r])).values()];
    const tupleOrder = (a: number[], b: number[]) => {
      const k = a.findIndex((x, i) => x !== b[i]);
      return b.length - a.length || (k < 0 ? 0 : a[k] - b[k]);
    };
    const expected = uniq
      .map((r) => ({ full: [...r.context, ...r.continuation], cont: r.continuation }))
      .sort((a, b) => tupleOrder(a.full, b.full))
      .map((x) => ({ input: x.full.slice(-(L + 1)).slice(0, -1), targets: [...x.cont] }));
    expect(windows.map((w) => ({ input: Array.from(w.input), targets: Array.from(w.targets) })), `seed ${seed}`).toEqual(expected);
    expect(windows.every((w) => w.input.length <= L)).toBe(true);
    expect(seen[seen.length - 1]).toEqual([unique, unique]);
  });

  it('sends each context once to the shared-prefix hook with its fitting continuations; the rest as windows', async () => {
    const reqs = makeRequests(seed, L);
    const model = new FakeRecurrentModel(L, true);
    await loglikelihood(model, reqs, { batchSize: 3 });
    const groups = model.prefixCalls.flat();
    expect(model.prefixCalls.every((b) => b.length <= 3)).toBe(true);
    // every group: ≥ 2 continuations, no truncation, a context seen in no other group
    const contexts = groups.map((g) => Array.from(g.prefix).join(','));
    expect(new Set(contexts).size).toBe(groups.length);
    for (const g of groups) {
      expect(g.continuations.length).toBeGreaterThanOrEqual(2);
      for (const c of g.continuations) expect(g.prefix.length + c.length).toBeLessThanOrEqual(L + 1);
    }
    // the prefix of each group is run once: prefill steps = Σ (|prefix| − 1)
    expect(model.prefillSteps).toBe(groups.reduce((s, g) => s + g.prefix.length - 1, 0));
    // everything else (overflowing or single requests) went through windows; nothing was scored twice
    const unique = new Set(reqs.map((r) => `${r.context}|${r.continuation}`)).size;
    expect(groups.reduce((s, g) => s + g.continuations.length, 0) + model.windowCalls.flat().length).toBe(unique);
    expect(contexts).toContain('5');
    // groups come longest first
    const longest = groups.map((g) => g.prefix.length + Math.max(...g.continuations.map((c) => c.length)));
    expect(longest).toEqual([...longest].sort((a, b) => b - a));
  });

  it('sharedPrefixGroups keeps request order inside a group and skips requests that would be truncated', () => {
    const reqs = [
      { context: [1, 2], continuation: [3] },
      { context: [9], continuation: [1] },
      { context: [1, 2], continuation: [4, 4] },
      { context: [1, 2], continuation: [5, 5, 5] }, // 2 + 3 > L + 1 = 4
    ];
    expect(sharedPrefixGroups(reqs, 3)).toEqual([[0, 2]]);
  });

  it('left-truncates like the harness: (ctx ++ cont)[-(L+1):][:-1]', async () => {
    const model = new FakeRecurrentModel(4, false);
    await loglikelihood(model, [{ context: [1, 2, 3, 4, 5, 6], continuation: [7, 8] }]);
    const [w] = model.windowCalls[0];
    expect(Array.from(w.input)).toEqual([4, 5, 6, 7]);
    expect(Array.from(w.targets)).toEqual([7, 8]);
  });

  it('the contract helper confirms the fake model', async () => {
    const model = new FakeRecurrentModel(64, true);
    const groups = [{ prefix: Int32Array.from([1, 2, 3]), continuations: [Int32Array.from([4]), Int32Array.from([5, 6, 7])] }];
    expect(await checkSharedPrefixMatchesWindows(model, groups, 0)).toBe(0);
  });

  it('refuses bad requests and bad model output with the reason', async () => {
    const model = new FakeRecurrentModel(4, false);
    await expect(loglikelihood(model, [{ context: [], continuation: [1] }])).rejects.toThrow(/empty context/);
    await expect(loglikelihood(model, [{ context: [1], continuation: [] }])).rejects.toThrow(/empty continuation/);
    await expect(loglikelihood(model, [{ context: [1], continuation: [1, 2, 3, 4, 5] }])).rejects.toThrow(/more than maxLength 4/);
    const nan: ScoringModel = { ...model, info: model.info, maxLength: 4, scoreWindows: async (w) => w.map(() => ({ logprob: NaN, isGreedy: false })) };
    await expect(loglikelihood(nan, [{ context: [1], continuation: [2] }])).rejects.toThrow(ModelOutputError);
    const short: ScoringModel = { info: model.info, maxLength: 4, scoreWindows: async () => [] };
    await expect(loglikelihood(short, [{ context: [1], continuation: [2] }])).rejects.toThrow(/returned 0 results for 1/);
  });
});
