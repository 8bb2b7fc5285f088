// Square f32 matmul on WebGPU vs the CPU reference (matmulRef, the CPU engine's path), in the same run.
// Run: cd packages/kernels && pnpm bench matmul   (LP_NUM_THREADS=2 on lavapipe for comparable numbers)
import { benchLine, timeMs } from '@hippo/tooling/bench';
import { GpuContext } from '../src/runtime/gpu-context.js';
import { matmul } from '../src/ops/matmul/matmul.js';
import { matmulRef, type MatmulParams } from '../src/ops/matmul/matmul.ref.js';
import { Rng } from '../src/util/rng.js';

// fewer repetitions where one run takes seconds on a CPU adapter
const CASES = [
  { n: 256, warmup: 2, reps: 7 },
  { n: 512, warmup: 1, reps: 5 },
  { n: 1024, warmup: 1, reps: 3 },
];

const ctx = await GpuContext.create();
console.log(`adapter: ${ctx.describe()}`);
const rng = new Rng(1);
for (const { n, warmup, reps } of CASES) {
  const p: MatmulParams = { batch: 1, M: n, N: n, K: n, transA: false, transB: false };
  const a = rng.fillNormal(new Float32Array(n * n));
  const b = rng.fillNormal(new Float32Array(n * n));
  const out = new Float32Array(n * n);
  const ga = ctx.acquire(a.byteLength);
  const gb = ctx.acquire(b.byteLength);
  const gout = ctx.acquire(out.byteLength);
  ctx.upload(ga, a);
  ctx.upload(gb, b);
  const gpuMs = await timeMs(
    async () => {
      matmul(ctx, gout, ga, gb, null, p);
      await ctx.sync();
    },
    { warmup, reps },
  );
  const cpuMs = await timeMs(() => matmulRef(out, a, b, null, p), { warmup: 1, reps });
  const gflop = (2 * n ** 3) / 1e9;
  console.log(`matmul ${n}³ f32: webgpu ${(gflop / (gpuMs / 1e3)).toFixed(2)} GFLOP/s, cpu-ref ${(gflop / (cpuMs / 1e3)).toFixed(2)} GFLOP/s`);
  benchLine(`matmul-${n}`, gpuMs, 'cpu-ref', cpuMs);
  for (const buf of [ga, gb, gout]) ctx.release(buf);
}
ctx.destroy();
