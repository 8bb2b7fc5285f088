import { describe, expect, it } from 'vitest';
import { ShapeError } from '../../errors.js';
import { expectClose, testSeed } from '../../testing/index.js';
import { Rng } from '../../util/rng.js';
import { expectSameBits, inWasm, normal, testRuntimes } from '../../wasm/test-helpers.js';
import { shiftSsmStateRef, shiftSsmStepRef, type ShiftSsmStateParams } from './shift-step.ref.js';
import { shiftSsmStateWasm, shiftSsmStepWasm } from './shift-step.wasm.js';

const seed = testSeed();
const { rt1, rt2 } = testRuntimes();

// (B, d, N, L): one of everything; an empty prompt; a prompt shorter than N (zeros after it) and not a multiple
// of 4 (the scalar tail of the reversed copy); rows not a multiple of 4 (the step's single-row tail); H3's
// N = 64 with a prompt past it at a batch whose rows span several chunks and use the worker thread
const CASES: [number, number, number, number][] = [
  [1, 1, 1, 1],
  [2, 3, 5, 0],
  [3, 5, 8, 6],
  [2, 7, 13, 100],
  [16, 96, 64, 77],
];
const STEPS = 3;

/**
 * The step's y is the reference's float64 sum rounded once to f32: within 2⁻²⁴ relative of float64 element by
 * element (so in relative L2) and the same bits as the reference on f32 arrays; the state is a copy (exact).
 */
const TOL = 2 ** -24;

describe('shiftSsmStateWasm / shiftSsmStepWasm vs shiftSsmStateRef / shiftSsmStepRef', () => {
  it('equal the reference bit for bit on f32 inputs, within one f32 rounding of float64; 1 and 2 threads agree', () => {
    expect.hasAssertions();
    const rng = new Rng(seed);
    for (const [B, d, N, L] of CASES) {
      const p: ShiftSsmStateParams = { batch: B, channels: d, stateSize: N, length: L };
      const label = `(B, d, N, L) = (${B}, ${d}, ${N}, ${L})`;
      const k = normal(rng, B * d * L);
      const ref = new Float32Array(B * d * N);
      shiftSsmStateRef(ref, k, p);
      const states = [rt1, rt2].map((rt) => {
        const s = rt.allocF32(ref.length).fill(NaN); // stale contents must not leak into the outputs
        shiftSsmStateWasm(rt, s, inWasm(rt, k), p);
        return s;
      });
      expectSameBits(states[0], ref, `${label} state vs shiftSsmStateRef`, seed);
      expectSameBits(states[1], states[0], `${label} state 2 threads vs 1`, seed);
      const [kernel, D] = [normal(rng, d * N, 1 / Math.sqrt(N)), normal(rng, d)];
      const on = [rt1, rt2].map((rt) => ({ rt, kernel: inWasm(rt, kernel), D: inWasm(rt, D), y: rt.allocF32(B * d) }));
      for (let t = 0; t < STEPS; t++) {
        const kt = normal(rng, B * d);
        const y64 = new Float64Array(B * d);
        shiftSsmStepRef(y64, Float64Array.from(ref), Float64Array.from(kt), Float64Array.from(kernel), Float64Array.from(D), p);
        const y32 = new Float32Array(B * d);
        shiftSsmStepRef(y32, ref, kt, kernel, D, p);
        on.forEach((o, i) => shiftSsmStepWasm(o.rt, o.y.fill(NaN), states[i], inWasm(o.rt, kt), o.kernel, o.D, p));
        const l = `${label} step ${t}`;
        expectClose(on[0].y, y64, TOL, `${l} y vs float64`, seed);
        expectSameBits(on[0].y, y32, `${l} y vs shiftSsmStepRef on f32`, seed);
        expectSameBits(states[0], ref, `${l} state vs shiftSsmStepRef`, seed);
        expectSameBits(on[1].y, on[0].y, `${l} y 2 threads vs 1`, seed);
        expectSameBits(states[1], states[0], `${l} state 2 threads vs 1`, seed);
      }
    }
  });

  it('rejects bad sizes, wrong lengths and arrays outside the runtime, naming the function and parameter', () => {
    const p = { batch: 1, channels: 2, stateSize: 4 };
    const [y, s, k, kernel, D] = [2, 8, 2, 8, 2].map((n) => rt1.allocF32(n));
    expect(() => shiftSsmStepWasm(rt1, y, s, k, kernel, D, { ...p, stateSize: 0 })).toThrow(ShapeError);
    expect(() => shiftSsmStepWasm(rt1, y, s, k, rt1.allocF32(7), D, p)).toThrow(/shiftSsmStepWasm: kernel must have shape \[2, 4\]/);
    expect(() => shiftSsmStateWasm(rt1, s, new Float32Array(6), { ...p, length: 3 })).toThrow(/shiftSsmStateWasm: k is not in this WasmRuntime/);
  });
});
