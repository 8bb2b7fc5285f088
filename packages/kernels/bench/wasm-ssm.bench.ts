// The SSM ops of the cpu backend on WebAssembly (1 and 2 threads) against their TypeScript references on the
// same f32 data (what the cpu backend ran before: baseline `ts-ref`), in the same run, at H3-125M width
// (H = 768, S4D N2 = 32 complex modes, shift N = 64): the S4D kernel forward and backward at L = 1024 and 8192,
// the shift kernel forward + backward, the prefill states diagSsmState / shiftSsmState at B = 1, L = 1536 and
// one decode step diagSsmStep / shiftSsmStep at B = 1 and 16. Before timing, every WebAssembly output is compared with the reference's on the
// same inputs, bit for bit (as every kernel here promises; a mismatch fails the run).
// The machine may be shared: the load average is printed at the start, before each case and at the end;
// the 1- and 2-thread runs and the reference are timed interleaved, so load drifts over all three alike.
// Run: cd packages/kernels && pnpm bench wasm-ssm      (HIPPO_BENCH_CASES=s4d,diag to narrow by case id)
import { loadavg } from 'node:os';
import { benchLine, timeInterleaved } from '@hippo/tooling/bench';
import { s4dKernelBackwardRef, s4dKernelRef } from '../src/ops/ssm-kernel/s4d-kernel.ref.js';
import { s4dKernelBackwardWasm, s4dKernelWasm } from '../src/ops/ssm-kernel/s4d-kernel.wasm.js';
import { shiftKernelBackwardRef, shiftKernelRef } from '../src/ops/ssm-kernel/shift-kernel.ref.js';
import { shiftKernelBackwardWasm, shiftKernelWasm } from '../src/ops/ssm-kernel/shift-kernel.wasm.js';
import { s4dTestParams, shiftTestParams } from '../src/ops/ssm-kernel/test-params.js';
import { diagSsmStateRef, diagSsmStepRef } from '../src/ops/ssm-step/diag-step.ref.js';
import { diagSsmStateWasm, diagSsmStepWasm } from '../src/ops/ssm-step/diag-step.wasm.js';
import { randomDiagSsm } from '../src/ops/ssm-step/ssm-step.fixtures.js';
import { shiftSsmStateRef, shiftSsmStepRef } from '../src/ops/ssm-step/shift-step.ref.js';
import { shiftSsmStateWasm, shiftSsmStepWasm } from '../src/ops/ssm-step/shift-step.wasm.js';
import { relL2 } from '../src/testing/index.js';
import { Rng } from '../src/util/rng.js';
import { WasmRuntime } from '../src/wasm/runtime.js';

const [H, N2, N] = [768, 32, 64];
const load = () => loadavg().map((l) => l.toFixed(2)).join(' ');
const only = process.env.HIPPO_BENCH_CASES?.split(',');
const runtimes = [WasmRuntime.create({ threads: 1 }), WasmRuntime.create({ threads: 2 })];
const rng = new Rng(0);

/** One benchmark case: the reference and the WebAssembly op on their own copies of the same inputs. */
interface Case {
  id: string;
  /** Runs the reference on host arrays; returns its outputs. */
  ref: () => Float32Array[];
  /** Prepares the op in rt's memory; returns the call and its outputs. */
  wasm: (rt: WasmRuntime) => { run: () => void; out: Float32Array[] };
}

const sameBits = (a: Float32Array, b: Float32Array) => {
  const [ua, ub] = [new Uint32Array(a.buffer, a.byteOffset, a.length), new Uint32Array(b.buffer, b.byteOffset, b.length)];
  return ua.length === ub.length && ua.every((v, i) => v === ub[i]);
};

