// Causal attention and KV-cache decoding on the WebAssembly CPU runtime (1 and 2 threads, timed interleaved)
// against, in the same run, the TypeScript references (what the cpu backend ran before) and PyTorch-CPU
// (bench/peers/attention_peer.py: scaled_dot_product_attention(is_causal=True) where the installed PyTorch has
// it, else the same maths in plain ops), 1 and 2 threads. Shapes: [BH, L, hd] = [12, 1024, 64], [12, 2048, 64]
// forward and forward+backward (the 125M-class Transformer baseline of the generation benchmark: 12 heads of 64);
// decoding one token per sequence over a cache of 1536 at B = 1, 12 heads. Also the per-step cost of the two
// ops left on the references (kvCacheWrite, rotary). The machine may be shared: the load average is printed,
// and wall and process CPU medians are both reported (a 1-thread run's CPU time leaves out the time others held
// the core). Every wasm output is checked against the reference first (relative L2 > 1e-5 is reported).
// Run: cd packages/kernels && HIPPO_PYTHON=/usr/bin/python3 pnpm bench wasm-attention   (HIPPO_BENCH_TS_REF=0 skips
// the slow TypeScript references: ~1 min)
import { spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { benchLine, timeMs } from '@hippo/tooling/bench';
import { causalAttentionBackwardRef, causalAttentionForwardRef, type AttentionParams } from '../src/ops/attention/attention.ref.js';
import { causalAttentionBackwardWasm, causalAttentionForwardWasm } from '../src/ops/attention/attention.wasm.js';
import { attentionDecodeRef, kvCacheWriteRef, type DecodeParams } from '../src/ops/attention/decode.ref.js';
import { attentionDecodeWasm } from '../src/ops/attention/decode.wasm.js';
import { rotaryRef } from '../src/ops/attention/rotary.ref.js';
import { relL2 } from '../src/testing/index.js';
import { Rng } from '../src/util/rng.js';
import { WasmRuntime } from '../src/wasm/runtime.js';

const CAUSAL: [number, number, number][] = [
  [12, 1024, 64],
  [12, 2048, 64],
];
const DECODE: [number, number, number, number][] = [[1, 12, 1536, 64]];
const withTsRef = process.env.HIPPO_BENCH_TS_REF !== '0';
const python = process.env.HIPPO_PYTHON ?? 'python3';
const script = fileURLToPath(new URL('./peers/attention_peer.py', import.meta.url));
const load = () => loadavg().map((l) => l.toFixed(2)).join(' ');

interface PeerRow {
  impl: string;
  version: string;
  threads: number;
  kind: 'causal' | 'decode';
  shape: number[];
  fwd_ms: number;
  fwdbwd_ms: number | null;
  fwd_cpu_ms: number;
  fwdbwd_cpu_ms: number | null;
}

/** PyTorch rows for one case, in a fresh Python process right before Hippo's timings; [] when unavailable (said). */
function peers(cfg: object): PeerRow[] {
  const py = spawnSync(python, [script, JSON.stringify({ reps: 5, threads: [1, 2], ...cfg })], { encoding: 'utf8', timeout: 600_000 });
  if (py.error || py.status !== 0) {
    console.log(`PyTorch peer unavailable: '${python}' ${py.error ? `did not start (${py.error.message})` : `exited ${py.status}: ${py.stderr.trim().split('\n').pop()}`}`);
    return [];
  }
  const rows = py.stdout.trim().split('\n').filter((l) => l !== '').map((l) => JSON.parse(l));
  for (const r of rows) if (r.missing) console.log(`PyTorch peer skipped: ${r.missing} is not installed for '${python}' (${r.hint})`);
  return rows.filter((r) => !r.missing);
}

/** Median wall and process-CPU ms of each function, run round-robin (after `warmup` rounds) so load drift hits all alike. */
function interleaved(fns: (() => void)[], warmup: number, reps: number): { wall: number[]; cpu: number[] } {
  const t: { wall: number; cpu: number }[][] = fns.map(() => []);
  for (let round = 0; round < warmup + reps; round++)
    fns.forEach((fn, i) => {
      const c0 = process.cpuUsage();
      const w0 = performance.now();
      fn();
      const wall = performance.now() - w0;
      const c = process.cpuUsage(c0);
      if (round >= warmup) t[i].push({ wall, cpu: (c.user + c.system) / 1000 });
    });
  const med = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  return { wall: t.map((xs) => med(xs.map((x) => x.wall))), cpu: t.map((xs) => med(xs.map((x) => x.cpu))) };
}

/** A copy of each array in rt's memory. */
const inRt = (rt: WasmRuntime, xs: Float32Array[]) => xs.map((x) => rt.copyIn(x));

const runtimes = [WasmRuntime.create({ threads: 1 }), WasmRuntime.create({ threads: 2 })];
const rng = new Rng(1);
console.log(`load average (1/5/15 min) at start: ${load()}; cores: 2 expected`);

for (const [BH, L, hd] of CAUSAL) {
  const p: AttentionParams = { batchHeads: BH, length: L, headDim: hd, scale: 1 / Math.sqrt(hd) };
  const id = `${BH}x${L}x${hd}`;
  const n = BH * L * hd;
  const gflop = (2 * BH * L * L * hd) / 1e9; // causal forward: two half-masked L×L×hd products
  console.log(`\n## causal attention [BH, L, hd] = [${BH}, ${L}, ${hd}] (${gflop.toFixed(2)} GFLOP forward) — load ${load()}`);
  const [q, k, v, dout] = [0, 1, 2, 3].map(() => rng.fillNormal(new Float32Array(n)));
  const py = peers({ causal: [[BH, L, hd]], decode: [] });
  for (const r of py)
    console.log(`${r.impl} ${r.version} ${r.threads}t: fwd ${r.fwd_ms.toFixed(1)} ms, fwd+bwd ${r.fwdbwd_ms!.toFixed(1)} ms (CPU ${r.fwd_cpu_ms.toFixed(1)} / ${r.fwdbwd_cpu_ms!.toFixed(1)} ms)`);

  const impls = runtimes.map((rt) => {
    const [wq, wk, wv, wdout] = inRt(rt, [q, k, v, dout]);
    const [out, lse, dq, dk, dv] = [rt.allocF32(n), rt.allocF32(BH * L), rt.allocF32(n), rt.allocF32(n), rt.allocF32(n)];
    const fwd = () => causalAttentionForwardWasm(rt, out, lse, wq, wk, wv, p);
    const bwd = () => causalAttentionBackwardWasm(rt, dq, dk, dv, wdout, wq, wk, wv, out, lse, p);
    return { rt, fwd, fwdbwd: () => (fwd(), bwd()), out, grads: [dq, dk, dv] };
  });
  const f = interleaved(impls.map((m) => m.fwd), 1, 7);
  const fb = interleaved(impls.map((m) => m.fwdbwd), 1, 5);
  impls.forEach((m, i) =>
    console.log(
      `hippo wasm ${m.rt.threads}t: fwd ${f.wall[i].toFixed(1)} ms (${(gflop / f.wall[i] * 1e3).toFixed(1)} GFLOP/s), fwd+bwd ${fb.wall[i].toFixed(1)} ms (CPU ${f.cpu[i].toFixed(1)} / ${fb.cpu[i].toFixed(1)} ms)`,
    ),
  );

  let ref = { fwd: NaN, fwdbwd: NaN };
  if (withTsRef) {
    const [out, lse, dq, dk, dv] = [new Float32Array(n), new Float32Array(BH * L), new Float32Array(n), new Float32Array(n), new Float32Array(n)];
    const r = { warmup: 0, reps: 1 };
    ref = {
      fwd: await timeMs(() => causalAttentionForwardRef(out, lse, q, k, v, p), r),
      fwdbwd: NaN,
    };
    ref.fwdbwd = ref.fwd + (await timeMs(() => causalAttentionBackwardRef(dq, dk, dv, dout, q, k, v, out, lse, p), r));
    console.log(`ts-ref (TypeScript float64 loops, 1 thread): fwd ${ref.fwd.toFixed(0)} ms, fwd+bwd ${ref.fwdbwd.toFixed(0)} ms`);
    const errs = impls.map((m) => [relL2(m.out, out), ...m.grads.map((g, j) => relL2(g, [dq, dk, dv][j]))]);
    errs.forEach((e, i) => {
      const flag = e.some((x) => !(x <= 1e-5)) ? '  ** ABOVE 1e-5 **' : '';
      console.log(`  wasm ${runtimes[i].threads}t rel L2 vs ref: out ${e[0].toExponential(1)}, dq/dk/dv ${e.slice(1).map((x) => x.toExponential(1)).join('/')}${flag}`);
    });
  }
  for (const [dir, ms, cpu] of [
    ['fwd', f.wall, f.cpu],
    ['fwdbwd', fb.wall, fb.cpu],
  ] as const) {
    impls.forEach((m, i) => {
      const caseId = `wasm-attention-${dir}-${id}-t${m.rt.threads}`;
      if (withTsRef) benchLine(caseId, ms[i], 'ts-ref', ref[dir]);
      for (const r of py) benchLine(caseId, ms[i], `${r.impl}-t${r.threads}`, dir === 'fwd' ? r.fwd_ms : r.fwdbwd_ms!);
    });
    // one thread each, process CPU time: the comparison that survives a loaded machine
    const t1 = py.find((r) => r.threads === 1);
    if (t1) benchLine(`wasm-attention-${dir}-${id}-t1-cpu`, cpu[0], `${t1.impl}-t1-cpu`, dir === 'fwd' ? t1.fwd_cpu_ms : t1.fwdbwd_cpu_ms!);
  }
  for (const m of impls) for (const x of [m.out, ...m.grads]) m.rt.free(x);
}

for (const [B, H, M, hd] of DECODE) {
  const p: DecodeParams = { batch: B, heads: H, maxLength: M, headDim: hd, scale: 1 / Math.sqrt(hd) };
  const id = `${B}x${H}x${M}x${hd}`;
  console.log(`\n## decode one token over a full KV cache [B, heads, cache, hd] = [${B}, ${H}, ${M}, ${hd}] — load ${load()}`);
  const q = rng.fillNormal(new Float32Array(B * H * hd));
  const [kc, vc] = [0, 1].map(() => rng.fillNormal(new Float32Array(B * H * M * hd)));
  const lengths = new Int32Array(B).fill(M);
  const py = peers({ causal: [], decode: [[B, H, M, hd]] });
  for (const r of py) console.log(`${r.impl} ${r.version} ${r.threads}t: ${r.fwd_ms.toFixed(3)} ms (CPU ${r.fwd_cpu_ms.toFixed(3)} ms)`);
  const impls = runtimes.map((rt) => {
    const [wq, wk, wv] = inRt(rt, [q, kc, vc]);
    const wl = rt.allocI32(B);
    wl.set(lengths);
    const out = rt.allocF32(B * H * hd);
    return { rt, run: () => attentionDecodeWasm(rt, out, wq, wk, wv, wl, p), out };
  });
  // one runtime after the other: interleaving would alternate two 9 MiB copies of the caches through the
  // last-level cache, which a decoding loop (and PyTorch's timing of one copy) does not do
  const byRt = impls.map((m) => interleaved([m.run], 5, 41));
  const t = { wall: byRt.map((x) => x.wall[0]), cpu: byRt.map((x) => x.cpu[0]) };
  const ref = new Float32Array(B * H * hd);
  const refMs = await timeMs(() => attentionDecodeRef(ref, q, kc, vc, lengths, p), { warmup: 1, reps: 5 });
  impls.forEach((m, i) => console.log(`hippo wasm ${m.rt.threads}t: ${t.wall[i].toFixed(3)} ms (CPU ${t.cpu[i].toFixed(3)} ms), rel L2 vs ref ${relL2(m.out, ref).toExponential(1)}`));
  console.log(`ts-ref: ${refMs.toFixed(3)} ms`);
  // what stays on the references in a decoding step: writing the new k and v into the caches, rotary on q and k
  const cacheMs = await timeMs(() => (kvCacheWriteRef(kc, q, new Int32Array(B), p), kvCacheWriteRef(vc, q, new Int32Array(B), p)), { warmup: 10, reps: 101 });
  const rot = { batch: B, length: 1, heads: H, headDim: hd, rotaryDim: hd, base: 10000, offset: M - 1 };
  const rotOut = new Float32Array(B * H * hd);
  const rotMs = await timeMs(() => (rotaryRef(rotOut, q, rot), rotaryRef(rotOut, q, rot)), { warmup: 10, reps: 101 });
  console.log(`left on the references per step: kvCacheWrite k+v ${cacheMs.toFixed(4)} ms, rotary q+k ${rotMs.toFixed(4)} ms`);
  impls.forEach((m, i) => {
    const caseId = `wasm-attention-decode-${id}-t${m.rt.threads}`;
    benchLine(caseId, t.wall[i], 'ts-ref', refMs);
    for (const r of py) benchLine(caseId, t.wall[i], `${r.impl}-t${r.threads}`, r.fwd_ms);
  });
  const t1 = py.find((r) => r.threads === 1);
  if (t1) benchLine(`wasm-attention-decode-${id}-t1-cpu`, t.cpu[0], `${t1.impl}-t1-cpu`, t1.fwd_cpu_ms);
}

// rotary over a whole prompt, for scale against the attention it feeds (same [12 heads, 64] at L = 2048)
const rp = { batch: 1, length: 2048, heads: 12, headDim: 64, rotaryDim: 64, base: 10000, offset: 0 };
const rx = rng.fillNormal(new Float32Array(2048 * 12 * 64));
const rotPromptMs = await timeMs(() => rotaryRef(new Float32Array(rx.length), rx, rp), { warmup: 1, reps: 5 });
console.log(`\nrotary reference on q or k of a 2048-token prompt (12 heads × 64): ${rotPromptMs.toFixed(1)} ms`);
await Promise.all(runtimes.map((rt) => rt.dispose()));
console.log(`load average at end: ${load()}`);
