// The SSM kernels of one H3-125M layer (d = H = 768; S4D N2 = 32 complex modes; shift N = 64) generated from
// their parameters, forward + backward, at L = 1024 and 2048: WGSL (webgpu) against the TypeScript reference
// on float32 arrays (what the cpu backends run), both in this run. The two are checked against each other
// before timing (relative L2 ≤ 1e-3 on K, the f32 error bound of s4d-kernel.gpu.test.ts at these lengths).
// Run: cd packages/kernels && LP_NUM_THREADS=2 pnpm bench ssm-kernel
import { benchLine, timeMs } from '@hippo/tooling/bench';
import { s4dKernelBackward, s4dKernelForward } from '../src/ops/ssm-kernel/s4d-kernel.js';
import { s4dKernelBackwardRef, s4dKernelRef } from '../src/ops/ssm-kernel/s4d-kernel.ref.js';
import { shiftKernelBackward, shiftKernelForward } from '../src/ops/ssm-kernel/shift-kernel.js';
import { shiftKernelBackwardRef, shiftKernelRef } from '../src/ops/ssm-kernel/shift-kernel.ref.js';
import { s4dTestParams, shiftTestParams } from '../src/ops/ssm-kernel/test-params.js';
import { GpuContext } from '../src/runtime/gpu-context.js';
import { relL2, upload } from '../src/testing/index.js';
import { Rng } from '../src/util/rng.js';

const [H, N2, N] = [768, 32, 64];
const ctx = await GpuContext.create();
console.log(`webgpu: ${ctx.describe()}`);
const rng = new Rng(0);
const f32 = (a: Float64Array) => Float32Array.from(a);

for (const L of [1024, 2048]) {
  const p = { channels: H, modes: N2, length: L };
  const q = s4dTestParams(rng, H, N2, 'lin');
  const params = [q.logDt, q.invAReal, q.AImag, q.B, q.C].map(f32);
  const [logDt, invAReal, AImag, B, C] = params;
  const dK = rng.fillNormal(new Float32Array(H * L));
  const K = new Float32Array(H * L);
  const grads = params.map((a) => new Float32Array(a.length));
  const cpu = () => {
    s4dKernelRef(K, logDt, invAReal, AImag, B, C, p);
    s4dKernelBackwardRef(grads[0], grads[1], grads[2], grads[3], grads[4], dK, logDt, invAReal, AImag, B, C, p);
  };
  const g = [dK, ...params].map((a) => upload(ctx, a));
  const gK = ctx.acquire(H * L * 4);
  const gGrads = params.map((a) => ctx.acquire(a.length * 4));
  const gpu = async () => {
    s4dKernelForward(ctx, gK, g[1], g[2], g[3], g[4], g[5], p);
    s4dKernelBackward(ctx, gGrads[0], gGrads[1], gGrads[2], gGrads[3], gGrads[4], g[0], g[1], g[2], g[3], g[4], g[5], p);
    await ctx.read(gGrads[0], 4);
  };
  cpu();
  await gpu();
  const err = relL2(new Float32Array(await ctx.read(gK, H * L * 4)), K);
  if (!(err <= 1e-3)) throw new Error(`ssm-kernel bench: webgpu K differs from the reference by ${err} (relative L2) at L=${L}`);
  const tCpu = await timeMs(cpu, { warmup: 1, reps: 3 });
  const tGpu = await timeMs(gpu, { warmup: 1, reps: 3 });
  benchLine(`s4d-kernel-fwd-bwd-H${H}-modes${N2}-L${L}-webgpu`, tGpu, 'ts-reference-cpu', tCpu);
}

{
  const p = { channels: H, state: N, length: 1024 };
  const q = shiftTestParams(rng, H, N, 0.3);
  const [B, C] = [f32(q.B), f32(q.C)];
  const dk = rng.fillNormal(new Float32Array(H * N));
  const [k, dB, dC] = [new Float32Array(H * N), new Float32Array(H * N), new Float32Array(H * N)];
  const cpu = () => {
    shiftKernelRef(k, B, C, p);
    shiftKernelBackwardRef(dB, dC, dk, B, C, p);
  };
  const [gB, gC, gdk] = [B, C, dk].map((a) => upload(ctx, a));
  const [gk, gdB, gdC] = [0, 1, 2].map(() => ctx.acquire(H * N * 4));
  const gpu = async () => {
    shiftKernelForward(ctx, gk, gB, gC, p);
    shiftKernelBackward(ctx, gdB, gdC, gdk, gB, gC, p);
    await ctx.read(gdC, 4);
  };
  const tCpu = await timeMs(cpu);
  const tGpu = await timeMs(gpu);
  benchLine(`shift-kernel-fwd-bwd-H${H}-N${N}-webgpu`, tGpu, 'ts-reference-cpu', tCpu);
}
ctx.destroy();
