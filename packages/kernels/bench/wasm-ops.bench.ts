// The non-matmul hot ops of a training step on the WebAssembly CPU runtime (1 and 2 threads) against the
// TypeScript references, in the same run, at the sizes of a small LM step (2048 tokens, width 512, GPT-2 vocab).
// Run: cd packages/kernels && pnpm bench wasm-ops
import { loadavg } from 'node:os';
import { benchLine, timeMs } from '@hippo/tooling/bench';
import { adamwRef } from '../src/ops/adamw/adamw.ref.js';
import { adamwWasm } from '../src/ops/adamw/adamw.wasm.js';
import { binaryRef } from '../src/ops/binary/binary.ref.js';
import { binaryWasm } from '../src/ops/binary/binary.wasm.js';
import { planBroadcast } from '../src/ops/binary/broadcast.js';
import { crossEntropyBackwardRef, crossEntropyForwardRef } from '../src/ops/cross-entropy/cross-entropy.ref.js';
import { crossEntropyBackwardWasm, crossEntropyForwardWasm } from '../src/ops/cross-entropy/cross-entropy.wasm.js';
import { layerNormBackwardRef, layerNormForwardRef } from '../src/ops/layernorm/layernorm.ref.js';
import { layerNormBackwardWasm, layerNormForwardWasm } from '../src/ops/layernorm/layernorm.wasm.js';
import { reduceRef } from '../src/ops/reduce/reduce.ref.js';
import { reduceWasm } from '../src/ops/reduce/reduce.wasm.js';
import { softmaxForwardRef } from '../src/ops/softmax/softmax.ref.js';
import { softmaxForwardWasm } from '../src/ops/softmax/softmax.wasm.js';
import { unaryBackwardRef, unaryRef } from '../src/ops/unary/unary.ref.js';
import { unaryBackwardWasm, unaryWasm } from '../src/ops/unary/unary.wasm.js';
import { Rng } from '../src/util/rng.js';
import { WasmRuntime } from '../src/wasm/runtime.js';

const T = 2048; // tokens per step
const D = 512; // model width
const V = 50257; // GPT-2 vocabulary
const rng = new Rng(2);
const normal = (n: number) => rng.fillNormal(new Float32Array(n));

/** One op: the reference on JS arrays and the WebAssembly version on copies in rt, each as a closure. */
interface Op {
  id: string;
  ref: () => void;
  wasm: (rt: WasmRuntime) => () => void;
  reps: number;
}

const ffn = normal(T * 4 * D); // an MLP hidden activation
const dFfn = normal(T * 4 * D);
const act = normal(T * D);
const dAct = normal(T * D);
const w = normal(D);
const b = normal(D);
const logits = normal(T * V);
const targets = Int32Array.from({ length: T }, () => rng.int(V));
const dLoss = new Float32Array(T).fill(1 / T);
const params = normal(4 << 20);
const grads = normal(4 << 20);
const attn = normal(8 * 256 * 256); // heads × T × T scores of one sequence

