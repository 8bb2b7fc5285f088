// One generation step of H3's two SSMs (diagonal: N2 = 32 complex modes; shift: N = 64 taps) at H3-125M width
// d = 768, batch 1 and 8: the fused kernels (one dispatch per SSM: diagSsmStep + shiftSsmStep) against the
// same step composed of the engine's elementwise / reduce kernels (what the tensor ops would record without
// the fused kernels: 22 dispatches / calls, state kept as separate re and im planes, the shift done as a copy
// of the whole history one slot along, a mask and an add), on webgpu (both layouts of the fused kernels,
// see src/ops/ssm-step/step-layout.ts) and on the cpu (fused: the TypeScript
// references on WebAssembly memory, as the cpu backend runs them; unfused: the WebAssembly SIMD kernels).
// Both paths are checked against each other before timing (relative L2 ≤ 1e-5 on y, else the run fails).
// Run: cd packages/kernels && LP_NUM_THREADS=2 pnpm bench ssm-step
import { benchLine, timeMs } from '@hippo/tooling/bench';
import { binary } from '../src/ops/binary/binary.js';
import { binaryWasm } from '../src/ops/binary/binary.wasm.js';
import { planBroadcast, type BroadcastPlan } from '../src/ops/binary/broadcast.js';
import { reduce } from '../src/ops/reduce/reduce.js';
import { reduceWasm } from '../src/ops/reduce/reduce.wasm.js';
import { diagSsmState, diagSsmStep } from '../src/ops/ssm-step/diag-step.js';
import { diagSsmStateRef, diagSsmStepRef } from '../src/ops/ssm-step/diag-step.ref.js';
import { shiftSsmStep } from '../src/ops/ssm-step/shift-step.js';
import { shiftSsmStepRef } from '../src/ops/ssm-step/shift-step.ref.js';
import { unary } from '../src/ops/unary/unary.js';
import { unaryWasm } from '../src/ops/unary/unary.wasm.js';
import { GpuContext } from '../src/runtime/gpu-context.js';
import { relL2 } from '../src/testing/index.js';
import { Rng } from '../src/util/rng.js';
import { WasmRuntime } from '../src/wasm/runtime.js';

const [H, N2, N] = [768, 32, 64];
const STEPS = 16; // steps per timed repetition (webgpu: then one wait for the queue)

/** The primitive kernels the unfused step is written in, on buffers of type T. */
interface Prims<T> {
  alloc(n: number): T;
  upload(data: Float32Array): T;
  binary(op: 'add' | 'sub' | 'mul', out: T, a: T, b: T, plan: BroadcastPlan): void;
  /** out [outer] = Σ over the last axis of x [outer, n]. */
  sum(out: T, x: T, outer: number, n: number): void;
  scale(out: T, x: T, alpha: number, n: number): void;
  /** dst[i + 1] = src[i] for i < n − 1 (the whole history one slot along; slot 0 of each row is masked after). */
  shiftCopy(dst: T, src: T, n: number): void;
  read(x: T, n: number): Promise<Float32Array>;
}

/** Random inputs of one step at batch B: an SSM drawn like H3's (|Ā| in [0.9, 0.9999]) and a random state. */
function inputs(B: number) {
  const rng = new Rng(B);
  const A = new Float32Array(H * N2 * 2);
  for (let i = 0; i < H * N2; i++) {
    const [r, th] = [0.9 + 0.0999 * rng.uniform(), Math.PI * rng.uniform()];
    [A[2 * i], A[2 * i + 1]] = [r * Math.cos(th), r * Math.sin(th)];
  }
  const n = (len: number, std = 1) => rng.fillNormal(new Float32Array(len), 0, std);
  return { A, W: n(H * N2 * 2, 0.05), D: n(H), state: n(B * H * N2 * 2), z: n(B * H), kernel: n(H * N, 0.125), DK: n(H), stateK: n(B * H * N), k: n(B * H) };
}
type Inputs = ReturnType<typeof inputs>;

/** Even (re) or odd (im) entries of interleaved complex values. */
const part = (x: Float32Array, im: number) => Float32Array.from({ length: x.length / 2 }, (_, i) => x[2 * i + im]);

