import { describe, expect, it } from 'vitest';
import { ShapeError } from '../../errors.js';
import { expectClose, testSeed } from '../../testing/index.js';
import { Rng } from '../../util/rng.js';
import { expectSameBits, inWasm, normal, testRuntimes } from '../../wasm/test-helpers.js';
import { diagSsmStateRef, diagSsmStepRef, type DiagSsmStateParams } from './diag-step.ref.js';
import { diagSsmStateWasm, diagSsmStepWasm } from './diag-step.wasm.js';
import { randomDiagSsm } from './ssm-step.fixtures.js';

const seed = testSeed();
const { rt1, rt2 } = testRuntimes();

// (B, H, N2, L): one of everything; an empty prompt; N2 odd (the single-mode tail) and not a multiple of 8 (the
// pair loop after the groups of eight); H3's N2 = 32 at a batch whose rows span several chunks, on both sides of
// the size where the step starts to use the worker thread
const CASES: [number, number, number, number][] = [
  [1, 1, 1, 1],
  [2, 3, 5, 0],
  [3, 5, 7, 33],
  [2, 9, 13, 100],
  [1, 37, 32, 257],
  [16, 96, 32, 3],
];
/** Decode steps per case, each checked against the reference's step on the same state. */
const STEPS = 3;

/**
 * The kernels compute the reference's float64 values and round each once to f32: within 2⁻²⁴ relative of the
 * float64 results element by element (so in relative L2), and the same bits as the references on f32 arrays.
 */
const TOL = 2 ** -24;

describe('diagSsmStateWasm / diagSsmStepWasm vs diagSsmStateRef / diagSsmStepRef', () => {
  it('equal the reference bit for bit on f32 inputs, within one f32 rounding of float64; 1 and 2 threads agree', () => {
    expect.hasAssertions();
    const rng = new Rng(seed);
    for (const [B, H, N2, L] of CASES) {
      const p: DiagSsmStateParams = { batch: B, channels: H, modes: N2, length: L };
      const label = `(B, H, N2, L) = (${B}, ${H}, ${N2}, ${L})`;
      const ssm = randomDiagSsm(rng, H, N2);
      const z = normal(rng, B * H * L);
      const ref64 = new Float64Array(B * H * N2 * 2);
      diagSsmStateRef(ref64, Float64Array.from(z), Float64Array.from(ssm.A), p);
      const ref32 = new Float32Array(ref64.length);
      diagSsmStateRef(ref32, z, ssm.A, p);
      const states = [rt1, rt2].map((rt) => {
        const s = rt.allocF32(ref64.length).fill(NaN); // stale contents must not leak into the outputs
        diagSsmStateWasm(rt, s, inWasm(rt, z), inWasm(rt, ssm.A), p);
        return s;
      });
      expectClose(states[0], ref64, TOL, `${label} state vs float64`, seed);
      expectSameBits(states[0], ref32, `${label} state vs diagSsmStateRef on f32`, seed);
      expectSameBits(states[1], states[0], `${label} state 2 threads vs 1`, seed);
      // decode steps from that state: each against the reference's step from the same f32 state
      const [A, W, D] = [ssm.A, ssm.W, ssm.D];
      const on = [rt1, rt2].map((rt) => ({ rt, A: inWasm(rt, A), W: inWasm(rt, W), D: inWasm(rt, D), y: rt.allocF32(B * H) }));
      const refState = Float32Array.from(ref32);
      for (let t = 0; t < STEPS; t++) {
        const zt = normal(rng, B * H);
        const s64 = Float64Array.from(refState);
        const y64 = new Float64Array(B * H);
        diagSsmStepRef(y64, s64, Float64Array.from(zt), Float64Array.from(A), Float64Array.from(W), Float64Array.from(D), p);
        const y32 = new Float32Array(B * H);
        diagSsmStepRef(y32, refState, zt, A, W, D, p);
        on.forEach((o, i) => {
          diagSsmStepWasm(o.rt, o.y.fill(NaN), states[i], inWasm(o.rt, zt), o.A, o.W, o.D, p);
        });
        const l = `${label} step ${t}`;
        expectClose(on[0].y, y64, TOL, `${l} y vs float64`, seed);
        expectClose(states[0], s64, TOL, `${l} state vs float64`, seed);
        expectSameBits(on[0].y, y32, `${l} y vs diagSsmStepRef on f32`, seed);
        expectSameBits(states[0], refState, `${l} state vs diagSsmStepRef on f32`, seed);
        expectSameBits(on[1].y, on[0].y, `${l} y 2 threads vs 1`, seed);
        expectSameBits(states[1], states[0], `${l} state 2 threads vs 1`, seed);
      }
    }
  });

  it('rejects bad sizes, wrong lengths and arrays outside the runtime, naming the function and parameter', () => {
    const p = { batch: 1, channels: 2, modes: 3 };
    const [y, s, z, A, W, D] = [2, 12, 2, 12, 12, 2].map((n) => rt1.allocF32(n));
    expect(() => diagSsmStepWasm(rt1, y, s, z, A, W, D, { ...p, modes: 0 })).toThrow(ShapeError);
    expect(() => diagSsmStepWasm(rt1, y, s, z, A, rt1.allocF32(11), D, p)).toThrow(/diagSsmStepWasm: W must have shape \[2, 3, 2\]/);
    expect(() => diagSsmStateWasm(rt1, s, new Float32Array(8), A, { ...p, length: 4 })).toThrow(/diagSsmStateWasm: z is not in this WasmRuntime/);
  });
});
