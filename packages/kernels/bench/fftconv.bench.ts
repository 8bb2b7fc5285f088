// FlashConv benchmark: y = causal_conv(u, k) + D·u, forward and forward+backward, on the issue's five shapes.
// Hippo webgpu (fused / multi-pass as chosen, multi-pass forced, state passing at L = 65536 and 262144) and Hippo
// cpu (the WebAssembly SIMD path on HIPPO_THREADS threads; bench/wasm-fftconv.bench.ts times it at 1 and 2) against baselines measured in this run: the unfused multi-dispatch WGSL FFT conv
// (bench/naive-fftconv.ts), the direct O(L²) convolution (the oracle, timed on one row and scaled by B·H), and
// numpy / PyTorch on the CPU through bench/fftconv_baseline.py when installed (Debian: python3-numpy,
// python3-torch; HIPPO_PYTHON picks the interpreter, default python3). HIPPO_BENCH_CUDA=1 adds torch on CUDA;
// HIPPO_BENCH_GPU_ONLY=1 drops the CPU-only rows (Hippo cpu, direct, numpy, torch-cpu), as the GPU script does.
// Every path's outputs are checked against a float64 reference first; a relative L2 error above 1e-5 fails the run.
// Run: cd packages/kernels && LP_NUM_THREADS=2 pnpm bench fftconv   (HIPPO_BENCH_SHAPES="1,64,1024;…" to narrow)
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { benchLine, timeMs } from '@hippo/tooling/bench';
import { GpuContext } from '../src/runtime/gpu-context.js';
import { relL2 } from '../src/testing/index.js';
import { Rng } from '../src/util/rng.js';
import type { FloatArray } from '../src/util/types.js';
import { causalConvDirect, causalConvDirectBackward } from '../src/ops/fftconv/direct.ref.js';
import { fftConvBackward, fftConvForward, fftConvPlan, type FftConvOptions } from '../src/ops/fftconv/fftconv.js';
import { fftConvBackwardRef, fftConvForwardRef } from '../src/ops/fftconv/fftconv.ref.js';
import { fftConvBackwardWasm, fftConvForwardWasm } from '../src/ops/fftconv/fftconv.wasm.js';
import { WasmRuntime } from '../src/wasm/runtime.js';
import { randomConvInputs, randomDiagSsm } from '../src/ops/fftconv/oracle-check.js';
import type { FftConvParams } from '../src/ops/fftconv/plan.js';
import { ssmKernelRef } from '../src/ops/fftconv/state-passing.ref.js';
import { prepareStatePassing, ssmConvStatePassing } from '../src/ops/fftconv/state-passing.js';
import { NaiveFftConv } from './naive-fftconv.js';

const SHAPES: [number, number, number][] = (process.env.HIPPO_BENCH_SHAPES ?? '1,64,1024;4,256,1024;1,64,8192;2,128,8192;1,16,65536')
  .split(';')
  .map((s) => s.split(',').map(Number) as [number, number, number]);
const ID = (s: number[]) => s.join('x');

const gpuOnly = process.env.HIPPO_BENCH_GPU_ONLY === '1';
const ctx = await GpuContext.create();
console.log(`adapter: ${ctx.describe()}; workgroup storage ${ctx.limits.maxComputeWorkgroupStorageSize} B`);

// ---- baselines from Python, measured now (one process for all shapes) ----
interface PyRow {
  lib: string;
  device: string;
  threads: number;
  version: string;
  shape: number[];
  fwd_ms: number;
  fwdbwd_ms: number;
}
const python = process.env.HIPPO_PYTHON ?? 'python3';
const script = fileURLToPath(new URL('./fftconv_baseline.py', import.meta.url));
const cfg = { shapes: SHAPES, reps: 5, threads: [1, 2], cpu: !gpuOnly, cuda: process.env.HIPPO_BENCH_CUDA === '1' };
const py = spawnSync(python, [script, JSON.stringify(cfg)], { encoding: 'utf8', timeout: 600_000 });
const pyRows: PyRow[] = [];
if (py.error || py.status !== 0) {
  console.log(`python baselines unavailable: '${python}' ${py.error ? `did not start (${py.error.message})` : `exited ${py.status}: ${py.stderr.trim().split('\n').pop()}`}`);
} else {
  for (const line of py.stdout.trim().split('\n').filter((l) => l !== '')) {
    const row = JSON.parse(line);
    if (row.missing) console.log(`python baseline skipped: ${row.missing} is not installed for '${python}' (${row.hint})`);
    else pyRows.push(row);
  }
}
const pyName = (r: PyRow) => (r.device === 'cpu' ? `${r.lib}-cpu-${r.threads}t` : `${r.lib}-${r.device}`);
for (const name of new Set(pyRows.map((r) => `${pyName(r)} (${r.lib} ${r.version})`))) console.log(`python baseline: ${name}`);

