import { describe, expect, it } from 'vitest';
import { ShapeError } from '../../errors.js';
import { gpuForTests, randn, readF32, testSeed, upload } from '../../testing/index.js';
import { Rng } from '../../util/rng.js';
import { diagSsmState, diagSsmStep } from './diag-step.js';
import { shiftSsmState, shiftSsmStep } from './shift-step.js';
import type { SsmStepLayout } from './step-layout.js';
import { expectWithinBounds, randomDiagSsm, runDiag, runShift } from './ssm-step.fixtures.js';

const ctx = await gpuForTests();
const seed = testSeed();

// Every comparison is against the exact (float64) recurrence on the same float32 inputs, entry by entry,
// within the float32 error bound derived in ssm-step.fixtures.ts (runDiag / runShift).

/** Columns t..t+1 of x [R, L] as [R]. */
const col = (x: ArrayLike<number>, R: number, L: number, t: number) => Float32Array.from({ length: R }, (_, r) => x[r * L + t]);

const LAYOUTS: SsmStepLayout[] = ['segmented', 'row']; // each step test runs both (auto picks one per device)

describe.skipIf(!ctx)('SSM prefill and step kernels on webgpu vs the exact recurrence', () => {
  it('diagSsmState: B, odd H, N2 = 1/3/32/100/256, L = 1/5/700/2048', async () => {
    const gpu = ctx!;
    const rng = new Rng(seed);
    for (const [B, H, N2, L] of [
      [1, 1, 1, 1],
      [3, 5, 3, 5],
      [1, 7, 32, 700],
      [3, 3, 32, 2048],
      [1, 3, 100, 5],
      [2, 1, 256, 9],
    ]) {
      const ssm = randomDiagSsm(rng, H, N2);
      const z = randn(rng, B * H * L) as Float32Array;
      const p = { batch: B, channels: H, modes: N2, length: L };
      const state = gpu.acquire(B * H * N2 * 8);
      diagSsmState(gpu, state, upload(gpu, z), upload(gpu, ssm.A), p);
      const exact = runDiag(z, ssm, p);
      expectWithinBounds(await readF32(gpu, state, B * H * N2 * 2), exact.state, exact.stateBound, `diagSsmState B=${B} H=${H} N2=${N2} L=${L}`, seed, 2);
    }
  });

  it.each(LAYOUTS)('diagSsmStep (%s): one step from a random state, rows spanning several workgroups, N2 up to 256', async (layout) => {
    const gpu = ctx!;
    const rng = new Rng(seed);
    for (const [B, H, N2] of [
      ...(layout === 'row' ? [[2, 3, 300]] : []),
      [1, 1, 1],
      [3, 5, 3],
      [3, 13, 32],
      [1, 300, 1],
      [1, 3, 100],
      [2, 3, 256],
    ]) {
      const ssm = randomDiagSsm(rng, H, N2);
      const state0 = randn(rng, B * H * N2 * 2) as Float32Array;
      const z = randn(rng, B * H) as Float32Array;
      const p = { batch: B, channels: H, modes: N2 };
      const [state, y] = [upload(gpu, state0), gpu.acquire(B * H * 4)];
      diagSsmStep(gpu, y, state, upload(gpu, z), upload(gpu, ssm.A), upload(gpu, ssm.W), upload(gpu, ssm.D), p, { layout });
      const exact = runDiag(z, ssm, { ...p, length: 1 }, state0);
      const label = `diagSsmStep ${layout} B=${B} H=${H} N2=${N2}`;
      expectWithinBounds(await readF32(gpu, state, B * H * N2 * 2), exact.state, exact.stateBound, `${label} state`, seed, 2);
      expectWithinBounds(await readF32(gpu, y, B * H), exact.y, exact.yBound, `${label} y`, seed);
    }
  });

  it.each(LAYOUTS)('diagSsmStep (%s) over a prompt from zero: the final state of diagSsmState and the outputs of the convolution', async (layout) => {
    const gpu = ctx!;
    const rng = new Rng(seed);
    for (const [B, H, N2, L] of [
      [3, 5, 3, 700],
      [1, 7, 32, 5],
    ]) {
      const ssm = randomDiagSsm(rng, H, N2);
      const z = randn(rng, B * H * L) as Float32Array;
      const p = { batch: B, channels: H, modes: N2 };
      const [A, W, D] = [upload(gpu, ssm.A), upload(gpu, ssm.W), upload(gpu, ssm.D)];
      const state = upload(gpu, new Float32Array(B * H * N2 * 2));
      const [y, ys] = [gpu.acquire(B * H * 4), gpu.acquire(B * H * L * 4)];
      for (let t = 0; t < L; t++) {
        diagSsmStep(gpu, y, state, upload(gpu, col(z, B * H, L, t)), A, W, D, p, { layout });
        gpu.copy(y, 0, ys, t * B * H * 4, B * H * 4); // ys [L, B·H]
      }
      // runDiag's outputs are the float64 recurrence, which the reference test shows equals fftConvForwardRef
      const exact = runDiag(z, ssm, { ...p, length: L });
      const got = await readF32(gpu, ys, B * H * L);
      const yBH = Float32Array.from({ length: B * H * L }, (_, i) => got[(i % L) * B * H + Math.floor(i / L)]);
      const label = `${layout} B=${B} H=${H} N2=${N2} L=${L}`;
      expectWithinBounds(await readF32(gpu, state, B * H * N2 * 2), exact.state, exact.stateBound, `stepped state ${label}`, seed, 2);
      expectWithinBounds(yBH, exact.y, exact.yBound, `stepped outputs ${label}`, seed);
    }
  });

  it.each(LAYOUTS)('shiftSsmState and shiftSsmStep (%s): exact history, outputs of the causal FIR filter, N = 1/3/64/100/256', async (layout) => {
    const gpu = ctx!;
    const rng = new Rng(seed);
    for (const [B, d, N, L] of [
      ...(layout === 'row' ? [[1, 3, 300, 4]] : []),
      [1, 1, 1, 1],
      [3, 5, 64, 5],
      [1, 7, 64, 70],
      [3, 3, 3, 4],
      [1, 5, 100, 3],
      [2, 3, 256, 6],
    ]) {
      const [k, kernel, D] = [randn(rng, B * d * L), randn(rng, d * N), randn(rng, d)] as Float32Array[];
      const L0 = Math.ceil(L / 2); // prefill half, step over the rest
      const prompt = Float32Array.from({ length: B * d * L0 }, (_, i) => k[Math.floor(i / L0) * L + (i % L0)]);
      const state = gpu.acquire(B * d * N * 4);
      shiftSsmState(gpu, state, upload(gpu, prompt), { batch: B, channels: d, stateSize: N, length: L0 });
      const label = `${layout} B=${B} d=${d} N=${N} L=${L}`;
      const atPrompt = runShift(prompt, kernel, D, { batch: B, channels: d, stateSize: N, length: L0 });
      expect(Array.from(await readF32(gpu, state, B * d * N)), `shiftSsmState ${label}`).toEqual(Array.from(atPrompt.state));
      const exact = runShift(k, kernel, D, { batch: B, channels: d, stateSize: N, length: L });
      const [kernelBuf, DBuf, y] = [upload(gpu, kernel), upload(gpu, D), gpu.acquire(B * d * 4)];
      for (let t = L0; t < L; t++) {
        shiftSsmStep(gpu, y, state, upload(gpu, col(k, B * d, L, t)), kernelBuf, DBuf, { batch: B, channels: d, stateSize: N }, { layout });
        const yt = await readF32(gpu, y, B * d);
        expectWithinBounds(yt, col(exact.y, B * d, L, t), col(exact.yBound, B * d, L, t), `shiftSsmStep y at t=${t} ${label}`, seed);
      }
      expect(Array.from(await readF32(gpu, state, B * d * N)), `stepped history ${label}`).toEqual(Array.from(exact.state));
    }
  });

  it('the segmented layout refuses rows longer than one workgroup', () => {
    const gpu = ctx!;
    const b = gpu.acquire(4);
    const segmented = { layout: 'segmented' } as const;
    expect(() => diagSsmStep(gpu, b, b, b, b, b, b, { batch: 1, channels: 1, modes: 257 }, segmented)).toThrow(ShapeError);
    expect(() => shiftSsmStep(gpu, b, b, b, b, b, { batch: 1, channels: 1, stateSize: 300 }, segmented)).toThrow(/stateSize must have shape at most 256 for the segmented layout/);
  });
});
