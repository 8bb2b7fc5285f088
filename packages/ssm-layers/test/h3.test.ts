import { Rng } from '@hippo/kernels';
import { expectClose, testSeed } from '@hippo/kernels/testing';
import { Tensor, cpuBackend, expand, referenceBackend, reshape, slice } from '@hippo/tensor';
import { s4dDiscretizeRef } from '@hippo/kernels';
import { describe, expect, it } from 'vitest';
import { H3, S4DKernel, ShiftKernel, ssmParamGroups } from '../src/index.js';
import { h3Naive } from './h3-naive.js';
import { MIXER_CASES, randomInput, stepThrough } from './mixers.js';

const seed = testSeed();

describe('H3 parameters: names, shapes and initialisation as the official checkpoints', () => {
  it('has exactly the state-dict keys and shapes of §6.4 (d = 768, N = 64, head_dim 1)', () => {
    const h3 = new H3({ backend: referenceBackend(), rng: new Rng(seed), dModel: 768 });
    const got = [...h3.stateDict()].map(([k, t]) => `${k} [${t.shape}]`).sort();
    const want = [
      ...['q_proj', 'k_proj', 'v_proj', 'output_linear'].flatMap((p) => [`${p}.weight [768,768]`, `${p}.bias [768]`]),
      'ssm_k_kernel.kernel.B [768,64]',
      'ssm_k_kernel.kernel.C [1,768,64]',
      'ssm_k_D [768]',
      'kernel.kernel.log_dt [768]',
      'kernel.kernel.C [1,768,32,2]',
      'kernel.kernel.B [768,32,2]',
      'kernel.kernel.inv_A_real [768,32]',
      'kernel.kernel.A_imag [768,32]',
      'D [768]',
    ].sort();
    expect(got).toEqual(want);
    // 4(d² + d) projections; shift B, C: 2dN; ssm_k_D, log Δ, D: 3d; A (re, im), B, C of N/2 complex modes: 3dN
    expect(h3.numParameters()).toBe(4 * (768 * 768 + 768) + 2 * 768 * 64 + 3 * 768 + 3 * 768 * 64);
  });

  it('initialises S4D-Lin / S4D-Inv, Δ, B, C and the shift SSM as the official code', async () => {
    const be = referenceBackend();
    const lin = new S4DKernel({ backend: be, rng: new Rng(seed), channels: 64, stateSize: 64 });
    const inv = new S4DKernel({ backend: be, rng: new Rng(seed), channels: 5, stateSize: 64, init: 'inv' });
    const aLin = (await lin.A_imag.toArray()) as Float32Array;
    const aInv = (await inv.A_imag.toArray()) as Float32Array;
    for (let n = 0; n < 32; n++) {
      expect(aLin[32 + n]).toBeCloseTo(Math.PI * n, 4);
      expect(aInv[32 + n]).toBeCloseTo((64 / Math.PI) * (64 / (2 * n + 1) - 1), 3);
    }
    for (const v of (await lin.inv_A_real.toArray()) as Float32Array) expect(v).toBeCloseTo(Math.log(0.5), 6);
    // f32 rounding is monotonic, so a value drawn in [log 0.001, log 0.1] lands in the rounded interval
    const [lo, hi] = [Math.fround(Math.log(0.001)), Math.fround(Math.log(0.1))];
    for (const v of (await lin.log_dt.toArray()) as Float32Array) expect(v >= lo && v <= hi).toBe(true);
    expect([...((await lin.B.toArray()) as Float32Array).slice(0, 4)]).toEqual([1, 0, 1, 0]);
    const c = (await lin.C.toArray()) as Float32Array;
    const variance = c.reduce((s, x) => s + x * x, 0) / c.length;
    // each part has variance 1/2; the mean of 4096 squares has σ = √(1/2 / 4096) ≈ 0.011, so ±0.06 is ±5σ
    expect(variance).toBeGreaterThan(0.44);
    expect(variance).toBeLessThan(0.56);
    const shift = new ShiftKernel({ backend: be, rng: new Rng(seed), channels: 3, stateSize: 64 });
    const B = (await shift.B.toArray()) as Float32Array;
    expect(B[0]).toBe(1);
    expect(B.slice(1, 64).every((x) => x === 0)).toBe(true);
    for (const x of (await shift.C.toArray()) as Float32Array) expect(Math.abs(x)).toBeLessThanOrEqual(0.125);
  });

  it('discretize() equals the float64 reference discretisation', async () => {
    const k = new S4DKernel({ backend: referenceBackend(), rng: new Rng(seed), channels: 3, stateSize: 8, dtype: 'f64' });
    const { A, W } = k.discretize();
    const arr = async (t: Tensor) => (await t.toArray()) as Float64Array;
    const ref = s4dDiscretizeRef(await arr(k.log_dt), await arr(k.inv_A_real), await arr(k.A_imag), await arr(k.B), await arr(k.C), 3, 4);
    expectClose(await arr(A), ref.A, 1e-13, 'Ā', seed);
    expectClose(await arr(W), ref.W, 1e-13, 'C·B̄', seed);
  });

  it('SSM parameters form their own AdamW group: lr min(1e-3, base), no weight decay', () => {
    const h3 = new H3({ backend: referenceBackend(), rng: new Rng(seed), dModel: 8, stateSize: 8 });
    const [rest, ssm] = ssmParamGroups(h3, [h3], 6e-4, 0.1);
    expect(ssm.lr).toBe(6e-4);
    expect(ssmParamGroups(h3, [h3], 5e-3, 0.1)[1].lr).toBe(1e-3);
    expect(ssm.weightDecay).toBe(0);
    expect(rest.weightDecay).toBe(0.1);
    const names = new Map(h3.namedParameters().map(([n, t]) => [t, n]));
    expect(ssm.params.map((t) => names.get(t)).sort()).toEqual(
      ['kernel.kernel.log_dt', 'kernel.kernel.inv_A_real', 'kernel.kernel.A_imag', 'kernel.kernel.B', 'ssm_k_kernel.kernel.B'].sort(),
    );
    expect(rest.params.length + ssm.params.length).toBe(h3.parameters().length);
  });
});

