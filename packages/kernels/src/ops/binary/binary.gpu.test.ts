import { describe, expect, it } from 'vitest';
import { expectClose, gpuForTests, randn, readF32, testSeed, upload } from '../../testing/index.js';
import { Rng } from '../../util/rng.js';
import { binary } from './binary.js';
import { binaryRef, type BinaryOp } from './binary.ref.js';
import { planBroadcast } from './broadcast.js';

const ctx = await gpuForTests();
const seed = testSeed();

const CASES: [number[], number[]][] = [
  [[1], [1]],
  [[7], [7]],
  [[257], [1]],
  [[3, 13], [13]],
  [[5, 1, 31], [1, 7, 1]],
  [[2, 3, 4, 5, 6, 7], [3, 1, 5, 1, 7]],
  [[300, 257], [300, 1]],
];

describe.skipIf(!ctx)('binary on webgpu vs binaryRef', () => {
  for (const op of ['add', 'sub', 'mul', 'div'] as BinaryOp[]) {
    it(op, async () => {
      const gpu = ctx!;
      const rng = new Rng(seed);
      for (const [sa, sb] of CASES) {
        const plan = planBroadcast(op, sa, sb);
        const a = randn(rng, sa.reduce((x, y) => x * y, 1));
        const b = randn(rng, sb.reduce((x, y) => x * y, 1));
        if (op === 'div') for (let i = 0; i < b.length; i++) b[i] = b[i] >= 0 ? b[i] + 0.5 : b[i] - 0.5;
        const ref = new Float32Array(plan.size);
        binaryRef(op, ref, a, b, plan);
        const out = gpu.acquire(plan.size * 4);
        binary(gpu, op, out, upload(gpu, a), upload(gpu, b), plan);
        const got = await readF32(gpu, out, plan.size);
        // one rounding per element: f32 epsilon
        expect(expectClose(got, ref, 1e-6, `${op} [${sa}] ∘ [${sb}]`, seed)).toBeLessThanOrEqual(1e-6);
      }
    });
  }
});