/** The unfused step: returns a closure running one step (state ping-pongs between two sets of planes) and its outputs. */
function unfused<T>(P: Prims<T>, B: number, x: Inputs): { step: () => void; y: T; yk: T } {
  const [R, S] = [B * H, B * H * N];
  const [Ar, Ai, Wr, Wi] = [P.upload(part(x.A, 0)), P.upload(part(x.A, 1)), P.upload(part(x.W, 0)), P.upload(part(x.W, 1))];
  const [D, DK, kernel, z, k] = [P.upload(x.D), P.upload(x.DK), P.upload(x.kernel), P.upload(x.z), P.upload(x.k)];
  const mask = P.upload(Float32Array.from({ length: N }, (_, j) => (j === 0 ? 0 : 1)));
  const e0 = P.upload(Float32Array.from({ length: N }, (_, j) => (j === 0 ? 1 : 0)));
  let [sr, si] = [P.upload(part(x.state, 0)), P.upload(part(x.state, 1))];
  let [sr2, si2] = [P.alloc(R * N2), P.alloc(R * N2)];
  let [hist, hist2] = [P.upload(x.stateK), P.alloc(S)];
  const [t1, t2, t3] = [P.alloc(S), P.alloc(S), P.alloc(S)];
  const [r, r2, dz, y, yk] = [P.alloc(R), P.alloc(R), P.alloc(R), P.alloc(R), P.alloc(R)];
  const modes = planBroadcast('mul', [H, N2], [B, H, N2]);
  const same = planBroadcast('add', [B, H, N2], [B, H, N2]);
  const col = planBroadcast('add', [B, H, N2], [B, H, 1]);
  const rows = planBroadcast('mul', [H], [B, H]);
  const flat = planBroadcast('add', [B, H], [B, H]);
  const taps = planBroadcast('mul', [B, H, N], [N]);
  const tapCol = planBroadcast('mul', [B, H, 1], [N]);
  const tapSame = planBroadcast('add', [B, H, N], [B, H, N]);
  const kernelPlan = planBroadcast('mul', [H, N], [B, H, N]);
  const step = () => {
    // diagonal SSM: s' = Ā s + z by planes, y = 2·Σ (Wr s'r − Wi s'i) + D z   (14 dispatches)
    P.binary('mul', t1, Ar, sr, modes);
    P.binary('mul', t2, Ai, si, modes);
    P.binary('sub', t3, t1, t2, same);
    P.binary('add', sr2, t3, z, col);
    P.binary('mul', t1, Ar, si, modes);
    P.binary('mul', t2, Ai, sr, modes);
    P.binary('add', si2, t1, t2, same);
    P.binary('mul', t1, Wr, sr2, modes);
    P.binary('mul', t2, Wi, si2, modes);
    P.binary('sub', t3, t1, t2, same);
    P.sum(r, t3, R, N2);
    P.scale(r2, r, 2, R);
    P.binary('mul', dz, D, z, rows);
    P.binary('add', y, r2, dz, flat);
    [sr, si, sr2, si2] = [sr2, si2, sr, si];
    // shift SSM: history one slot along, slot 0 = k, y = Σ kernel·s + D k   (8 dispatches)
    P.shiftCopy(hist2, hist, S);
    P.binary('mul', t1, hist2, mask, taps);
    P.binary('mul', t2, k, e0, tapCol);
    P.binary('add', hist2, t1, t2, tapSame);
    P.binary('mul', t3, kernel, hist2, kernelPlan);
    P.sum(r, t3, R, N);
    P.binary('mul', dz, DK, k, rows);
    P.binary('add', yk, r, dz, flat);
    [hist, hist2] = [hist2, hist];
  };
  return { step, y, yk };
}

/** The fused step on the same primitives' buffers. */
function fused<T>(P: Prims<T>, B: number, x: Inputs, run: (y: T, yk: T, b: Record<string, T>) => void): { step: () => void; y: T; yk: T } {
  const b: Record<string, T> = {};
  for (const [name, v] of Object.entries(x)) b[name] = P.upload(v);
  const [y, yk] = [P.alloc(B * H), P.alloc(B * H)];
  return { step: () => run(y, yk, b), y, yk };
}

async function compare<T>(P: Prims<T>, B: number, label: string, timeStep: (step: () => void) => Promise<number>, fusedStep: { step: () => void; y: T; yk: T }): Promise<void> {
  const backend = label.split('-')[0];
  const x = inputs(B);
  const base = unfused(P, B, x);
  base.step();
  fusedStep.step();
  for (const [name, a, b] of [['y', fusedStep.y, base.y], ['yk', fusedStep.yk, base.yk]] as const) {
    const err = relL2(await P.read(a, B * H), await P.read(b, B * H));
    if (!(err <= 1e-5)) throw new Error(`ssm-step bench ${label} B=${B}: fused and unfused ${name} differ (relative L2 ${err})`);
  }
  const fusedMs = await timeStep(fusedStep.step);
  const baseMs = await timeStep(base.step);
  benchLine(`ssm-step-${label}-d${H}-N2${N2}-N${N}-B${B}`, fusedMs, `unfused-${backend}-22-dispatches`, baseMs);
}