describe('H3 forward equals the paper definition written with loops (float64)', () => {
  for (const m of [1, 2, 4]) {
    it(`head_dim ${m} (output channel h·m + j)`, async () => {
      const be = referenceBackend();
      const [B, L, d, N] = [2, 11, 8, 6];
      const h3 = new H3({ backend: be, rng: new Rng(seed), dModel: d, stateSize: N, headDim: m, dtype: 'f64' });
      const x = randomInput(be, new Rng(seed + 1), [B, L, d], 'f64');
      const got = (await h3.forward(x).toArray()) as Float64Array;
      const params = new Map<string, Float64Array>();
      for (const [k, t] of h3.namedParameters()) params.set(k, (await t.toArray()) as Float64Array);
      const want = h3Naive({ d, m, N, get: (n) => params.get(n)! }, (await x.toArray()) as Float64Array, B, L);
      // float64 FFT convolutions vs direct sums: rounding ~1e-15 per term
      expectClose(got, want, 1e-11, `H3 m=${m}`, seed);
    });
  }
});

describe('two forms, one result: step over the tokens equals forward (float32, cpu)', () => {
  for (const c of MIXER_CASES) {
    it(c.name, async () => {
      const be = cpuBackend();
      const mixer = c.make(be, seed);
      mixer.eval();
      const x = randomInput(be, new Rng(seed + 2), [2, 24, 8]);
      const fullT = mixer.forward(x);
      const full = await fullT.toArray();
      const state = mixer.defaultState(2);
      const stepped = await stepThrough(mixer, x, state).toArray();
      state.dispose();
      // f32 FFT convolution vs an f32 recurrence of 24 steps: each ~1e-7·log2(64) relative, well under 1e-5
      expectClose(stepped, full, 1e-5, `${c.name} step vs forward`, seed);
      // prefill over the first 10 tokens, then step the other 14
      const head = mixer.prefill(slice(x, 1, 0, 10));
      expectClose(await head.y.toArray(), await slice(fullT, 1, 0, 10).toArray(), 1e-6, `${c.name} prefill output`, seed);
      // a copy of the state with each row repeated (row b → rows 2b, 2b + 1) continues both copies alike
      const twice = head.state.repeat(2);
      const tail = await stepThrough(mixer, x, head.state, 10).toArray();
      head.state.dispose();
      const want = await slice(fullT, 1, 10, 24).toArray();
      expectClose(tail, want, 1e-5, `${c.name} prefill + step vs forward`, seed);
      const x2 = reshape(expand(reshape(x, [2, 1, 24, 8]), [2, 2, 24, 8]), [4, 24, 8]);
      const tail2 = (await stepThrough(mixer, x2, twice, 10).toArray()) as Float32Array;
      twice.dispose();
      const rows = 14 * 8;
      for (const [r, b] of [[0, 0], [1, 0], [2, 1], [3, 1]]) expectClose(tail2.subarray(r * rows, (r + 1) * rows), (want as Float32Array).subarray(b * rows, (b + 1) * rows), 1e-5, `${c.name} repeated row ${r}`, seed);
    });
  }
});
