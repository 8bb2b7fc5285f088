import { describe, expect, it } from 'vitest';
import { expectClose, testSeed } from '../../testing/index.js';
import { Rng } from '../../util/rng.js';
import { expectSameBits, inWasm, testRuntimes } from '../../wasm/test-helpers.js';
import { unaryBackwardRef, unaryRef, type UnaryOp, type UnaryParams } from './unary.ref.js';
import { unaryBackwardWasm, unaryWasm } from './unary.wasm.js';

const seed = testSeed();
const { rt1, rt2 } = testRuntimes();

/** One f32 operation (or f64 arithmetic rounded once) in both: the reference's bits. */
const EXACT: UnaryOp[] = ['neg', 'sqrt', 'square', 'relu', 'scale', 'addScalar', 'dropout'];
/** Vector exp/log approximations: ≤ 3 ulp measured per element over wide ranges. */
const APPROX: UnaryOp[] = ['exp', 'log', 'tanh', 'sigmoid', 'gelu'];
const PARAMS: Partial<Record<UnaryOp, Omit<UnaryParams, 'n'>>> = {
  scale: { alpha: -1.7 }, // not an f32: the product must be formed in f64 as the reference does
  addScalar: { alpha: 0.3 },
  dropout: { alpha: 0.25, seed: 987654321 },
};
// odd, prime and power-of-two sizes that leave 1-3 element tails, and one split between threads
const SIZES = [1, 3, 7, 13, 31, 64, 97, 257, 300_007];

/** The largest |z| of GELU's sigmoid argument z = 2√(2/π)(x + 0.044715x³) over x. */
function maxAbsZ(x: Float32Array): number {
  let m = 0;
  for (const v of x) m = Math.max(m, Math.abs(2 * Math.sqrt(2 / Math.PI) * (v + 0.044715 * v ** 3)));
  return m;
}

function inputs(op: UnaryOp, rng: Rng, n: number): Float32Array {
  const x = rng.fillNormal(new Float32Array(n), 0, 3);
  if (op === 'log' || op === 'sqrt') for (let i = 0; i < n; i++) x[i] = Math.abs(x[i]) + 1e-3;
  return x;
}

describe('unaryWasm / unaryBackwardWasm vs the references (float32), 1 and 2 threads', () => {
  for (const op of [...EXACT, ...APPROX]) {
    it(op, () => {
      const rng = new Rng(seed);
      for (const n of SIZES) {
        const p: UnaryParams = { n, ...PARAMS[op] };
        const x = inputs(op, rng, n);
        const ref = new Float32Array(n);
        unaryRef(op, ref, x, p);
        const outs = [rt1, rt2].map((rt) => {
          const out = rt.allocF32(n);
          unaryWasm(rt, op, out, inWasm(rt, x), p);
          return out;
        });
        const label = `${op} n=${n}`;
        // ≤ 3 ulp per element bounds the relative L2 error by 3·2^-23; GELU also forms its exp argument
        // z = 2√(2/π)(x + 0.044715x³) in f32 (four roundings of ≤ 2^-24 each), and exp turns an absolute error
        // of 4·2^-24·|z| in z into that relative error of the result (visible where x ≪ 0 and gelu(x) ≈ 0)
        const tol = 3 * 2 ** -23 + (op === 'gelu' ? 2 ** -22 * maxAbsZ(x) : 0);
        // for x in about [−10.8, −10.2] GELU's exp term is subnormal in f32 (absolute precision 2^-149), so a
        // lone such output needs the absolute allowance of the smallest normal
        const atol = op === 'gelu' ? 2 ** -126 : 0;
        if (EXACT.includes(op)) expectSameBits(outs[0], ref, label, seed);
        else expectClose(outs[0], ref, tol, label, seed, atol);
        expectSameBits(outs[1], outs[0], `${label} 2 threads vs 1`, seed);

        // backward with the reference's y, so only the backward arithmetic is compared
        const dy = rng.fillNormal(new Float32Array(n));
        const dref = new Float32Array(n);
        unaryBackwardRef(op, dref, x, ref, dy, p);
        const dxs = [rt1, rt2].map((rt) => {
          const dx = rt.allocF32(n);
          unaryBackwardWasm(rt, op, dx, inWasm(rt, x), inWasm(rt, ref), inWasm(rt, dy), p);
          return dx;
        });
        // GELU's slope crosses zero near x = −0.75 (cancellation): an absolute 1e-7 ≈ 2 ulp of the O(1) terms
        if (op === 'gelu') expectClose(dxs[0], dref, tol, `${label} backward`, seed, 1e-7);
        else expectSameBits(dxs[0], dref, `${label} backward`, seed);
        expectSameBits(dxs[1], dxs[0], `${label} backward 2 threads vs 1`, seed);
      }
    });
  }

  it('special values: ±0, ±∞, NaN, subnormals, the over- and underflow edges', () => {
    const x = Float32Array.from([0, -0, Infinity, -Infinity, NaN, 1e-40, -1e-40, 88.7, 88.8, -87.5, -103, -104.5, 200, -200]);
    for (const op of APPROX) {
      const ref = new Float32Array(x.length);
      unaryRef(op, ref, x, { n: x.length });
      const out = rt1.allocF32(x.length);
      unaryWasm(rt1, op, out, inWasm(rt1, x), { n: x.length });
      for (let i = 0; i < x.length; i++) {
        const same = Object.is(out[i], ref[i]) || Math.abs(out[i] - ref[i]) <= 2 * 2 ** -23 * Math.abs(ref[i]);
        expect(same, `${op}(${x[i]}) = ${out[i]}, reference ${ref[i]}`).toBe(true);
      }
    }
  });
});
