import { describe, it } from 'vitest';
import { testSeed } from '../../testing/index.js';
import { Rng } from '../../util/rng.js';
import { expectSameBits, inWasm, normal, testRuntimes } from '../../wasm/test-helpers.js';
import { adamwRef } from './adamw.ref.js';
import { adamwWasm } from './adamw.wasm.js';

const seed = testSeed();
const { rt1, rt2 } = testRuntimes();

describe('adamwWasm vs adamwRef (float32), 1 and 2 threads', () => {
  it('three steps give the reference bits for param, m and v', () => {
    const rng = new Rng(seed);
    for (const n of [1, 3, 7, 13, 257, 300_007]) {
      const param = normal(rng, n);
      const m = normal(rng, n, 0.1);
      const v = normal(rng, n, 0.01).map(Math.abs);
      const refs = [param.slice(), m.slice(), v.slice()];
      const runs = [rt1, rt2].map((rt) => [inWasm(rt, param), inWasm(rt, m), inWasm(rt, v)]);
      for (let step = 1; step <= 3; step++) {
        const grad = normal(rng, n);
        const p = { n, lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.1, step, gradScale: 0.7 };
        adamwRef(refs[0], grad, refs[1], refs[2], p);
        for (const [rt, run] of [rt1, rt2].map((r, i) => [r, runs[i]] as const)) adamwWasm(rt, run[0], inWasm(rt, grad), run[1], run[2], p);
      }
      // the kernel repeats the reference's f64 operations in order, so every stored f32 is the same
      ['param', 'm', 'v'].forEach((name, k) => {
        expectSameBits(runs[0][k], refs[k], `n=${n} ${name}`, seed);
        expectSameBits(runs[1][k], runs[0][k], `n=${n} ${name} 2 threads vs 1`, seed);
      });
    }
  });
});