// ---- helpers ----
const table: string[] = [];
const failures: string[] = [];
const ACCURACY = 1e-5; // a sanity bound for the benchmark (the tests hold every path to 1e-6 / 5e-6)
function record(caseId: string, hippoMs: number, baseline: string, baselineMs: number): void {
  benchLine(caseId, hippoMs, baseline, baselineMs);
  table.push(`| ${caseId} | ${hippoMs.toFixed(2)} | ${baseline} | ${baselineMs.toFixed(2)} | ${(baselineMs / hippoMs).toFixed(2)} |`);
}
function reps(p: FftConvParams): { warmup: number; reps: number } {
  const size = p.batch * p.channels * p.length;
  return size >= 1 << 21 ? { warmup: 1, reps: 3 } : { warmup: 2, reps: 7 };
}
function uploadF32(data: FloatArray): GPUBuffer {
  const f = data instanceof Float32Array ? data : Float32Array.from(data);
  const b = ctx.acquire(f.byteLength);
  ctx.upload(b, f);
  return b;
}

/**
 * Median ms of each function, timed interleaved (one run of each per round, after `warmup` rounds), so that
 * the load of a shared machine drifts over all of them alike and their ratios stay comparable.
 */
async function timeInterleaved(fns: (() => Promise<void>)[], o: { warmup: number; reps: number }): Promise<number[]> {
  const times: number[][] = fns.map(() => []);
  for (let round = 0; round < o.warmup + o.reps; round++)
    for (let i = 0; i < fns.length; i++) {
      const t0 = performance.now();
      await fns[i]();
      if (round >= o.warmup) times[i].push(performance.now() - t0);
    }
  return times.map((t) => t.sort((a, b) => a - b)[Math.floor(t.length / 2)]);
}

/** One GPU implementation: forward and backward recorders over the shared buffers. */
interface GpuImpl {
  fwd: () => void;
  bwd: () => void;
}

/** Times every implementation's forward and forward+backward (interleaved), and reads its outputs for the accuracy check. */
async function timeGpu(p: FftConvParams, bufs: GPUBuffer[], impls: GpuImpl[]) {
  const r = reps(p);
  const sync = (f: () => void) => async () => {
    f();
    await ctx.sync();
  };
  const fwdMs = await timeInterleaved(impls.map((m) => sync(m.fwd)), r);
  const fwdbwdMs = await timeInterleaved(impls.map((m) => sync(() => (m.fwd(), m.bwd()))), r);
  const { batch: B, channels: H, length: L, kernelLength: Lk } = p;
  const read = async (b: GPUBuffer, n: number) => new Float32Array(await ctx.read(b, n * 4));
  const [y, du, dk, dD] = bufs.slice(4);
  const out: { fwdMs: number; fwdbwdMs: number; out: Float32Array[] }[] = [];
  for (let i = 0; i < impls.length; i++) {
    impls[i].fwd();
    impls[i].bwd();
    out.push({ fwdMs: fwdMs[i], fwdbwdMs: fwdbwdMs[i], out: [await read(y, B * H * L), await read(du, B * H * L), await read(dk, H * Lk), await read(dD, H)] });
  }
  return out;
}