function s4dCases(L: number): Case[] {
  const p = { channels: H, modes: N2, length: L };
  const q = s4dTestParams(rng, H, N2, 'lin', 0.3);
  const x = [q.logDt, q.invAReal, q.AImag, q.B, q.C].map((a) => Float32Array.from(a));
  const dK = rng.fillNormal(new Float32Array(H * L));
  const grads = (alloc: (n: number) => Float32Array) => x.map((a) => alloc(a.length));
  const fwd: Case = {
    id: `wasm-ssm-s4d-fwd-H${H}-modes${N2}-L${L}`,
    ref: () => {
      const K = new Float32Array(H * L);
      s4dKernelRef(K, x[0], x[1], x[2], x[3], x[4], p);
      return [K];
    },
    wasm: (rt) => {
      const xs = x.map((a) => rt.copyIn(a));
      const K = rt.allocF32(H * L);
      return { run: () => s4dKernelWasm(rt, K, xs[0], xs[1], xs[2], xs[3], xs[4], p), out: [K] };
    },
  };
  const bwd: Case = {
    id: `wasm-ssm-s4d-bwd-H${H}-modes${N2}-L${L}`,
    ref: () => {
      const g = grads((n) => new Float32Array(n));
      s4dKernelBackwardRef(g[0], g[1], g[2], g[3], g[4], dK, x[0], x[1], x[2], x[3], x[4], p);
      return g;
    },
    wasm: (rt) => {
      const [xs, d, g] = [x.map((a) => rt.copyIn(a)), rt.copyIn(dK), grads((n) => rt.allocF32(n))];
      return { run: () => s4dKernelBackwardWasm(rt, g[0], g[1], g[2], g[3], g[4], d, xs[0], xs[1], xs[2], xs[3], xs[4], p), out: g };
    },
  };
  return [fwd, bwd];
}

/** The shift kernel (N = 64 taps) forward + backward: what one training step of a shift SSM runs. */
function shiftCase(): Case {
  const p = { channels: H, state: N, length: 1024 };
  const q = shiftTestParams(rng, H, N, 0.3);
  const [B, C] = [Float32Array.from(q.B), Float32Array.from(q.C)];
  const dk = rng.fillNormal(new Float32Array(H * N));
  return {
    id: `wasm-ssm-shift-kernel-fwdbwd-H${H}-N${N}`,
    ref: () => {
      const [k, dB, dC] = [new Float32Array(H * N), new Float32Array(H * N), new Float32Array(H * N)];
      shiftKernelRef(k, B, C, p);
      shiftKernelBackwardRef(dB, dC, dk, B, C, p);
      return [k, dB, dC];
    },
    wasm: (rt) => {
      const [b, c, g] = [B, C, dk].map((a) => rt.copyIn(a));
      const out = [rt.allocF32(H * N), rt.allocF32(H * N), rt.allocF32(H * N)];
      return { run: () => (shiftKernelWasm(rt, out[0], b, c, p), shiftKernelBackwardWasm(rt, out[1], out[2], g, b, c, p)), out };
    },
  };
}

/** The prefill state of the diagonal SSM over a prompt of L tokens. */
function diagStateCase(batch: number, L: number): Case {
  const p = { batch, channels: H, modes: N2, length: L };
  const { A } = randomDiagSsm(rng, H, N2);
  const z = rng.fillNormal(new Float32Array(batch * H * L));
  return {
    id: `wasm-ssm-diag-state-B${batch}-H${H}-modes${N2}-L${L}`,
    ref: () => {
      const state = new Float32Array(batch * H * N2 * 2);
      diagSsmStateRef(state, z, A, p);
      return [state];
    },
    wasm: (rt) => {
      const [zz, a, state] = [rt.copyIn(z), rt.copyIn(A), rt.allocF32(batch * H * N2 * 2)];
      return { run: () => diagSsmStateWasm(rt, state, zz, a, p), out: [state] };
    },
  };
}

/**
 * One decode step of the diagonal SSM. The step updates its state in place, so every call (timed or checked)
 * starts from a copy of the same state: the copy (B·H·N2·2 floats, typed-array set) is timed with both sides.
 */
function diagStepCase(batch: number): Case {
  const p = { batch, channels: H, modes: N2 };
  const ssm = randomDiagSsm(rng, H, N2);
  const state0 = rng.fillNormal(new Float32Array(batch * H * N2 * 2));
  const z = rng.fillNormal(new Float32Array(batch * H));
  const refState = new Float32Array(state0.length);
  return {
    id: `wasm-ssm-diag-step-B${batch}-H${H}-modes${N2}`,
    ref: () => {
      const y = new Float32Array(batch * H);
      refState.set(state0);
      diagSsmStepRef(y, refState, z, ssm.A, ssm.W, ssm.D, p);
      return [y, refState];
    },
    wasm: (rt) => {
      const [zz, A, W, D, state, y] = [rt.copyIn(z), rt.copyIn(ssm.A), rt.copyIn(ssm.W), rt.copyIn(ssm.D), rt.allocF32(state0.length), rt.allocF32(batch * H)];
      return { run: () => (state.set(state0), diagSsmStepWasm(rt, y, state, zz, A, W, D, p)), out: [y, state] };
    },
  };
}

