// Few-shot draws equal CPython's for the harness's procedures (test/python/make-python-vectors.py), and a
// fixed-seed 3-shot prompt on the sample data is stable.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { EvalConfigError } from '../errors.js';
import { writeSampleData } from '../sample-data/write-sample-data.js';
import { prepareSuperGlue } from '../superglue.js';
import { planFewshot } from './fewshot.js';

const PY = JSON.parse(readFileSync(new URL('../../test/python/python-vectors.json', import.meta.url), 'utf8'));
type Doc = { train?: number; val?: number };
const train = (n: number): Doc[] => Array.from({ length: n }, (_, i) => ({ train: i }));
const val = (n: number): Doc[] => Array.from({ length: n }, (_, i) => ({ val: i }));
const ids = (shots: Doc[][]) => shots.map((s) => s.map((d) => d.train));

describe('planFewshot reproduces the harness draws', () => {
  it('v0.3: Random(42) shuffles the docs, --limit cuts the shuffled order, then sample(train, k) per doc', () => {
    for (const c of PY.fewshot_v03) {
      const plan = planFewshot(val(c.n_val), train(c.n_train), { version: 'v0.3', shots: c.k, limit: c.limit ?? null });
      expect(plan.order, JSON.stringify(c)).toEqual(c.order);
      expect(ids(plan.shots)).toEqual(c.shots);
    }
  });

  it('current: Random(1234), dataset order, sample(train, k + 1) and keep the first k', () => {
    for (const c of PY.fewshot_current) {
      const plan = planFewshot(val(c.n_val), train(c.n_train), { version: 'current', shots: c.k, limit: c.limit ?? null });
      expect(plan.order).toEqual(c.order);
      expect(ids(plan.shots)).toEqual(c.draws.map((d: number[]) => d.slice(0, c.k)));
    }
  });

  it('current: a drawn doc equal to the eval doc is dropped and the extra draw used', () => {
    const c = PY.fewshot_current[0];
    const pool = train(c.n_train);
    const docs: Doc[] = Array.from({ length: c.n_val }, (_, j) => ({ train: j % c.n_train })); // deep-equal to pool docs
    const plan = planFewshot(docs, pool, { version: 'current', shots: c.k, limit: null });
    expect(ids(plan.shots)).toEqual(c.draws.map((d: number[], j: number) => d.filter((x) => x !== j % c.n_train).slice(0, c.k)));
  });

  it('refuses more shots than the pool allows, naming the option', () => {
    expect(() => planFewshot(val(2), train(3), { version: 'v0.3', shots: 4, limit: null })).toThrow(EvalConfigError);
    expect(() => planFewshot(val(2), train(3), { version: 'current', shots: 3, limit: null })).toThrow(/--shots.*k \+ 1/);
  });
});

describe('a fixed-seed few-shot prompt is stable', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hippo-eval-fewshot-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('BoolQ 3-shot, v0.3 (seed 42) and current (seed 1234), on the sample data', async () => {
    await writeSampleData(dir, 'official');
    const demo = (passage: string, q: string, a: string) => `${passage}\nQuestion: ${q}?\nAnswer: ${a}\n\n`;
    const ostrich = demo('Ostrich -- Ostriches are large flightless birds that run at great speed.', 'can ostriches fly', 'no');
    const venus = demo('Venus -- Its thick atmosphere makes Venus the hottest planet in the Solar System.', 'is venus the hottest planet', 'yes');
    const moon = demo('Moon -- The Moon is about a quarter of the diameter of the Earth.', 'is the moon larger than the earth', 'no');
    const bees = demo('Honey bee -- Honey bees store honey made from the nectar of flowers.', 'do bees make honey', 'yes');
    // v0.3: CPython's Random(42) puts val doc 3 first and draws train docs [1, 4, 0] for it.
    const [v03] = await prepareSuperGlue({ dataDir: dir, tasks: ['boolq'], shots: 3 });
    expect(v03.requests.docs[0].docIndex).toBe(3);
    expect(v03.requests.docs[0].context).toBe(
      `${ostrich}${venus}${moon}Nile -- The Nile flows north through eleven countries into the Mediterranean Sea.\nQuestion: does the nile flow into the atlantic?\nAnswer:`,
    );
    // current: Random(1234) draws [3, 0, 4, 2] for val doc 0 and keeps the first three.
    const [cur] = await prepareSuperGlue({ dataDir: dir, tasks: ['boolq'], shots: 3, version: 'current' });
    expect(cur.requests.docs[0].docIndex).toBe(0);
    expect(cur.requests.docs[0].context).toBe(
      `${bees}${moon}${venus}Penguin -- Penguins are flightless aquatic birds that live almost exclusively in the Southern Hemisphere.\nQuestion: do penguins live in the southern hemisphere?\nAnswer:`,
    );
  });
});
