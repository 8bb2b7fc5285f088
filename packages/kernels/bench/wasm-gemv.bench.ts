// Decode-sized f32 matmul on the WebAssembly CPU runtime: the small-M path (B read once in place) against the
// packed path (B packed into panels on every call, then the 4×8 tiles), both timed in the same run on the same
// inputs, 1 and 2 threads. Shapes K×N of token-by-token generation, weights stored [N, K] (nn.Linear, transB)
// and for the first two also [K, N]: h3-125m Wqkv 768×2304, fc2 3072×768, the tied LM head 768×50264, and
// h3-tiny's head 128×50264; M = 1 (batch 1), then a sweep over M that sets SMALL_M_MAX (matmul.wasm.ts).
// Run: cd packages/kernels && pnpm bench gemv   (quiet machine: see the load average printed first)
import { loadavg } from 'node:os';
import { benchLine } from '@hippo/tooling/bench';
import type { MatmulParams } from '../src/ops/matmul/matmul.ref.js';
import { matmulWasmPath, type MatmulWasmPath } from '../src/ops/matmul/matmul.wasm.js';
import { Rng } from '../src/util/rng.js';
import { WasmRuntime } from '../src/wasm/runtime.js';

interface Case {
  id: string;
  K: number;
  N: number;
  transB: boolean;
}
const CASES: Case[] = [
  { id: 'wqkv-768x2304', K: 768, N: 2304, transB: true },
  { id: 'wqkv-768x2304-nt', K: 768, N: 2304, transB: false },
  { id: 'fc2-3072x768', K: 3072, N: 768, transB: true },
  { id: 'fc2-3072x768-nt', K: 3072, N: 768, transB: false },
  { id: 'head-768x50264', K: 768, N: 50264, transB: true },
  { id: 'tiny-head-128x50264', K: 128, N: 50264, transB: true },
];
/** Rows of the threshold sweep, on the first four shapes with 2 threads. */
const SWEEP_M = [2, 4, 6, 8, 10, 12, 16];
const THREADS = [1, 2];
/** Timed runs per path: enough for a stable median on the ~0.1 ms shapes, ~2 s in all on the heads. */
const repsFor = (flops: number) => Math.max(5, Math.min(200, Math.round(2e9 / Math.max(flops, 1) / 10)));

/**
 * Median ms of `reps` runs of each path after one warm-up each, the two paths alternating run by run so that
 * a change in the machine's load hits both alike.
 */
function timePaths(fns: Record<'packed' | 'small', () => void>, reps: number): { packed: number; small: number } {
  fns.packed();
  fns.small();
  const t: { packed: number[]; small: number[] } = { packed: [], small: [] };
  for (let i = 0; i < reps; i++)
    for (const k of ['packed', 'small'] as const) {
      const t0 = performance.now();
      fns[k]();
      t[k].push(performance.now() - t0);
    }
  const median = (xs: number[]) => xs.sort((x, y) => x - y)[Math.floor(xs.length / 2)];
  return { packed: median(t.packed), small: median(t.small) };
}

/** Times both paths on one shape; the inputs live in rt's memory only for this call. */
function measure(rt: WasmRuntime, rng: Rng, p: MatmulParams): { packed: number; small: number } {
  const [a, b, out] = [rt.allocF32(p.M * p.K), rt.allocF32(p.K * p.N), rt.allocF32(p.M * p.N)];
  rng.fillNormal(a);
  rng.fillNormal(b);
  const go = (path: MatmulWasmPath) => () => matmulWasmPath(rt, out, a, b, null, p, path);
  const times = timePaths({ packed: go('packed'), small: go('small-m') }, repsFor(2 * p.M * p.N * p.K));
  for (const v of [a, b, out]) rt.free(v);
  return times;
}

const gflops = (p: MatmulParams, ms: number) => (2 * p.M * p.N * p.K) / ms / 1e6;
const load = () => loadavg().map((l) => l.toFixed(2)).join(' ');

console.log(`load average (1/5/15 min): ${load()}; cores: 2 expected`);
const rng = new Rng(1);
const runtimes = THREADS.map((threads) => WasmRuntime.create({ threads }));
for (const { id, K, N, transB } of CASES) {
  const p: MatmulParams = { batch: 1, M: 1, N, K, transA: false, transB };
  for (const rt of runtimes) {
    const { packed, small } = measure(rt, rng, p);
    benchLine(`wasm-gemv-${id}-m1-t${rt.threads}`, small, 'packed', packed);
    console.log(`  M=1 K=${K} N=${N}${transB ? ' transB' : ''}, ${rt.threads} thread(s): small-M ${gflops(p, small).toFixed(2)} GFLOP/s, packed ${gflops(p, packed).toFixed(2)}`);
  }
}
console.log(`threshold sweep (2 threads): packed ms / small-M ms by M`);
const rt2 = runtimes[THREADS.indexOf(2)];
for (const { id, K, N, transB } of CASES.slice(0, 4)) {
  const cells = SWEEP_M.map((M) => {
    const { packed, small } = measure(rt2, rng, { batch: 1, M, N, K, transA: false, transB });
    return `M=${M} ${(packed / small).toFixed(2)}`;
  });
  console.log(`  ${id}: ${cells.join(', ')}`);
}
await Promise.all(runtimes.map((rt) => rt.dispose()));
console.log(`load average after: ${load()}`);
