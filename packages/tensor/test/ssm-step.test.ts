// The generation-only SSM ops on the cpu backends: prefill on a prompt then one step per token reproduces
// the parallel form (fftConv with the SSM's kernel) exactly in float64; the float32 WebAssembly backend
// runs the kernels' references bit for bit; misuse gets errors naming the argument.
import {
  Rng,
  WasmRuntime,
  diagSsmStateRef,
  diagSsmStepRef,
  shiftSsmStateRef,
  shiftSsmStepRef,
  ssmKernelRef,
} from '@hippo/kernels';
import { expectClose, testSeed } from '@hippo/kernels/testing';
import { afterAll, describe, expect, it } from 'vitest';
import {
  Tensor,
  WasmBackend,
  diagSsmState,
  diagSsmStep,
  fftConv,
  noGrad,
  referenceBackend,
  shiftSsmState,
  shiftSsmStep,
  type Backend,
} from '../src/index.js';

const seed = testSeed();
const rt = WasmRuntime.create({ threads: 1 });
const wasm = new WasmBackend(rt);
afterAll(() => rt.dispose());

/** A diagonal SSM with |Ā| in [0.9, 0.9999] (a bilinear-discretised S4D's range), float64. */
function randomSsm(rng: Rng, H: number, N2: number) {
  const A = new Float64Array(H * N2 * 2);
  for (let i = 0; i < H * N2; i++) {
    const [r, th] = [0.9 + 0.0999 * rng.uniform(), Math.PI * rng.uniform()];
    [A[2 * i], A[2 * i + 1]] = [r * Math.cos(th), r * Math.sin(th)];
  }
  return { A, W: rng.fillNormal(new Float64Array(H * N2 * 2), 0, 0.05), D: rng.fillNormal(new Float64Array(H)) };
}

/** Columns t0..t1−1 of x [R, L] as [R, t1 − t0]. */
function cols(x: Float64Array, R: number, L: number, t0: number, t1: number): Float64Array {
  const out = new Float64Array(R * (t1 - t0));
  for (let r = 0; r < R; r++) out.set(x.subarray(r * L + t0, r * L + t1), r * (t1 - t0));
  return out;
}

describe('prefill + steps = the parallel form (reference backend, float64)', () => {
  const cpu = referenceBackend();
  const t = (data: Float64Array, shape: number[]) => Tensor.fromArray(cpu, data, shape);

  it('diagonal SSM: diagSsmState on the prompt, diagSsmStep per token, equals fftConv with K = 2·Re Σ W Ā^l', async () => {
    const rng = new Rng(seed);
    const [B, H, N2, L, L0] = [3, 5, 32, 40, 25];
    const ssm = randomSsm(rng, H, N2);
    const z = rng.fillNormal(new Float64Array(B * H * L));
    const K = ssmKernelRef({ channels: H, modes: N2, ...ssm }, L);
    const yConv = (await fftConv(t(z, [B, H, L]), t(K, [H, L]), t(ssm.D, [H])).toArray()) as Float64Array;
    const [A, W, D] = [t(ssm.A, [H, N2, 2]), t(ssm.W, [H, N2, 2]), t(ssm.D, [H])];
    const state = diagSsmState(t(cols(z, B * H, L, 0, L0), [B, H, L0]), A);
    expect(state.shape).toEqual([B, H, N2, 2]);
    for (let s = L0; s < L; s++) {
      const y = diagSsmStep(state, t(cols(z, B * H, L, s, s + 1), [B, H]), A, W, D);
      expect(y.shape).toEqual([B, H]);
      // float64 recurrence vs float64 FFT convolution: ~ε·log₂N relative
      expectClose((await y.toArray()) as Float64Array, cols(yConv, B * H, L, s, s + 1), 1e-10, `y at t=${s}`, seed);
    }
  });

  it('shift SSM: shiftSsmState on the prompt, shiftSsmStep per token, equals the causal FIR filter (fftConv with the kernel)', async () => {
    const rng = new Rng(seed);
    const [B, d, N, L, L0] = [2, 7, 64, 90, 30]; // prompt shorter than N, then the history wraps past N
    const k = rng.fillNormal(new Float64Array(B * d * L));
    const kernel = rng.fillNormal(new Float64Array(d * N), 0, 0.125);
    const D = rng.fillNormal(new Float64Array(d));
    const yConv = (await fftConv(t(k, [B, d, L]), t(kernel, [d, N]), t(D, [d])).toArray()) as Float64Array;
    const state = shiftSsmState(t(cols(k, B * d, L, 0, L0), [B, d, L0]), N);
    expect(state.shape).toEqual([B, d, N]);
    for (let s = L0; s < L; s++) {
      const y = shiftSsmStep(state, t(cols(k, B * d, L, s, s + 1), [B, d]), t(kernel, [d, N]), t(D, [d]));
      expectClose((await y.toArray()) as Float64Array, cols(yConv, B * d, L, s, s + 1), 1e-10, `y at t=${s}`, seed);
    }
  });
});