for (const [B, H, L] of SHAPES) {
  const p: FftConvParams = { batch: B, channels: H, length: L, kernelLength: L };
  const id = ID([B, H, L]);
  console.log(`\n## (B, H, L) = (${B}, ${H}, ${L}), Lk = L`);
  const rng = new Rng(1);
  const x = randomConvInputs(rng, p);
  // float64 reference through the CPU path (itself checked against the direct oracle in the tests)
  const ref = [new Float64Array(B * H * L), new Float64Array(B * H * L), new Float64Array(H * L), new Float64Array(H)];
  const x64 = [x.u, x.k, x.D, x.dy].map((a) => Float64Array.from(a));
  fftConvForwardRef(ref[0], x64[0], x64[1], x64[2], p);
  fftConvBackwardRef(ref[1], ref[2], ref[3], x64[3], x64[0], x64[1], x64[2], p);
  const errs = (out: Float32Array[], who: string) => {
    const e = out.map((o, i) => relL2(o, ref[i]));
    if (e.some((v) => !(v <= ACCURACY))) failures.push(`${who} (${B}, ${H}, ${L}): rel L2 y/du/dk/dD ${e.map((v) => v.toExponential(2)).join('/')}`);
    return e.map((v) => v.toExponential(1)).join('/');
  };

  const bufs = [x.u, x.k, x.D, x.dy].map(uploadF32);
  bufs.push(...[B * H * L, B * H * L, H * L, H].map((n) => ctx.acquire(n * 4)));
  const [u, k, D, dy, y, du, dk, dD] = bufs;
  const auto = fftConvPlan(ctx, p).path;
  const naive = new NaiveFftConv(ctx, p);
  const hippo = (opts: FftConvOptions): GpuImpl => ({
    fwd: () => fftConvForward(ctx, y, u, k, D, p, opts),
    bwd: () => fftConvBackward(ctx, du, dk, dD, dy, u, k, D, p, opts),
  });
  const impls = [hippo({}), { fwd: () => naive.forward(y, u, k, D), bwd: () => naive.backward(du, dk, dD, dy, u, k, D) }];
  if (auto === 'fused') impls.push(hippo({ path: 'multipass' }));
  const [main, nv, multi] = await timeGpu(p, bufs, impls);
  naive.release();
  console.log(`hippo webgpu ${auto}: fwd ${main.fwdMs.toFixed(2)} ms, fwd+bwd ${main.fwdbwdMs.toFixed(2)} ms; rel L2 y/du/dk/dD ${errs(main.out, `webgpu ${auto}`)}`);
  if (multi) console.log(`hippo webgpu multipass (forced): fwd ${multi.fwdMs.toFixed(2)} ms, fwd+bwd ${multi.fwdbwdMs.toFixed(2)} ms; rel L2 ${errs(multi.out, 'webgpu multipass')}`);
  console.log(`naive multi-dispatch WGSL: fwd ${nv.fwdMs.toFixed(2)} ms, fwd+bwd ${nv.fwdbwdMs.toFixed(2)} ms; rel L2 ${errs(nv.out, 'naive WGSL')}`);
  bufs.forEach((b) => ctx.release(b));

  let cpu = { fwd: NaN, fwdbwd: NaN };
  let direct = { fwd: NaN, fwdbwd: NaN };
  if (!gpuOnly) {
    const rt = WasmRuntime.shared();
    const cpuIn = [x.u, x.k, x.D, x.dy].map((a) => {
      const v = rt.allocF32(a.length);
      v.set(a);
      return v;
    });
    const cpuOut = [rt.allocF32(B * H * L), rt.allocF32(B * H * L), rt.allocF32(H * L), rt.allocF32(H)];
    const cpuReps = { warmup: 2, reps: 7 };
    const cpuFwd = () => fftConvForwardWasm(rt, cpuOut[0], cpuIn[0], cpuIn[1], cpuIn[2], p);
    cpu = {
      fwd: await timeMs(cpuFwd, cpuReps),
      fwdbwd: await timeMs(() => {
        cpuFwd();
        fftConvBackwardWasm(rt, cpuOut[1], cpuOut[2], cpuOut[3], cpuIn[3], cpuIn[0], cpuIn[1], cpuIn[2], p);
      }, cpuReps),
    };
    console.log(`hippo cpu (WebAssembly, ${rt.threads} threads): fwd ${cpu.fwd.toFixed(2)} ms, fwd+bwd ${cpu.fwdbwd.toFixed(2)} ms; rel L2 ${errs(cpuOut, 'cpu')}`);
    cpuIn.concat(cpuOut).forEach((v) => rt.free(v));

    // the direct convolution: one row timed, scaled by B·H (its cost is the same for every row)
    const one: FftConvParams = { batch: 1, channels: 1, length: L, kernelLength: L };
    const d1 = [new Float64Array(L), new Float64Array(L), new Float64Array(L), new Float64Array(1)];
    const fwdMs = (await timeMs(() => causalConvDirect(d1[0], x.u, x.k, x.D, one), { warmup: 0, reps: 1 })) * B * H;
    const bwdMs = (await timeMs(() => causalConvDirectBackward(d1[1], d1[2], d1[3], x.dy, x.u, x.k, x.D, one), { warmup: 0, reps: 1 })) * B * H;
    direct = { fwd: fwdMs, fwdbwd: fwdMs + bwdMs };
    console.log(`direct O(L²) (1 row timed, ×${B * H}): fwd ${direct.fwd.toFixed(0)} ms, fwd+bwd ${direct.fwdbwd.toFixed(0)} ms`);
  }

  for (const [dir, hippoMs, multiMs, naiveMs] of [
    ['fwd', main.fwdMs, multi?.fwdMs, nv.fwdMs],
    ['fwdbwd', main.fwdbwdMs, multi?.fwdbwdMs, nv.fwdbwdMs],
  ] as const) {
    const base = `fftconv-${dir}-${id}`;
    record(`${base}-webgpu-${auto}`, hippoMs, 'naive-wgsl', naiveMs);
    if (!gpuOnly) record(`${base}-webgpu-${auto}`, hippoMs, 'direct-cpu', direct[dir]);
    if (multiMs !== undefined) record(`${base}-webgpu-multipass`, multiMs, 'naive-wgsl', naiveMs);
    for (const r of pyRows.filter((r) => ID(r.shape) === id)) {
      const ms = dir === 'fwd' ? r.fwd_ms : r.fwdbwd_ms;
      record(`${base}-webgpu-${auto}`, hippoMs, pyName(r), ms);
      if (r.device === 'cpu' && !gpuOnly) record(`${base}-cpu`, cpu[dir], pyName(r), ms);
    }
  }
}