// ---- webgpu ----
const ctx = await GpuContext.create().catch((e: Error) => {
  console.log(`webgpu skipped: ${e.message.split('\n')[0]}`);
  return null;
});
if (ctx) {
  console.log(`adapter: ${ctx.describe()}`);
  const P: Prims<GPUBuffer> = {
    alloc: (n) => ctx.acquire(n * 4),
    upload: (d) => {
      const b = ctx.acquire(d.byteLength);
      ctx.upload(b, d);
      return b;
    },
    binary: (op, out, a, b, plan) => binary(ctx, op, out, a, b, plan),
    sum: (out, x, outer, n) => reduce(ctx, 'sum', out, x, { outer, n, inner: 1 }),
    scale: (out, x, alpha, n) => unary(ctx, 'scale', out, x, { n, alpha }),
    shiftCopy: (dst, src, n) => ctx.copy(src, 0, dst, 4, (n - 1) * 4),
    read: async (x, n) => new Float32Array(await ctx.read(x, n * 4)),
  };
  const time = (step: () => void) =>
    timeMs(async () => {
      for (let i = 0; i < STEPS; i++) step();
      await ctx.sync();
    }, { warmup: 2, reps: 9 }).then((ms) => ms / STEPS);
  // both layouts of the fused kernels (step-layout.ts); 'auto' picks 'row' on fallback adapters, else 'segmented'
  for (const layout of ['row', 'segmented'] as const)
    for (const B of [1, 8]) {
      const f = fused(P, B, inputs(B), (y, yk, b) => {
        diagSsmStep(ctx, y, b.state, b.z, b.A, b.W, b.D, { batch: B, channels: H, modes: N2 }, { layout });
        shiftSsmStep(ctx, yk, b.stateK, b.k, b.kernel, b.DK, { batch: B, channels: H, stateSize: N }, { layout });
      });
      await compare(P, B, `webgpu-${layout}`, time, f);
    }
  // the prefill of a 1536-token prompt (the paper's longest generation prompt): the WGSL recurrence vs the
  // TypeScript reference (the cpu backend's path) on the same inputs
  const L = 1536;
  const x = inputs(1);
  const z = new Rng(3).fillNormal(new Float32Array(H * L));
  const p = { batch: 1, channels: H, modes: N2, length: L };
  const [zBuf, ABuf, stateBuf] = [P.upload(z), P.upload(x.A), P.alloc(H * N2 * 2)];
  const gpuMs = await timeMs(async () => {
    diagSsmState(ctx, stateBuf, zBuf, ABuf, p);
    await ctx.sync();
  }, { warmup: 1, reps: 5 });
  const refState = new Float32Array(H * N2 * 2);
  const refMs = await timeMs(() => diagSsmStateRef(refState, z, x.A, p), { warmup: 1, reps: 3 });
  const err = relL2(await P.read(stateBuf, H * N2 * 2), refState);
  if (!(err <= 1e-4)) throw new Error(`ssm-step bench: diagSsmState differs from the reference (relative L2 ${err})`);
  benchLine(`ssm-state-webgpu-d${H}-N2${N2}-L${L}-B1`, gpuMs, 'ts-ref-cpu', refMs);
}

// ---- cpu ----
const rt = WasmRuntime.create();
console.log(`cpu: WebAssembly runtime with ${rt.threads} threads`);
const C: Prims<Float32Array> = {
  alloc: (n) => rt.allocF32(n),
  upload: (d) => {
    const v = rt.allocF32(d.length);
    v.set(d);
    return v;
  },
  binary: (op, out, a, b, plan) => binaryWasm(rt, op, out, a, b, plan),
  sum: (out, x, outer, n) => reduceWasm(rt, 'sum', out, x, { outer, n, inner: 1 }),
  scale: (out, x, alpha, n) => unaryWasm(rt, 'scale', out, x, { n, alpha }),
  shiftCopy: (dst, src, n) => dst.set(src.subarray(0, n - 1), 1),
  read: async (x, n) => x.slice(0, n),
};
const timeCpu = (step: () => void) =>
  timeMs(() => {
    for (let i = 0; i < STEPS; i++) step();
  }, { warmup: 2, reps: 9 }).then((ms) => ms / STEPS);
for (const B of [1, 8]) {
  const f = fused(C, B, inputs(B), (y, yk, b) => {
    diagSsmStepRef(y, b.state, b.z, b.A, b.W, b.D, { batch: B, channels: H, modes: N2 });
    shiftSsmStepRef(yk, b.stateK, b.k, b.kernel, b.DK, { batch: B, channels: H, stateSize: N });
  });
  await compare(C, B, 'cpu', timeCpu, f);
}
await rt.dispose();
