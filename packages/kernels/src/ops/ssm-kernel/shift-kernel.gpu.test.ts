import { describe, expect, it } from 'vitest';
import { expectClose, gpuForTests, readF32, testSeed, upload } from '../../testing/index.js';
import { Rng } from '../../util/rng.js';
import { shiftKernelBackward, shiftKernelForward } from './shift-kernel.js';
import { shiftKernelBackwardRef, shiftKernelLength, shiftKernelRef, type ShiftKernelParams } from './shift-kernel.ref.js';
import { shiftTestParams } from './test-params.js';

const ctx = await gpuForTests();
const seed = testSeed();

// odd H, N = 1, 7, 64 (H3's), L < N (truncated), L = N, L ≫ N, and H·Lk not a multiple of the workgroup
const CASES: ShiftKernelParams[] = [
  { channels: 1, state: 1, length: 1 },
  { channels: 3, state: 7, length: 5 },
  { channels: 5, state: 64, length: 1000 },
  { channels: 33, state: 64, length: 64 },
];

// f32 dot products of ≤ N terms against the float64 reference, in the reference's order: each output is off by
// at most N·ε·Σ|terms| (Higham), and the random signs make it ~√N·ε·|sum|; B and C carry noise, so the sums
// do not cancel systematically: tolerance 4·√N·2⁻²⁴ relative L2, + an absolute term for near-zero outputs.
const tol = (N: number) => 4 * Math.sqrt(N) * 2 ** -24;

describe.skipIf(!ctx)('shift-SSM kernel on webgpu vs the reference', () => {
  it('forward k [H, min(N, L)] and backward dB, dC [H, N]', async () => {
    expect.hasAssertions();
    const gpu = ctx!;
    const rng = new Rng(seed);
    for (const p of CASES) {
      const { channels: H, state: N } = p;
      const Lk = shiftKernelLength(p);
      const q = shiftTestParams(rng, H, N, 0.5);
      const [B, C] = [Float32Array.from(q.B), Float32Array.from(q.C)];
      const dk = rng.fillNormal(new Float32Array(H * Lk));
      const k = new Float64Array(H * Lk);
      shiftKernelRef(k, B, C, p);
      const [dB, dC] = [new Float64Array(H * N), new Float64Array(H * N)];
      shiftKernelBackwardRef(dB, dC, dk, B, C, p);

      const [gB, gC, gdk] = [B, C, dk].map((a) => upload(gpu, a));
      const gk = gpu.acquire(H * Lk * 4);
      const [gdB, gdC] = [gpu.acquire(H * N * 4), gpu.acquire(H * N * 4)];
      shiftKernelForward(gpu, gk, gB, gC, p);
      shiftKernelBackward(gpu, gdB, gdC, gdk, gB, gC, p);
      const label = `shiftKernel ${JSON.stringify(p)}`;
      const atol = 4 * N * 2 ** -24 * 0.5; // |terms| ≲ 0.5: N·ε·Σ|terms| for an output that cancels
      expect(expectClose(await readF32(gpu, gk, H * Lk), k, tol(N), `${label} k`, seed, atol)).toBeLessThanOrEqual(tol(N) + atol);
      expect(expectClose(await readF32(gpu, gdB, H * N), dB, tol(N), `${label} dB`, seed, atol)).toBeLessThanOrEqual(tol(N) + atol);
      expect(expectClose(await readF32(gpu, gdC, H * N), dC, tol(N), `${label} dC`, seed, atol)).toBeLessThanOrEqual(tol(N) + atol);
    }
  });
});
