// f32 matmul on the WebAssembly CPU runtime (1 and 2 threads) against, in the same run, the TypeScript
// reference (matmulRef) and Debian's numpy and PyTorch (bench/peers/matmul_peer.py, where installed).
// Shapes: 256³, 512³, 1024³ and the tied LM head (M = 2048 tokens, K = 128, N = 50257, b stored [N, K]).
// Run: cd packages/kernels && pnpm bench wasm-matmul   (quiet machine: see the load average printed first)
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { benchLine, timeMs } from '@hippo/tooling/bench';
import { matmulRef, type MatmulParams } from '../src/ops/matmul/matmul.ref.js';
import { matmulWasm } from '../src/ops/matmul/matmul.wasm.js';
import { Rng } from '../src/util/rng.js';
import { WasmRuntime } from '../src/wasm/runtime.js';

interface Case {
  id: string;
  p: MatmulParams;
  reps: number;
  /** Repetitions of the TypeScript reference (seconds per run at the large shapes). */
  refReps: number;
}
const square = (n: number, reps: number, refReps: number): Case => ({
  id: `${n}`,
  p: { batch: 1, M: n, N: n, K: n, transA: false, transB: false },
  reps,
  refReps,
});
const CASES: Case[] = [
  square(256, 15, 5),
  square(512, 9, 3),
  square(1024, 5, 1),
  { id: 'lm-head', p: { batch: 1, M: 2048, N: 50257, K: 128, transA: false, transB: true }, reps: 3, refReps: 1 },
];
const THREADS = [1, 2];
const PYTHON = '/usr/bin/python3'; // Debian's, with python3-numpy / python3-torch from apt
const peerScript = fileURLToPath(new URL('./peers/matmul_peer.py', import.meta.url));

interface Peer {
  numpy_ms: number | null;
  torch_ms: number | null;
  blas: string | null;
  torch_blas: string | null;
}
function peer(p: MatmulParams, reps: number, threads: number): Peer | null {
  if (!existsSync(PYTHON)) return null;
  const out = execFileSync(PYTHON, [peerScript, ...[p.M, p.N, p.K, +p.transB, reps, threads].map(String)], { encoding: 'utf8' });
  return JSON.parse(out.trim().split('\n').pop()!) as Peer;
}

const gflops = (p: MatmulParams, ms: number) => (2 * p.batch * p.M * p.N * p.K) / ms / 1e6;

/** Median and best of `reps` timed runs after one warm-up: the best shows what the kernel does when the
 * shared machine leaves it both cores, the median (the BENCH line) what a user saw in this run. */
function medianAndBest(fn: () => void, reps: number): { median: number; best: number } {
  fn();
  const times: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    fn();
    times.push(performance.now() - t0);
  }
  times.sort((x, y) => x - y);
  return { median: times[Math.floor(reps / 2)], best: times[0] };
}
console.log(`load average (1/5/15 min): ${loadavg().map((l) => l.toFixed(2)).join(' ')}; cores: 2 expected`);
const rng = new Rng(1);
const said = new Set<string>();
for (const { id, p, reps, refReps } of CASES) {
  const { M, N, K } = p;
  const a = rng.fillNormal(new Float32Array(M * K));
  const b = rng.fillNormal(new Float32Array(K * N));
  const out = new Float32Array(M * N);
  const refMs = await timeMs(() => matmulRef(out, a, b, null, p), { warmup: 0, reps: refReps });
  console.log(`matmul ${id} [M=${M}, N=${N}, K=${K}${p.transB ? ', transB' : ''}]: ts-ref ${gflops(p, refMs).toFixed(2)} GFLOP/s`);
  for (const threads of THREADS) {
    const rt = WasmRuntime.create({ threads });
    const [wa, wb, wout] = [rt.copyIn(a), rt.copyIn(b), rt.allocF32(out.length)];
    const { median: ms, best } = medianAndBest(() => matmulWasm(rt, wout, wa, wb, null, p), reps);
    await rt.dispose();
    const caseId = `wasm-matmul-${id}-t${threads}`;
    let line = `  wasm ${threads} thread(s): ${gflops(p, ms).toFixed(1)} GFLOP/s (best run ${gflops(p, best).toFixed(1)})`;
    benchLine(caseId, ms, 'ts-ref', refMs);
    const peers = peer(p, reps, threads);
    if (!peers) {
      if (!said.has('python')) console.log(`  (no ${PYTHON}: numpy/PyTorch peers skipped)`);
      said.add('python');
    } else {
      if (peers.numpy_ms !== null) {
        benchLine(caseId, ms, `numpy-t${threads}`, peers.numpy_ms);
        line += `, numpy ${gflops(p, peers.numpy_ms).toFixed(1)}`;
      } else if (!said.has('numpy')) console.log('  (python3-numpy not installed: apt-get install python3-numpy)');
      if (peers.torch_ms !== null) {
        benchLine(caseId, ms, `torch-t${threads}`, peers.torch_ms);
        line += `, torch ${gflops(p, peers.torch_ms).toFixed(1)}`;
      } else if (!said.has('torch')) console.log('  (python3-torch not installed: apt-get install python3-torch)');
      if (!said.has('blas') && peers.blas) console.log(`  numpy BLAS: ${peers.blas}; torch BLAS_INFO=${peers.torch_blas}`);
      said.add('blas').add('numpy').add('torch');
    }
    console.log(line);
  }
}
console.log(`load average after: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