describe('float32 on the WebAssembly cpu backend and the reference backend', () => {
  for (const backend of [wasm, referenceBackend()] as Backend[]) {
    it(`${backend.describe()}: the ops return exactly what the kernel references compute`, async () => {
      const rng = new Rng(seed);
      const [B, H, N2, L, N] = [3, 5, 3, 7, 4];
      const ssm = randomSsm(rng, H, N2);
      const [A32, W32, D32] = [Float32Array.from(ssm.A), Float32Array.from(ssm.W), Float32Array.from(ssm.D)];
      const z = rng.fillNormal(new Float32Array(B * H * L));
      const zt = rng.fillNormal(new Float32Array(B * H));
      const kernel = rng.fillNormal(new Float32Array(H * N));
      const t = (data: Float32Array, shape: number[]) => Tensor.fromArray(backend, data, shape);

      const state = diagSsmState(t(z, [B, H, L]), t(A32, [H, N2, 2]));
      const refState = new Float32Array(B * H * N2 * 2);
      diagSsmStateRef(refState, z, A32, { batch: B, channels: H, modes: N2, length: L });
      expect(await state.toArray()).toEqual(refState);
      const y = diagSsmStep(state, t(zt, [B, H]), t(A32, [H, N2, 2]), t(W32, [H, N2, 2]), t(D32, [H]));
      const refY = new Float32Array(B * H);
      diagSsmStepRef(refY, refState, zt, A32, W32, D32, { batch: B, channels: H, modes: N2 });
      expect(await y.toArray()).toEqual(refY);
      expect(await state.toArray(), 'the step updated the state tensor in place').toEqual(refState);

      const sState = shiftSsmState(t(z, [B, H, L]), N);
      const refS = new Float32Array(B * H * N);
      shiftSsmStateRef(refS, z, { batch: B, channels: H, stateSize: N, length: L });
      expect(await sState.toArray()).toEqual(refS);
      const sy = shiftSsmStep(sState, t(zt, [B, H]), t(kernel, [H, N]), t(D32, [H]));
      const refSy = new Float32Array(B * H);
      shiftSsmStepRef(refSy, refS, zt, kernel, D32, { batch: B, channels: H, stateSize: N });
      expect(await sy.toArray()).toEqual(refSy);
      expect(await sState.toArray(), 'the step updated the state tensor in place').toEqual(refS);
    });
  }
});

describe('misuse', () => {
  const cpu = referenceBackend();
  const zeros = (shape: number[], requiresGrad = false) => Tensor.zeros(cpu, shape, 'f32', { requiresGrad });

  it('refuses inputs that require grad while gradients are recorded, and accepts them under noGrad', () => {
    const A = zeros([4, 2, 2], true);
    expect(() => diagSsmState(zeros([1, 4, 3]), A)).toThrow(/diagSsmState: A requires grad, but diagSsmState is for generation only/);
    expect(() => shiftSsmStep(zeros([1, 4, 3]), zeros([1, 4]), zeros([4, 3], true), zeros([4]))).toThrow(/shiftSsmStep: kernel requires grad/);
    const state = noGrad(() => diagSsmState(zeros([1, 4, 3]), A));
    expect(state.requiresGrad).toBe(false);
  });

  it('names the argument, the expected and the actual shape', () => {
    const [A, W, D] = [zeros([4, 2, 2]), zeros([4, 2, 2]), zeros([4])];
    expect(() => diagSsmState(zeros([1, 5, 3]), A)).toThrow(/diagSsmState: z must have shape \[B, 4, L\] \(A is \[4,2,2\]\); got \[1,5,3\]/);
    expect(() => diagSsmState(zeros([1, 4, 3]), zeros([4, 2]))).toThrow(/A must have shape \[H, N2, 2\]/);
    expect(() => diagSsmStep(zeros([2, 4, 2, 2]), zeros([1, 4]), A, W, D)).toThrow(/diagSsmStep: z must have shape \[2, 4\] \(state is \[2,4,2,2\]\); got \[1, 4\]/);
    expect(() => diagSsmStep(zeros([2, 4, 3, 2]), zeros([2, 4]), A, W, D)).toThrow(/state must have shape \[B, 4, 2, 2\]/);
    expect(() => diagSsmStep(zeros([2, 4, 2, 2]), zeros([2, 4]), A, zeros([4, 2]), D)).toThrow(/W must have shape \[4, 2, 2\]/);
    expect(() => shiftSsmState(zeros([1, 4]), 3)).toThrow(/shiftSsmState: k must have shape \[B, d, L\]; got \[1,4\]/);
    expect(() => shiftSsmState(zeros([1, 4, 2]), 0)).toThrow(/N must have shape a positive integer/);
    expect(() => shiftSsmStep(zeros([1, 4, 3]), zeros([1, 4]), zeros([4, 2]), zeros([4]))).toThrow(/kernel must have shape \[4, 3\]/);
    expect(() => shiftSsmStep(zeros([1, 4, 3]), zeros([1, 4]), zeros([4, 3]), zeros([3]))).toThrow(/D must have shape \[4\]/);
  });

  it('refuses mixed dtypes', () => {
    const A64 = Tensor.zeros(cpu, [4, 2, 2], 'f64');
    expect(() => diagSsmState(zeros([1, 4, 3]), A64)).toThrow(/diagSsmState: A must be f32 like z; got f64/);
  });
});
