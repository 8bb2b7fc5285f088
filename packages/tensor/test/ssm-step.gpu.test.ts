// The generation-only SSM ops on webgpu through the Tensor API: a prefill then steps, with the state updated
// in place on the GPU, agree with the float64 reference backend on the same float32 inputs.
import { Rng } from '@hippo/kernels';
import { expectClose, gpuForTests, testSeed } from '@hippo/kernels/testing';
import { describe, expect, it } from 'vitest';
import { Tensor, WebGpuBackend, diagSsmState, diagSsmStep, referenceBackend, shiftSsmState, shiftSsmStep, type Backend } from '../src/index.js';

const ctx = await gpuForTests();
const seed = testSeed();

const [B, H, N2, N, L, L0] = [3, 7, 32, 64, 40, 25];
const U = 2 ** -24;
// float32 recurrence over L tokens: each step adds < 5u of |Ā||x| + |z| and |Ā| < 1 damps older errors, so the
// state is within 5u·L·max(|x|, |z|); the output sums N2 = 32 modes (≤ (2·N2 + 4)u of Σ|W||x|). Relative to
// the O(1) outputs: 5u·L + (2·N2 + 4)u ≈ 1.6e-5, and the same as an absolute term for outputs that cancel.
const DIAG_TOL = 5 * U * L + (2 * N2 + 4) * U;
// the shift SSM's history is copied exactly; its output sums N + 1 products: (N + 2)u relative
const SHIFT_TOL = (N + 2) * U;

/** Prefill on the first L0 tokens, then a step per token; returns the outputs of the steps and the final states. */
async function run(backend: Backend, inputs: Record<string, Float32Array | Float64Array>) {
  const f = (a: Float32Array | Float64Array) => (backend.name === 'webgpu' ? Float32Array.from(a) : Float64Array.from(a));
  const t = (a: Float32Array | Float64Array, shape: number[]) => Tensor.fromArray(backend, f(a), shape);
  const col = (x: Float32Array | Float64Array, len: number, s: number) => Float32Array.from({ length: B * H }, (_, r) => x[r * len + s]);
  const prompt = (x: Float32Array | Float64Array) => Float32Array.from({ length: B * H * L0 }, (_, i) => x[Math.floor(i / L0) * L + (i % L0)]);
  const [A, W, D, kernel] = [t(inputs.A, [H, N2, 2]), t(inputs.W, [H, N2, 2]), t(inputs.D, [H]), t(inputs.kernel, [H, N])];
  const state = diagSsmState(t(prompt(inputs.z), [B, H, L0]), A);
  const stateK = shiftSsmState(t(prompt(inputs.k), [B, H, L0]), N);
  const ys: number[] = [];
  const yks: number[] = [];
  for (let s = L0; s < L; s++) {
    ys.push(...(await diagSsmStep(state, t(col(inputs.z, L, s), [B, H]), A, W, D).toArray()));
    yks.push(...(await shiftSsmStep(stateK, t(col(inputs.k, L, s), [B, H]), kernel, D).toArray()));
  }
  return { ys, yks, state: Array.from(await state.toArray()), stateK: Array.from(await stateK.toArray()) };
}

describe.skipIf(!ctx)('SSM generation ops: webgpu vs the float64 reference backend', () => {
  it(`prefill ${L0} tokens, then ${L - L0} steps (B=${B}, H=${H}, N2=${N2}, N=${N})`, async () => {
    const rng = new Rng(seed);
    const A = new Float32Array(H * N2 * 2);
    for (let i = 0; i < H * N2; i++) {
      const [r, th] = [0.9 + 0.0999 * rng.uniform(), Math.PI * rng.uniform()];
      [A[2 * i], A[2 * i + 1]] = [r * Math.cos(th), r * Math.sin(th)];
    }
    const inputs = {
      A,
      W: rng.fillNormal(new Float32Array(H * N2 * 2), 0, 0.05),
      D: rng.fillNormal(new Float32Array(H)),
      kernel: rng.fillNormal(new Float32Array(H * N), 0, 0.125),
      z: rng.fillNormal(new Float32Array(B * H * L)),
      k: rng.fillNormal(new Float32Array(B * H * L)),
    };
    const ref = await run(referenceBackend(), inputs);
    const got = await run(new WebGpuBackend(ctx!), inputs);
    expectClose(got.ys, ref.ys, DIAG_TOL, 'diagSsmStep outputs', seed, DIAG_TOL);
    expectClose(got.state, ref.state, DIAG_TOL, 'diagonal state after the steps', seed);
    expectClose(got.yks, ref.yks, SHIFT_TOL, 'shiftSsmStep outputs', seed, SHIFT_TOL);
    expect(got.stateK).toEqual(ref.stateK.map(Math.fround));
  });
});
