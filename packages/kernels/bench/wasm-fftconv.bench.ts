// FlashConv's FFT convolution on the WebAssembly CPU runtime (1 and 2 threads) against PyTorch-CPU (1 and 2
// threads) and numpy, measured in the same run, on the five shapes of the FlashConv benchmark (Lk = L),
// forward and forward+backward; also against the TypeScript reference path (what the cpu backend ran before).
// The machine may be shared: the load average is printed before each shape, and each shape's Python baseline
// runs right before its Hippo timings, so both see the same load. Hippo's 1- and 2-thread runs are timed
// interleaved. Every output is checked against a float64 reference first (relative L2 > 1e-5 fails the run).
// Run: cd packages/kernels && HIPPO_PYTHON=/usr/bin/python3 pnpm bench wasm-fftconv
//      (HIPPO_BENCH_SHAPES="1,64,1024;…" to narrow; HIPPO_BENCH_TS_REF=0 skips the slow TypeScript path)
import { spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { benchLine, timeInterleaved, timeMs } from '@hippo/tooling/bench';
import { fftConvBackwardRef, fftConvForwardRef } from '../src/ops/fftconv/fftconv.ref.js';
import { fftConvBackwardWasm, fftConvForwardWasm } from '../src/ops/fftconv/fftconv.wasm.js';
import { randomConvInputs } from '../src/ops/fftconv/oracle-check.js';
import type { FftConvParams } from '../src/ops/fftconv/plan.js';
import { relL2 } from '../src/testing/index.js';
import { Rng } from '../src/util/rng.js';
import { WasmRuntime } from '../src/wasm/runtime.js';

const SHAPES: [number, number, number][] = (process.env.HIPPO_BENCH_SHAPES ?? '1,64,1024;4,256,1024;1,64,8192;2,128,8192;1,16,65536')
  .split(';')
  .map((s) => s.split(',').map(Number) as [number, number, number]);
const withTsRef = process.env.HIPPO_BENCH_TS_REF !== '0';
const python = process.env.HIPPO_PYTHON ?? 'python3';
const script = fileURLToPath(new URL('./fftconv_baseline.py', import.meta.url));
const ACCURACY = 1e-5;
const load = () => loadavg().map((l) => l.toFixed(2)).join(' ');

interface PyRow {
  lib: string;
  threads: number;
  version: string;
  fwd_ms: number;
  fwdbwd_ms: number;
  fwd_cpu_ms: number;
  fwdbwd_cpu_ms: number;
  fwd_min_ms: number;
  fwdbwd_min_ms: number;
}

/** numpy and torch (1 and 2 threads) on one shape, in a fresh Python process; [] when unavailable (said). */
function pythonBaselines(shape: number[]): PyRow[] {
  const cfg = { shapes: [shape], reps: 7, threads: [1, 2], cpu: true, cuda: false };
  const py = spawnSync(python, [script, JSON.stringify(cfg)], { encoding: 'utf8', timeout: 600_000 });
  if (py.error || py.status !== 0) {
    console.log(`python baselines unavailable: '${python}' ${py.error ? `did not start (${py.error.message})` : `exited ${py.status}: ${py.stderr.trim().split('\n').pop()}`}`);
    return [];
  }
  const rows: PyRow[] = [];
  for (const line of py.stdout.trim().split('\n').filter((l) => l !== '')) {
    const row = JSON.parse(line);
    if (row.missing) console.log(`python baseline skipped: ${row.missing} is not installed for '${python}' (${row.hint})`);
    else rows.push(row);
  }
  return rows;
}

const runtimes = [WasmRuntime.create({ threads: 1 }), WasmRuntime.create({ threads: 2 })];
const table: string[] = [];
const fastest: string[] = [];
const failures: string[] = [];
console.log(`load average (1/5/15 min) at start: ${load()}`);

for (const [B, H, L] of SHAPES) {
  const p: FftConvParams = { batch: B, channels: H, length: L, kernelLength: L };
  const id = `${B}x${H}x${L}`;
  console.log(`\n## (B, H, L) = (${B}, ${H}, ${L}), Lk = L — load average ${load()}`);
  const x = randomConvInputs(new Rng(1), p);
  const x64 = [x.u, x.k, x.D, x.dy].map((a) => Float64Array.from(a));
  const ref = [new Float64Array(B * H * L), new Float64Array(B * H * L), new Float64Array(H * L), new Float64Array(H)];
  fftConvForwardRef(ref[0], x64[0], x64[1], x64[2], p);
  fftConvBackwardRef(ref[1], ref[2], ref[3], x64[3], x64[0], x64[1], x64[2], p);

  const py = pythonBaselines([B, H, L]);
  for (const r of py)
    console.log(
      `${r.lib} ${r.version} ${r.threads}t: fwd ${r.fwd_ms.toFixed(2)} ms, fwd+bwd ${r.fwdbwd_ms.toFixed(2)} ms (CPU ${r.fwd_cpu_ms.toFixed(2)} / ${r.fwdbwd_cpu_ms.toFixed(2)} ms, fastest ${r.fwd_min_ms.toFixed(2)} / ${r.fwdbwd_min_ms.toFixed(2)} ms)`,
    );

  // Hippo on WebAssembly, 1 and 2 threads, inputs and outputs in each runtime's memory
  const impls = runtimes.map((rt) => {
    const [u, k, D, dy] = [x.u, x.k, x.D, x.dy].map((a) => {
      const v = rt.allocF32(a.length);
      v.set(a);
      return v;
    });
    const out = [rt.allocF32(B * H * L), rt.allocF32(B * H * L), rt.allocF32(H * L), rt.allocF32(H)];
    const fwd = () => fftConvForwardWasm(rt, out[0], u, k, D, p);
    const bwd = () => fftConvBackwardWasm(rt, out[1], out[2], out[3], dy, u, k, D, p);
    return { rt, fwd, fwdbwd: () => (fwd(), bwd()), out, inputs: [u, k, D, dy] };
  });
  const small = B * H * L < 1 << 20;
  const [warmup, reps] = small ? [3, 21] : [2, 9];
  const workerBefore = runtimes[1].workerChunks()[0];
  const fwdT = timeInterleaved(impls.map((m) => m.fwd), warmup, reps);
  const fwdbwdT = timeInterleaved(impls.map((m) => m.fwdbwd), warmup, reps);
  // the worker's share of the 2-thread chunks: each call splits each kernel into min(items, 8) chunks (items = the
  // groups of 4 channels for the spectrum and the backward, B·groups for the forward); a share well below ½ means
  // the worker was waiting for a core
  const G = Math.ceil(H / 4);
  const perFwd = Math.min(G, 8) + Math.min(B * G, 8);
  const chunks = (warmup + reps) * (2 * perFwd + 2 * Math.min(G, 8));
  console.log(`worker thread ran ${(((runtimes[1].workerChunks()[0] - workerBefore) / chunks) * 100).toFixed(0)}% of the 2-thread chunks`);
  const [fwdMs, fwdbwdMs] = [fwdT.wall, fwdbwdT.wall];
  impls.forEach((m, i) => {
    const e = m.out.map((o, j) => relL2(o, ref[j]));
    if (e.some((v) => !(v <= ACCURACY))) failures.push(`wasm t${m.rt.threads} (${B}, ${H}, ${L}): rel L2 y/du/dk/dD ${e.map((v) => v.toExponential(2)).join('/')}`);
    // CPU / wall ≈ the cores the run had at once (≈ 1 for 2 threads: they took turns on one core)
    const par = `CPU/wall ${(fwdT.cpu[i] / fwdMs[i]).toFixed(2)} / ${(fwdbwdT.cpu[i] / fwdbwdMs[i]).toFixed(2)}`;
    const cpu = `CPU ${fwdT.cpu[i].toFixed(2)} / ${fwdbwdT.cpu[i].toFixed(2)} ms, ${par}, fastest ${fwdT.min[i].toFixed(2)} / ${fwdbwdT.min[i].toFixed(2)} ms`;
    console.log(`hippo wasm ${m.rt.threads}t: fwd ${fwdMs[i].toFixed(2)} ms, fwd+bwd ${fwdbwdMs[i].toFixed(2)} ms (${cpu}); rel L2 y/du/dk/dD ${e.map((v) => v.toExponential(1)).join('/')}`);
    m.out.concat(m.inputs).forEach((v) => m.rt.free(v));
  });

  let tsRef = { fwd: NaN, fwdbwd: NaN };
  if (withTsRef) {
    const o = [new Float32Array(B * H * L), new Float32Array(B * H * L), new Float32Array(H * L), new Float32Array(H)];
    const r = { warmup: 0, reps: small ? 3 : 1 };
    tsRef = {
      fwd: await timeMs(() => fftConvForwardRef(o[0], x.u, x.k, x.D, p), r),
      fwdbwd: await timeMs(() => (fftConvForwardRef(o[0], x.u, x.k, x.D, p), fftConvBackwardRef(o[1], o[2], o[3], x.dy, x.u, x.k, x.D, p)), r),
    };
    console.log(`ts-ref (TypeScript float64 FFT path): fwd ${tsRef.fwd.toFixed(1)} ms, fwd+bwd ${tsRef.fwdbwd.toFixed(1)} ms`);
  }

  for (const [dir, ms, cpuMs] of [
    ['fwd', fwdMs, fwdT.cpu],
    ['fwdbwd', fwdbwdMs, fwdbwdT.cpu],
  ] as const) {
    const cells: string[] = [];
    impls.forEach((m, i) => {
      const t = m.rt.threads;
      const caseId = `wasm-fftconv-${dir}-${id}-t${t}`;
      for (const r of py) {
        const base = dir === 'fwd' ? r.fwd_ms : r.fwdbwd_ms;
        // each thread count against the peer at the same count, and 2 threads also against 1-thread torch
        if (r.lib === 'torch' && (r.threads === t || r.threads === 1)) benchLine(caseId, ms[i], `torch-cpu-${r.threads}t`, base);
        if (r.lib === 'numpy') benchLine(caseId, ms[i], 'numpy-cpu', base);
      }
      if (withTsRef) benchLine(caseId, ms[i], 'ts-ref', tsRef[dir]);
    });
    // 1 thread on CPU time, which a shared machine disturbs less (see timeInterleaved)
    const torch1 = py.find((r) => r.lib === 'torch' && r.threads === 1);
    if (torch1) benchLine(`wasm-fftconv-${dir}-${id}-t1-cputime`, cpuMs[0], 'torch-cpu-1t-cputime', dir === 'fwd' ? torch1.fwd_cpu_ms : torch1.fwdbwd_cpu_ms);
    const torch = (t: number) => py.find((r) => r.lib === 'torch' && r.threads === t);
    const ratio = (base: PyRow | undefined, i: number) => (base ? ((dir === 'fwd' ? base.fwd_ms : base.fwdbwd_ms) / ms[i]).toFixed(2) : '—');
    const baseMs = (base: PyRow | undefined) => (base ? (dir === 'fwd' ? base.fwd_ms : base.fwdbwd_ms).toFixed(2) : '—');
    cells.push(`(${B}, ${H}, ${L})`, dir === 'fwd' ? 'fwd' : 'fwd+bwd', ms[0].toFixed(2), ms[1].toFixed(2), baseMs(torch(1)), baseMs(torch(2)));
    const cpuRatio = torch1 ? ((dir === 'fwd' ? torch1.fwd_cpu_ms : torch1.fwdbwd_cpu_ms) / cpuMs[0]).toFixed(2) : '—';
    cells.push(ratio(torch(1), 0), cpuRatio, ratio(torch(2), 1), ratio(torch(1), 1), withTsRef ? (tsRef[dir] / ms[1]).toFixed(1) : '—');
    table.push(`| ${cells.join(' | ')} |`);
    // the same from each side's fastest run
    const min = dir === 'fwd' ? fwdT.min : fwdbwdT.min;
    const tmin = (t: number) => {
      const r = torch(t);
      return r ? (dir === 'fwd' ? r.fwd_min_ms : r.fwdbwd_min_ms) : NaN;
    };
    const f2 = (v: number) => (Number.isFinite(v) ? v.toFixed(2) : '—');
    fastest.push(`| (${B}, ${H}, ${L}) | ${cells[1]} | ${f2(min[0])} | ${f2(min[1])} | ${f2(tmin(1))} | ${f2(tmin(2))} | ${f2(tmin(1) / min[0])} | ${f2(tmin(2) / min[1])} | ${f2(tmin(1) / min[1])} |`);
  }
}

console.log(`\nload average (1/5/15 min) at end: ${load()}`);
console.log(
  '\n| (B, H, L) | pass | wasm 1t ms | wasm 2t ms | torch 1t ms | torch 2t ms | torch 1t / wasm 1t | same, CPU time | torch 2t / wasm 2t | torch 1t / wasm 2t | ts-ref / wasm 2t |\n|---|---|---|---|---|---|---|---|---|---|---|\n' +
    table.join('\n'),
);
console.log(
  '\nfastest runs:\n| (B, H, L) | pass | wasm 1t ms | wasm 2t ms | torch 1t ms | torch 2t ms | torch 1t / wasm 1t | torch 2t / wasm 2t | torch 1t / wasm 2t |\n|---|---|---|---|---|---|---|---|---|\n' +
    fastest.join('\n'),
);
await Promise.all(runtimes.map((rt) => rt.dispose()));
if (failures.length > 0) {
  console.log(`\nACCURACY FAILURES (relative L2 > ${ACCURACY} vs the float64 reference):\n${failures.join('\n')}`);
  process.exitCode = 1;
}
