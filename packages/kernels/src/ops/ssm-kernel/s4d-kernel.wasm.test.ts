import { describe, expect, it } from 'vitest';
import { ShapeError } from '../../errors.js';
import { expectClose, runUntilWorkerHelps, testSeed } from '../../testing/index.js';
import { Rng } from '../../util/rng.js';
import { expectSameBits, inWasm, normal, testRuntimes } from '../../wasm/test-helpers.js';
import { s4dKernelBackwardRef, s4dKernelRef, type S4dKernelParams } from './s4d-kernel.ref.js';
import { S4D_WASM_MAX_MODES, s4dKernelBackwardWasm, s4dKernelWasm } from './s4d-kernel.wasm.js';
import { s4dTestParams, type S4dInit } from './test-params.js';

const seed = testSeed();
const { rt1, rt2 } = testRuntimes();

// (H, N2, L, init): one of everything; odd H (a half-empty channel pair), N2 not a multiple of 4 or 2 (the
// kernels' single-mode tails), L = 1 (no running power), L across several 256-tap blocks and not a multiple of
// one, H3's N2 = 32, and L = 8192 where a float32 running power would have drifted by ~5e−4
const CASES: [number, number, number, S4dInit][] = [
  [1, 1, 1, 'lin'],
  [3, 3, 7, 'inv'],
  [5, 7, 300, 'lin'],
  [2, 32, 1031, 'inv'],
  [4, 5, 257, 'inv'],
  [3, 32, 8192, 'lin'],
];

/** The reference's argument names, in its order after the outputs. */
const INPUTS = ['logDt', 'invAReal', 'AImag', 'B', 'C'] as const;

/**
 * Tolerance against the float64 reference: the kernel computes the reference's float64 values, rounded once to
 * f32, so each element is within 2⁻²⁴ relative of the float64 result and the relative L2 error is ≤ 2⁻²⁴.
 * (The bit-for-bit comparison with the reference on the same f32 inputs below is the stronger statement.)
 */
const TOL = 2 ** -24;

describe('s4dKernelWasm / s4dKernelBackwardWasm vs s4dKernelRef / s4dKernelBackwardRef', () => {
  it('equal the reference bit for bit on f32 inputs and are within one f32 rounding of the float64 results; 1 and 2 threads agree', () => {
    expect.hasAssertions();
    const rng = new Rng(seed);
    for (const [H, N2, L, init] of CASES) {
      const p: S4dKernelParams = { channels: H, modes: N2, length: L };
      const q = s4dTestParams(rng, H, N2, init, 0.3);
      const x = INPUTS.map((k) => Float32Array.from(q[k]));
      const dK = normal(rng, H * L);
      const label = `(H, N2, L) = (${H}, ${N2}, ${L}) ${init}`;
      // the references on the same f32 values: float64 outputs (the maths) and f32 outputs (rounded once)
      const x64 = x.map((a) => Float64Array.from(a));
      const grads = (f: (n: number) => Float32Array | Float64Array) => [f(H), f(H * N2), f(H * N2), f(2 * H * N2), f(2 * H * N2)];
      const ref64 = { K: new Float64Array(H * L), g: grads((n) => new Float64Array(n)) };
      s4dKernelRef(ref64.K, x64[0], x64[1], x64[2], x64[3], x64[4], p);
      s4dKernelBackwardRef(ref64.g[0], ref64.g[1], ref64.g[2], ref64.g[3], ref64.g[4], Float64Array.from(dK), x64[0], x64[1], x64[2], x64[3], x64[4], p);
      const ref32 = { K: new Float32Array(H * L), g: grads((n) => new Float32Array(n)) };
      s4dKernelRef(ref32.K, x[0], x[1], x[2], x[3], x[4], p);
      s4dKernelBackwardRef(ref32.g[0], ref32.g[1], ref32.g[2], ref32.g[3], ref32.g[4], dK, x[0], x[1], x[2], x[3], x[4], p);
      const runs = [rt1, rt2].map((rt) => {
        const [lg, ar, ai, b, c] = x.map((a) => inWasm(rt, a));
        const K = rt.allocF32(H * L).fill(NaN); // stale contents must not leak into the outputs
        const g = grads((n) => rt.allocF32(n).fill(NaN)) as Float32Array[];
        s4dKernelWasm(rt, K, lg, ar, ai, b, c, p);
        s4dKernelBackwardWasm(rt, g[0], g[1], g[2], g[3], g[4], inWasm(rt, dK), lg, ar, ai, b, c, p);
        return { K, g };
      });
      expectClose(runs[0].K, ref64.K, TOL, `${label} K vs float64`, seed);
      expectSameBits(runs[0].K, ref32.K, `${label} K vs s4dKernelRef on f32`, seed);
      expectSameBits(runs[1].K, runs[0].K, `${label} K 2 threads vs 1`, seed);
      ['dLogDt', 'dInvAReal', 'dAImag', 'dB', 'dC'].forEach((name, i) => {
        expectClose(runs[0].g[i], ref64.g[i], TOL, `${label} ${name} vs float64`, seed);
        expectSameBits(runs[0].g[i], ref32.g[i] as Float32Array, `${label} ${name} vs s4dKernelBackwardRef on f32`, seed);
        expectSameBits(runs[1].g[i], runs[0].g[i], `${label} ${name} 2 threads vs 1`, seed);
      });
    }
  });

  it('splits a large call into channel-pair chunks that the worker thread takes part in', () => {
    const p: S4dKernelParams = { channels: 64, modes: 32, length: 1024 };
    const q = s4dTestParams(new Rng(seed + 1), p.channels, p.modes, 'inv');
    const [lg, ar, ai, b, c] = INPUTS.map((k) => inWasm(rt2, Float32Array.from(q[k])));
    const K = rt2.allocF32(p.channels * p.length);
    expect(runUntilWorkerHelps(rt2, () => s4dKernelWasm(rt2, K, lg, ar, ai, b, c, p))).toBeGreaterThan(0);
  });

  it('rejects bad sizes, short arrays and arrays outside the runtime, naming the function and parameter', () => {
    const p: S4dKernelParams = { channels: 2, modes: 3, length: 5 };
    const [lg, ar, ai, b, c, K] = [2, 6, 6, 12, 12, 10].map((n) => rt1.allocF32(n));
    expect(() => s4dKernelWasm(rt1, K, lg, ar, ai, b, c, { ...p, length: 0 })).toThrow(ShapeError);
    expect(() => s4dKernelWasm(rt1, K, lg, ar, ai, b, rt1.allocF32(11), p)).toThrow(/s4dKernelWasm: C must have shape at least 12 elements/);
    expect(() => s4dKernelWasm(rt1, K, new Float32Array(2), ar, ai, b, c, p)).toThrow(/s4dKernelWasm: logDt is not in this WasmRuntime/);
    const many = S4D_WASM_MAX_MODES + 1;
    expect(() => s4dKernelBackwardWasm(rt1, lg, ar, ai, b, c, K, lg, ar, ai, b, c, { ...p, modes: many })).toThrow(
      new RegExp(`s4dKernelBackwardWasm: modes must have shape at most ${S4D_WASM_MAX_MODES}`),
    );
  });
});
