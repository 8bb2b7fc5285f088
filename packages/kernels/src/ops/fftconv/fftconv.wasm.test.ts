import { describe, expect, it } from 'vitest';
import { ShapeError } from '../../errors.js';
import { expectClose, runUntilWorkerHelps, testSeed } from '../../testing/index.js';
import { Rng } from '../../util/rng.js';
import { expectSameBits, inWasm, testRuntimes } from '../../wasm/test-helpers.js';
import { fftConvBackwardRef, fftConvForwardRef } from './fftconv.ref.js';
import { fftConvBackwardWasm, fftConvForwardWasm } from './fftconv.wasm.js';
import { randomConvInputs } from './oracle-check.js';
import { fftLength, type FftConvParams } from './plan.js';

const seed = testSeed();
const { rt1, rt2 } = testRuntimes();

// (B, H, L, Lk): L = 1 (N = 4, a lone radix-2 pass), one tap, H not a multiple of 4 (part-empty lane groups),
// prime L with the 64 taps of the shift SSM, odd Lk, powers of two, prime L past the 1024-point block (the
// recursive transforms, odd log2 M), an even log2 M past the block, and a long row (N = 65536)
const SHAPES: [number, number, number, number][] = [
  [1, 1, 1, 1],
  [2, 3, 7, 1],
  [2, 5, 7, 7],
  [3, 6, 101, 64],
  [1, 2, 129, 100],
  [2, 4, 256, 256],
  [2, 9, 1031, 1031],
  [1, 4, 3001, 3000],
  [1, 3, 20000, 20000],
];

/**
 * Relative L2 bound for float32 FFTs of length N against the float64 reference: each of the three transforms
 * (forward of the row, of the kernel, inverse) adds at most ~ε = 2^-24 relative per stage over log2 N stages
 * (the rms error grows like √log2 N, so this is loose by that factor), the pair passes and the product a few
 * ε more, and dk adds B spectra in float32 (≤ B·ε).
 */
const tolerance = (p: FftConvParams) => 2 ** -24 * (3 * Math.log2(fftLength(p.length, p.kernelLength)) + 8 + p.batch);

describe('fftConvWasm vs fftConvForwardRef / fftConvBackwardRef (float64), 1 and 2 threads', () => {
  it('forward and backward on awkward and large shapes; bit-identical for 1 and 2 threads', () => {
    const rng = new Rng(seed);
    for (const [B, H, L, Lk] of SHAPES) {
      const p: FftConvParams = { batch: B, channels: H, length: L, kernelLength: Lk };
      const x = randomConvInputs(rng, p);
      const x64 = [x.u, x.k, x.D, x.dy].map((a) => Float64Array.from(a));
      const ref = { y: new Float64Array(B * H * L), du: new Float64Array(B * H * L), dk: new Float64Array(H * Lk), dD: new Float64Array(H) };
      fftConvForwardRef(ref.y, x64[0], x64[1], x64[2], p);
      fftConvBackwardRef(ref.du, ref.dk, ref.dD, x64[3], x64[0], x64[1], x64[2], p);
      const runs = [rt1, rt2].map((rt) => {
        const [u, k, D, dy] = [x.u, x.k, x.D, x.dy].map((a) => inWasm(rt, a as Float32Array));
        const out = { y: rt.allocF32(B * H * L), du: rt.allocF32(B * H * L), dk: rt.allocF32(H * Lk), dD: rt.allocF32(H) };
        // stale contents must not leak into the outputs
        Object.values(out).forEach((o) => o.fill(NaN));
        fftConvForwardWasm(rt, out.y, u, k, D, p);
        fftConvBackwardWasm(rt, out.du, out.dk, out.dD, dy, u, k, D, p);
        return out;
      });
      const label = `(B, H, L, Lk) = (${B}, ${H}, ${L}, ${Lk})`;
      const tol = tolerance(p);
      for (const key of ['y', 'du', 'dk', 'dD'] as const) {
        // dk and dD entries sum up to B·L unit-normal products: their rounding error scales with √(B·L) even where
        // the sum cancels towards 0 (relative L2 alone failed for 7 of 2000 seeds at H = 2)
        const atol = key === 'dk' || key === 'dD' ? tol * Math.sqrt(B * L) : 0;
        expectClose(runs[0][key], ref[key], tol, `${label} ${key}`, seed, atol);
        expectSameBits(runs[1][key], runs[0][key], `${label} ${key} 2 threads vs 1`, seed);
      }
    }
  });

  it('a large call is split into chunks that the worker thread takes part in', () => {
    const p: FftConvParams = { batch: 2, channels: 9, length: 1031, kernelLength: 1031 };
    const x = randomConvInputs(new Rng(seed + 2), p);
    const [u, k, D] = [x.u, x.k, x.D].map((a) => inWasm(rt2, a as Float32Array));
    const y = rt2.allocF32(u.length);
    expect(runUntilWorkerHelps(rt2, () => fftConvForwardWasm(rt2, y, u, k, D, p))).toBeGreaterThan(0);
  });

  it('the kernel spectrum is shared by the batch: each batch item equals its own B = 1 convolution', () => {
    const p: FftConvParams = { batch: 3, channels: 5, length: 300, kernelLength: 64 };
    const x = randomConvInputs(new Rng(seed + 1), p);
    const [u, k, D] = [x.u, x.k, x.D].map((a) => inWasm(rt2, a as Float32Array));
    const y = rt2.allocF32(u.length);
    fftConvForwardWasm(rt2, y, u, k, D, p);
    const row = p.channels * p.length;
    for (let b = 0; b < p.batch; b++) {
      const one = rt2.allocF32(row);
      fftConvForwardWasm(rt2, one, inWasm(rt2, u.slice(b * row, (b + 1) * row)), k, D, { ...p, batch: 1 });
      expectSameBits(y.subarray(b * row, (b + 1) * row), one, `batch item ${b}`, seed);
    }
  });

  it('rejects bad shapes and buffers outside the runtime, naming the function and parameter', () => {
    const p: FftConvParams = { batch: 1, channels: 2, length: 8, kernelLength: 8 };
    const [u, k, D, y] = [16, 16, 2, 16].map((n) => rt1.allocF32(n));
    expect(() => fftConvForwardWasm(rt1, y, u, k, D, { ...p, kernelLength: 9 })).toThrow(ShapeError);
    expect(() => fftConvForwardWasm(rt1, y, u, rt1.allocF32(15), D, p)).toThrow(/fftConvForwardWasm: .*k/);
    expect(() => fftConvForwardWasm(rt1, y, new Float32Array(16), k, D, p)).toThrow(/fftConvForwardWasm: u is not in this WasmRuntime/);
    // FFT lengths past 2^24 would overflow the kernels' 32-bit offsets: refused before any allocation
    const long = { batch: 1, channels: 1, length: 2 ** 23 + 2, kernelLength: 2 ** 23 };
    expect(() => fftConvBackwardWasm(rt1, y, k, D, y, u, k, D, long)).toThrow(/fftConvBackwardWasm: length must have shape L \+ Lk − 1 ≤ 16777216/);
  });
});
