// Fused flash-style causal attention (forward, and forward + backward) on WebGPU vs the naive composition
// with the existing kernels that materialises the BH×L×L scores: matmul Q Kᵀ, scale, + causal mask, softmax,
// matmul P V (backward: matmuls for dP, dV, dQ, dK around softmaxBackward), in the same run.
// Run: cd packages/kernels && LP_NUM_THREADS=2 pnpm bench attention
import { benchLine, timeMs } from '@hippo/tooling/bench';
import { GpuContext } from '../src/runtime/gpu-context.js';
import { causalAttentionBackward, causalAttentionForward } from '../src/ops/attention/attention.js';
import { attentionTiles } from '../src/ops/attention/tiles.js';
import { planBroadcast } from '../src/ops/binary/broadcast.js';
import { binary } from '../src/ops/binary/binary.js';
import { matmul } from '../src/ops/matmul/matmul.js';
import { softmaxBackward, softmaxForward } from '../src/ops/softmax/softmax.js';
import { unary } from '../src/ops/unary/unary.js';
import { Rng } from '../src/util/rng.js';

// [BH, L, hd]: seconds on lavapipe; the 1.3B model's heads are 128 wide, the 125M's 64
const CASES: [number, number, number][] = [
  [4, 256, 64],
  [4, 512, 64],
  [2, 1024, 64],
  [2, 512, 128],
];

const ctx = await GpuContext.create();
console.log(`adapter: ${ctx.describe()}`);
const rng = new Rng(1);
for (const [BH, L, hd] of CASES) {
  const p = { batchHeads: BH, length: L, headDim: hd, scale: 1 / Math.sqrt(hd) };
  const n = BH * L * hd;
  const buf = (count: number, fill = true) => {
    const b = ctx.acquire(count * 4);
    if (fill) ctx.upload(b, rng.fillNormal(new Float32Array(count)));
    return b;
  };
  const [q, k, v, dout] = [buf(n), buf(n), buf(n), buf(n)];
  const [out, lse, dq, dk, dv] = [buf(n, false), buf(BH * L, false), buf(n, false), buf(n, false), buf(n, false)];
  // naive: scores and probabilities [BH, L, L], the causal mask [1, L, L] (−1e30 above the diagonal)
  const mask = new Float32Array(L * L);
  for (let i = 0; i < L; i++) for (let j = i + 1; j < L; j++) mask[i * L + j] = -1e30;
  const [s, s2, probs, dp, ds] = [buf(BH * L * L, false), buf(BH * L * L, false), buf(BH * L * L, false), buf(BH * L * L, false), buf(BH * L * L, false)];
  const maskBuf = ctx.acquire(mask.byteLength);
  ctx.upload(maskBuf, mask);
  const plan = planBroadcast('add', [BH, L, L], [1, L, L]);
  const mm = (o: GPUBuffer, a: GPUBuffer, b: GPUBuffer, M: number, N: number, K: number, transA: boolean, transB: boolean) =>
    matmul(ctx, o, a, b, null, { batch: BH, M, N, K, transA, transB });
  const naiveForward = () => {
    mm(s, q, k, L, L, hd, false, true);
    unary(ctx, 'scale', s2, s, { n: BH * L * L, alpha: p.scale });
    binary(ctx, 'add', s, s2, maskBuf, plan);
    softmaxForward(ctx, probs, s, { rows: BH * L, dim: L });
    mm(out, probs, v, L, hd, L, false, false);
  };
  const naiveBackward = () => {
    mm(dp, dout, v, L, L, hd, false, true);
    mm(dv, probs, dout, L, hd, L, true, false);
    softmaxBackward(ctx, s, probs, dp, { rows: BH * L, dim: L });
    unary(ctx, 'scale', ds, s, { n: BH * L * L, alpha: p.scale });
    mm(dq, ds, k, L, hd, L, false, false);
    mm(dk, ds, q, L, hd, L, true, false);
  };
  const fusedForward = () => causalAttentionForward(ctx, out, lse, q, k, v, p);
  const fusedBackward = () => causalAttentionBackward(ctx, dq, dk, dv, dout, q, k, v, out, lse, p);
  const timed = (fn: () => void) =>
    timeMs(
      async () => {
        fn();
        await ctx.sync();
      },
      { warmup: 1, reps: 3 },
    );
  const id = `attention-bh${BH}-l${L}-hd${hd}`;
  const t = attentionTiles(ctx, hd);
  const fwd = await timed(fusedForward);
  const naiveFwd = await timed(naiveForward);
  // causal flops actually needed: Q Kᵀ and P V over the lower triangle, 2·BH·L²·hd
  console.log(`${id} (BR ${t.br}, BC ${t.bc}): fused forward ${((2 * BH * L * L * hd) / fwd / 1e6).toFixed(2)} GFLOP/s (causal flops)`);
  benchLine(`${id}-forward`, fwd, 'naive-materialised', naiveFwd);
  const both = await timed(() => {
    fusedForward();
    fusedBackward();
  });
  const naiveBoth = await timed(() => {
    naiveForward();
    naiveBackward();
  });
  benchLine(`${id}-fwd-bwd`, both, 'naive-materialised', naiveBoth);
  for (const b of [q, k, v, dout, out, lse, dq, dk, dv, s, s2, probs, dp, ds, maskBuf]) ctx.release(b);
}
ctx.destroy();
