import { describe, expect, it } from 'vitest';
import { ShapeError } from '../../errors.js';
import { gpuForTests, readF32, relL2, testSeed, upload } from '../../testing/index.js';
import { Rng } from '../../util/rng.js';
import { fftConvForwardRef } from './fftconv.ref.js';
import { randomDiagSsm } from './oracle-check.js';
import { ssmKernelRef } from './state-passing.ref.js';
import { defaultChunk, prepareStatePassing, ssmConvStatePassing } from './state-passing.js';

const ctx = await gpuForTests();
const seed = testSeed();

/** GPU state passing vs the full convolution (float64 FFT path with the kernel materialised to length L). */
async function errors(B: number, H: number, m: number, L: number, chunk?: number): Promise<{ y: number; conv: number; ratio: number }> {
  const gpu = ctx!;
  const rng = new Rng(seed);
  const ssm = randomDiagSsm(rng, H, m);
  const u = rng.fillNormal(new Float32Array(B * H * L));
  const tables = prepareStatePassing(gpu, ssm, chunk);
  const gu = upload(gpu, u);
  const gy = gpu.acquire(B * H * L * 4);
  ssmConvStatePassing(gpu, gy, gu, tables, { batch: B, length: L });
  const got = await readF32(gpu, gy, B * H * L);
  tables.release();
  gpu.release(gu);
  gpu.release(gy);
  const want = new Float64Array(B * H * L);
  fftConvForwardRef(want, Float64Array.from(u), ssmKernelRef(ssm, L), ssm.D, { batch: B, channels: H, length: L, kernelLength: L });
  // the convolution part alone (D·u removed in float64): the SSM kernel's taps are small (B̄ ~ Δ), so on y the
  // D·u term could hide errors of the state passing. Rounding errors scale with ‖y‖ (D is folded into the
  // spectrum), so relative to ‖y − D·u‖ they grow by ratio = ‖y‖ / ‖y − D·u‖, which the bounds allow for.
  const conv = (y: ArrayLike<number>) => Float64Array.from(y, (v, i) => v - ssm.D[Math.floor(i / L) % H] * u[i]);
  const norm = (a: Float64Array) => Math.sqrt(a.reduce((s, v) => s + v * v, 0));
  return { y: relL2(got, want), conv: relL2(conv(got), conv(want)), ratio: norm(want) / norm(conv(want)) };
}

describe.skipIf(!ctx)('state passing on webgpu vs the full convolution', () => {
  // float32 kernels: the chunk convolution errs like the fused path (≈ 2.5e-7 at T = 4096); the state terms sum
  // m·64 products of table values (each rounded once) per block and ≤ L/T chunks of Ā^T·s + z, each rounding
  // relative ε: ≈ ε·√(64 + L/T) ≪ 1e-6. Bound: the 5e-6 at L = 65536.
  it('L = 65536 with H3-sized state (m = 32 modes) and the default chunk', async () => {
    const e = await errors(1, 2, 32, 65536);
    expect(e.y, `seed ${seed}`).toBeLessThanOrEqual(5e-6);
    expect(e.conv, `seed ${seed}`).toBeLessThanOrEqual(5e-6 * Math.max(1, e.ratio));
  });

  it('small chunks, a short last chunk and several rows (L = 1000, T = 64)', async () => {
    const e = await errors(2, 3, 5, 1000, 64);
    expect(e.y, `seed ${seed}`).toBeLessThanOrEqual(1e-6);
    expect(e.conv, `seed ${seed}`).toBeLessThanOrEqual(1e-6 * Math.max(1, e.ratio));
  });

  it('picks the largest chunk the fused kernel takes, and refuses others', () => {
    const gpu = ctx!;
    expect(defaultChunk(gpu, 32)).toBe(Math.min(4096, gpu.limits.maxComputeWorkgroupStorageSize / 8));
    const ssm = randomDiagSsm(new Rng(seed), 1, 2);
    expect(() => prepareStatePassing(gpu, ssm, 100)).toThrow(ShapeError);
    expect(() => prepareStatePassing(gpu, { ...ssm, D: new Float64Array(2) })).toThrow(/ssm.D must have shape \[1\]/);
  });
});