const OPS: Op[] = [
  {
    id: `gelu-fwd-bwd-${T}x${4 * D}`,
    reps: 5,
    ref: () => {
      const y = new Float32Array(ffn.length);
      unaryRef('gelu', y, ffn, { n: ffn.length });
      unaryBackwardRef('gelu', new Float32Array(ffn.length), ffn, y, dFfn, { n: ffn.length });
    },
    wasm: (rt) => {
      const [x, dy, y, dx] = [rt.copyIn(ffn), rt.copyIn(dFfn), rt.allocF32(ffn.length), rt.allocF32(ffn.length)];
      return () => {
        unaryWasm(rt, 'gelu', y, x, { n: x.length });
        unaryBackwardWasm(rt, 'gelu', dx, x, y, dy, { n: x.length });
      };
    },
  },
  {
    id: `layernorm-fwd-bwd-${T}x${D}`,
    reps: 7,
    ref: () => {
      const [out, mean, rstd] = [new Float32Array(T * D), new Float32Array(T), new Float32Array(T)];
      const p = { rows: T, dim: D, eps: 1e-5 };
      layerNormForwardRef(out, mean, rstd, act, w, b, p);
      layerNormBackwardRef(new Float32Array(T * D), new Float32Array(D), new Float32Array(D), dAct, act, w, mean, rstd, p);
    },
    wasm: (rt) => {
      const [x, dy, ww, bb] = [rt.copyIn(act), rt.copyIn(dAct), rt.copyIn(w), rt.copyIn(b)];
      const [out, mean, rstd, dx, dw, db] = [rt.allocF32(T * D), rt.allocF32(T), rt.allocF32(T), rt.allocF32(T * D), rt.allocF32(D), rt.allocF32(D)];
      const p = { rows: T, dim: D, eps: 1e-5 };
      return () => {
        layerNormForwardWasm(rt, out, mean, rstd, x, ww, bb, p);
        layerNormBackwardWasm(rt, dx, dw, db, dy, x, ww, mean, rstd, p);
      };
    },
  },
  {
    id: `softmax-fwd-8x256x256`,
    reps: 7,
    ref: () => softmaxForwardRef(new Float32Array(attn.length), attn, { rows: 8 * 256, dim: 256 }),
    wasm: (rt) => {
      const [x, y] = [rt.copyIn(attn), rt.allocF32(attn.length)];
      return () => softmaxForwardWasm(rt, y, x, { rows: 8 * 256, dim: 256 });
    },
  },
  {
    id: `cross-entropy-fwd-bwd-${T}x${V}`,
    reps: 3,
    ref: () => {
      const p = { rows: T, vocab: V };
      crossEntropyForwardRef(new Float32Array(T), logits, targets, p);
      crossEntropyBackwardRef(new Float32Array(T * V), logits, targets, dLoss, p);
    },
    wasm: (rt) => {
      const [l, t, dl, losses, dlogits] = [rt.copyIn(logits), rt.copyIn(targets), rt.copyIn(dLoss), rt.allocF32(T), rt.allocF32(T * V)];
      const p = { rows: T, vocab: V };
      return () => {
        crossEntropyForwardWasm(rt, losses, l, t, p);
        crossEntropyBackwardWasm(rt, dlogits, l, t, dl, p);
      };
    },
  },
  {
    id: `bias-add-${T}x${D}`,
    reps: 9,
    ref: () => binaryRef('add', new Float32Array(T * D), act, b, planBroadcast('add', [T, D], [D])),
    wasm: (rt) => {
      const [x, bb, out] = [rt.copyIn(act), rt.copyIn(b), rt.allocF32(T * D)];
      const plan = planBroadcast('add', [T, D], [D]);
      return () => binaryWasm(rt, 'add', out, x, bb, plan);
    },
  },
  {
    id: `bias-grad-sum-${T}x${D}`,
    reps: 9,
    ref: () => reduceRef('sum', new Float32Array(D), dAct, { outer: 1, n: T, inner: D }),
    wasm: (rt) => {
      const [x, out] = [rt.copyIn(dAct), rt.allocF32(D)];
      return () => reduceWasm(rt, 'sum', out, x, { outer: 1, n: T, inner: D });
    },
  },
  {
    id: `adamw-4M`,
    reps: 5,
    ref: () => {
      const p = { n: params.length, lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.1, step: 1, gradScale: 1 };
      adamwRef(params.slice(), grads, new Float32Array(params.length), new Float32Array(params.length), p);
    },
    wasm: (rt) => {
      const [pp, g, m, v] = [rt.copyIn(params), rt.copyIn(grads), rt.allocF32(params.length), rt.allocF32(params.length)];
      const p = { n: params.length, lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.1, step: 1, gradScale: 1 };
      return () => adamwWasm(rt, pp, g, m, v, p);
    },
  },
];

console.log(`load average (1/5/15 min): ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
const runtimes = [WasmRuntime.create({ threads: 1 }), WasmRuntime.create({ threads: 2 })];
for (const op of OPS) {
  const refMs = await timeMs(op.ref, { warmup: 1, reps: Math.max(1, Math.floor(op.reps / 2)) });
  for (const rt of runtimes) {
    const ms = await timeMs(op.wasm(rt), { warmup: 1, reps: op.reps });
    benchLine(`wasm-${op.id}-t${rt.threads}`, ms, 'ts-ref', refMs);
  }
}
await Promise.all(runtimes.map((rt) => rt.dispose()));
console.log(`load average after: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