// ---- state passing: L far past the fused limit, per token vs the fused kernel at L = 4096 ----
{
  const [B, H, m] = [1, 16, 32];
  const ssm = randomDiagSsm(new Rng(2), H, m);
  const tables = prepareStatePassing(ctx, ssm);
  const fusedP: FftConvParams = { batch: B, channels: H, length: 4096, kernelLength: 4096 };
  const fx = randomConvInputs(new Rng(3), fusedP);
  const fb = [fx.u, fx.k, fx.D].map(uploadF32);
  const fy = ctx.acquire(B * H * 4096 * 4);
  console.log(`\n## state passing (diagonal SSM, m = ${m} modes, chunk T = ${tables.chunk}) vs the fused kernel at (${B}, ${H}, 4096)`);
  const fused = async () => {
    fftConvForward(ctx, fy, fb[0], fb[1], fb[2], fusedP);
    await ctx.sync();
  };
  for (const L of [65536, 262144]) {
    const u = uploadF32(new Rng(4).fillNormal(new Float32Array(B * H * L)));
    const yb = ctx.acquire(B * H * L * 4);
    const passing = async () => {
      ssmConvStatePassing(ctx, yb, u, tables, { batch: B, length: L });
      await ctx.sync();
    };
    // not interleaved: a short call right after a long one ran 2-3× slow on lavapipe (cold caches), which would
    // flatter state passing; the fused reference is timed warm, just before
    const fusedMs = await timeMs(fused, { warmup: 3, reps: 21 });
    const ms = await timeMs(passing, { warmup: 1, reps: 5 });
    const perToken = (ms / (B * H * L)) * 1e6;
    const fusedPerToken = (fusedMs / (B * H * 4096)) * 1e6;
    console.log(
      `state passing (${B}, ${H}, ${L}): ${ms.toFixed(1)} ms = ${perToken.toFixed(1)} ns/token; fused (${B}, ${H}, 4096): ${fusedMs.toFixed(2)} ms = ${fusedPerToken.toFixed(1)} ns/token (×${(perToken / fusedPerToken).toFixed(2)})`,
    );
    // baseline: the fused kernel's time per token at L = 4096, scaled to the same number of tokens
    record(`fftconv-statepassing-fwd-${ID([B, H, L])}`, ms, 'fused-4096-per-token', fusedMs * (L / 4096));
    const got = new Float32Array(await ctx.read(yb, B * H * L * 4));
    const want = new Float64Array(B * H * L);
    const uHost = new Rng(4).fillNormal(new Float32Array(B * H * L));
    fftConvForwardRef(want, Float64Array.from(uHost), ssmKernelRef(ssm, L), ssm.D, { batch: B, channels: H, length: L, kernelLength: L });
    const err = relL2(got, want);
    console.log(`state passing (${B}, ${H}, ${L}): rel L2 vs the full float64 convolution ${err.toExponential(1)}`);
    if (!(err <= ACCURACY)) failures.push(`state passing (${B}, ${H}, ${L}): rel L2 ${err.toExponential(2)}`);
    ctx.release(u);
    ctx.release(yb);
  }
  tables.release();
}

console.log('\n| case | hippo_ms | baseline | baseline_ms | ratio |\n|---|---|---|---|---|\n' + table.join('\n'));
ctx.destroy();
if (failures.length > 0) {
  console.log(`\nACCURACY FAILURES (relative L2 > ${ACCURACY} vs the float64 reference):\n${failures.join('\n')}`);
  process.exitCode = 1;
}