/** The shift SSM's prefill state (a reversed copy of the last N inputs of each row). */
function shiftStateCase(batch: number, L: number): Case {
  const p = { batch, channels: H, stateSize: N, length: L };
  const k = rng.fillNormal(new Float32Array(batch * H * L));
  return {
    id: `wasm-ssm-shift-state-B${batch}-H${H}-N${N}-L${L}`,
    ref: () => {
      const state = new Float32Array(batch * H * N);
      shiftSsmStateRef(state, k, p);
      return [state];
    },
    wasm: (rt) => {
      const [kk, state] = [rt.copyIn(k), rt.allocF32(batch * H * N)];
      return { run: () => shiftSsmStateWasm(rt, state, kk, p), out: [state] };
    },
  };
}

/** One decode step of the shift SSM, from a copy of the same history each call (as diagStepCase). */
function shiftStepCase(batch: number): Case {
  const p = { batch, channels: H, stateSize: N };
  const [kernel, D] = [rng.fillNormal(new Float32Array(H * N), 0, 0.125), rng.fillNormal(new Float32Array(H))];
  const state0 = rng.fillNormal(new Float32Array(batch * H * N));
  const k = rng.fillNormal(new Float32Array(batch * H));
  const refState = new Float32Array(state0.length);
  return {
    id: `wasm-ssm-shift-step-B${batch}-H${H}-N${N}`,
    ref: () => {
      const y = new Float32Array(batch * H);
      refState.set(state0);
      shiftSsmStepRef(y, refState, k, kernel, D, p);
      return [y, refState];
    },
    wasm: (rt) => {
      const [kk, w, d, state, y] = [rt.copyIn(k), rt.copyIn(kernel), rt.copyIn(D), rt.allocF32(state0.length), rt.allocF32(batch * H)];
      return { run: () => (state.set(state0), shiftSsmStepWasm(rt, y, state, kk, w, d, p)), out: [y, state] };
    },
  };
}

const cases: Case[] = [...s4dCases(1024), ...s4dCases(8192), shiftCase(), diagStateCase(1, 1536), diagStepCase(1), diagStepCase(16),
  shiftStateCase(1, 1536), shiftStepCase(1), shiftStepCase(16)];

console.log(`load average (1/5/15 min) at start: ${load()}`);
const table: string[] = [];
let failed = false;
for (const c of cases) {
  if (only && !only.some((s) => c.id.includes(s))) continue;
  console.log(`\n## ${c.id} — load average ${load()}`);
  let refOut: Float32Array[] = [];
  const refRun = () => {
    refOut = c.ref();
  };
  refRun();
  const impls = runtimes.map((rt) => c.wasm(rt));
  impls.forEach((m, i) => {
    m.run();
    m.out.forEach((o, j) => {
      if (!sameBits(o, refOut[j])) {
        failed = true;
        console.log(`MISMATCH ${c.id} t${runtimes[i].threads} output ${j}: relative L2 ${relL2(o, refOut[j]).toExponential(2)}`);
      }
    });
  });
  // about a second per function
  const t0 = performance.now();
  refRun();
  const once = performance.now() - t0;
  const reps = Math.max(5, Math.min(101, Math.round(1000 / Math.max(once, 0.01))) | 1);
  const { wall, cpu } = timeInterleaved([impls[0].run, impls[1].run, refRun], 1, reps);
  const [t1, t2, tr] = wall;
  benchLine(`${c.id}-t1`, t1, 'ts-ref', tr);
  benchLine(`${c.id}-t2`, t2, 'ts-ref', tr);
  benchLine(`${c.id}-t1-cputime`, cpu[0], 'ts-ref-cputime', cpu[2]);
  const par = (cpu[1] / t2).toFixed(2);
  const cells = [tr, t1, t2].map((t) => t.toFixed(3)).concat([tr / t1, tr / t2, cpu[2] / cpu[0]].map((r) => r.toFixed(1)));
  table.push(`| ${c.id.replace('wasm-ssm-', '')} | ${cells.join(' | ')} | ${par} |`);
}
console.log(`\nload average (1/5/15 min) at end: ${load()}`);
console.log(
  '\n| case | ts-ref ms | wasm 1t ms | wasm 2t ms | ts-ref / wasm 1t | ts-ref / wasm 2t | ts-ref / wasm 1t, CPU time | 2t CPU / wall |\n' +
    `|---|---|---|---|---|---|---|---|\n${table.join('\n')}`,
);
await Promise.all(runtimes.map((rt) => rt.dispose()));
if (failed) {
  console.log('\nMISMATCHES against the reference (see above)');
  process.exitCode = 1;
}
