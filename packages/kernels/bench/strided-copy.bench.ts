// Strided copy on the WebAssembly CPU runtime (1 and 2 threads) against, in the same run, the TypeScript
// reference running on the same views of WebAssembly memory — the measurement behind having a kernel at all
// (the copy is memory-bound, so a plain loop could have been close). Shapes from H3 and attention at
// B = 4, L = 1024, D = 768, 12 heads of 64.
// Run: cd packages/kernels && pnpm bench strided-copy
import { loadavg } from 'node:os';
import { benchLine, timeMs } from '@hippo/tooling/bench';
import { contiguousStrides, simplifyStridedCopy, type StridedCopyParams } from '../src/ops/strided-copy/plan.js';
import { stridedCopyRef } from '../src/ops/strided-copy/strided-copy.ref.js';
import { stridedCopyWasm } from '../src/ops/strided-copy/strided-copy.wasm.js';
import { Rng } from '../src/util/rng.js';
import { WasmRuntime } from '../src/wasm/runtime.js';

const [B, L, D, H] = [4, 1024, 768, 12];
const hd = D / H;

function permuteCopy(shape: number[], perm: number[]): StridedCopyParams {
  const xs = contiguousStrides(shape);
  const out = perm.map((d) => shape[d]);
  return simplifyStridedCopy({ shape: out, srcOffset: 0, srcStrides: perm.map((d) => xs[d]), dstOffset: 0, dstStrides: contiguousStrides(out) });
}

const CASES: { id: string; p: StridedCopyParams; srcLength: number; dstLength: number }[] = [
  // H3: [B, L, D] → [B, D, L] before the long convolution
  { id: `transpose-BLD-${B}x${L}x${D}`, p: permuteCopy([B, L, D], [0, 2, 1]), srcLength: B * L * D, dstLength: B * L * D },
  // attention: [B, L, H, hd] → [B, H, L, hd] (runs of hd contiguous elements)
  { id: `split-heads-${B}x${L}x${H}x${hd}`, p: permuteCopy([B, L, H, hd], [0, 2, 1, 3]), srcLength: B * L * D, dstLength: B * L * D },
  // concat / cache: [B, L, D] written into [B, 2L, D] at position L (runs of L·D)
  {
    id: `write-window-${B}x${L}x${D}`,
    p: simplifyStridedCopy({ shape: [B, L, D], srcOffset: 0, srcStrides: contiguousStrides([B, L, D]), dstOffset: L * D, dstStrides: contiguousStrides([B, 2 * L, D]) }),
    srcLength: B * L * D,
    dstLength: 2 * B * L * D,
  },
];

console.log(`load average (1/5/15 min): ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
const rng = new Rng(3);
const runtimes = [WasmRuntime.create({ threads: 1 }), WasmRuntime.create({ threads: 2 })];
for (const c of CASES) {
  const [rt1] = runtimes;
  const src = rng.fillNormal(rt1.allocF32(c.srcLength));
  const dst = rt1.allocF32(c.dstLength);
  const refMs = await timeMs(() => stridedCopyRef(dst, src, c.p), { warmup: 1, reps: 7 });
  for (const rt of runtimes) {
    const [s, d] = [rt.allocF32(c.srcLength), rt.allocF32(c.dstLength)];
    s.set(src);
    const ms = await timeMs(() => stridedCopyWasm(rt, d, s, c.p), { warmup: 1, reps: 7 });
    const gbs = ((8 * c.p.shape.reduce((a, b) => a * b, 1)) / ms / 1e6).toFixed(2);
    console.log(`${c.id} t${rt.threads}: ${gbs} GB/s read+written`);
    benchLine(`wasm-strided-copy-${c.id}-t${rt.threads}`, ms, 'ts-ref-on-wasm-views', refMs);
  }
}
await Promise.all(runtimes.map((rt) => rt.dispose()));
console.log(`load average after: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
