import { describe, expect, it } from 'vitest';
import { ShapeError } from '../../errors.js';
import { expectClose, testSeed } from '../../testing/index.js';
import { Rng } from '../../util/rng.js';
import { expectSameBits, inWasm, normal, testRuntimes } from '../../wasm/test-helpers.js';
import { shiftKernelBackwardRef, shiftKernelLength, shiftKernelRef, type ShiftKernelParams } from './shift-kernel.ref.js';
import { shiftKernelBackwardWasm, shiftKernelWasm } from './shift-kernel.wasm.js';
import { shiftTestParams } from './test-params.js';

const seed = testSeed();
const { rt1, rt2 } = testRuntimes();

// (H, N, L): one tap; odd N (the kernels' single-output tails for dB, dC) and odd Lk; L < N (Lk = L: the
// truncated kernel, where dB's ranges end at Lk rather than N − i); H3's N = 64 at H past a 16-channel chunk
const CASES: [number, number, number][] = [
  [1, 1, 1],
  [3, 7, 100],
  [2, 8, 3],
  [3, 13, 12],
  [2, 64, 5],
  [37, 64, 1024],
];

/**
 * The kernels compute the reference's float64 sums and round each once to f32: relative L2 ≤ 2⁻²⁴ against the
 * float64 results (each element within 2⁻²⁴ relative), and the same bits as the reference on f32 arrays.
 */
const TOL = 2 ** -24;

describe('shiftKernelWasm / shiftKernelBackwardWasm vs shiftKernelRef / shiftKernelBackwardRef', () => {
  it('equal the reference bit for bit on f32 inputs and are within one f32 rounding of the float64 results; 1 and 2 threads agree', () => {
    expect.hasAssertions();
    const rng = new Rng(seed);
    for (const [H, N, L] of CASES) {
      const p: ShiftKernelParams = { channels: H, state: N, length: L };
      const Lk = shiftKernelLength(p);
      const q = shiftTestParams(rng, H, N, 0.3);
      const [B, C] = [Float32Array.from(q.B), Float32Array.from(q.C)];
      const dk = normal(rng, H * Lk);
      const [B64, C64, dk64] = [B, C, dk].map((a) => Float64Array.from(a));
      const ref64 = { k: new Float64Array(H * Lk), dB: new Float64Array(H * N), dC: new Float64Array(H * N) };
      shiftKernelRef(ref64.k, B64, C64, p);
      shiftKernelBackwardRef(ref64.dB, ref64.dC, dk64, B64, C64, p);
      const ref32 = { k: new Float32Array(H * Lk), dB: new Float32Array(H * N), dC: new Float32Array(H * N) };
      shiftKernelRef(ref32.k, B, C, p);
      shiftKernelBackwardRef(ref32.dB, ref32.dC, dk, B, C, p);
      const runs = [rt1, rt2].map((rt) => {
        const [b, c, g] = [B, C, dk].map((a) => inWasm(rt, a));
        // stale contents must not leak into the outputs
        const out = { k: rt.allocF32(H * Lk).fill(NaN), dB: rt.allocF32(H * N).fill(NaN), dC: rt.allocF32(H * N).fill(NaN) };
        shiftKernelWasm(rt, out.k, b, c, p);
        shiftKernelBackwardWasm(rt, out.dB, out.dC, g, b, c, p);
        return out;
      });
      const label = `(H, N, L) = (${H}, ${N}, ${L})`;
      for (const key of ['k', 'dB', 'dC'] as const) {
        expectClose(runs[0][key], ref64[key], TOL, `${label} ${key} vs float64`, seed);
        expectSameBits(runs[0][key], ref32[key], `${label} ${key} vs the reference on f32`, seed);
        expectSameBits(runs[1][key], runs[0][key], `${label} ${key} 2 threads vs 1`, seed);
      }
    }
  });

  it('rejects bad sizes, short arrays and arrays outside the runtime, naming the function and parameter', () => {
    const p: ShiftKernelParams = { channels: 2, state: 4, length: 3 };
    const [k, B, C] = [6, 8, 8].map((n) => rt1.allocF32(n));
    expect(() => shiftKernelWasm(rt1, k, B, C, { ...p, state: 0 })).toThrow(ShapeError);
    expect(() => shiftKernelWasm(rt1, rt1.allocF32(5), B, C, p)).toThrow(/shiftKernelWasm: k must have shape at least 6 elements/);
    expect(() => shiftKernelBackwardWasm(rt1, B, C, k, new Float32Array(8), C, p)).toThrow(/shiftKernelBackwardWasm: B is not in this WasmRuntime/);
  });
});
