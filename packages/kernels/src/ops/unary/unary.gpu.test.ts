import { describe, expect, it } from 'vitest';
import { expectClose, gpuForTests, randn, readF32, testSeed, upload } from '../../testing/index.js';
import { Rng } from '../../util/rng.js';
import { fill } from './fill.js';
import { fillRef, GELU_C, GELU_K, unaryBackwardRef, unaryRef, type UnaryOp, type UnaryParams } from './unary.ref.js';
import { unary, unaryBackward } from './unary.js';

const ctx = await gpuForTests();
const seed = testSeed();
const SIZES = [1, 13, 257, 100_003];
const OPS: UnaryOp[] = ['neg', 'exp', 'log', 'sqrt', 'square', 'relu', 'gelu', 'tanh', 'sigmoid', 'scale', 'addScalar', 'dropout'];
/** Unit roundoff of f32; one WGSL ulp is at most 2u relative. */
const U = 2 ** -24;
/** Subnormal results may flush to zero. */
const FTZ = 2 ** -126;

/**
 * Absolute error bound of each GPU element against the f32-rounded float64 reference, from WGSL's accuracy
 * table: exp 3 + 2|a| ulp, log 3 ulp (2^-21 absolute on [0.5, 2]), sqrt = 1/inverseSqrt 4.5 ulp, division
 * 2.5 ulp, basic ops correctly rounded; plus u for rounding the reference.
 */
function errorBound(op: UnaryOp, backward: boolean, x: Float32Array, dy: Float32Array, ref: Float32Array): Float64Array {
  const b = new Float64Array(ref.length);
  for (let i = 0; i < ref.length; i++) {
    const r = Math.abs(ref[i]);
    const v = x[i];
    const z = Math.abs(2 * GELU_C * (v + GELU_K * v ** 3)); // gelu's sigmoid argument
    const expUlp = (a: number) => 2 * (3 + 2 * a);
    let units: number; // relative bound in u
    switch (op) {
      case 'exp':
        units = backward ? 1 : expUlp(Math.abs(v)) + 1;
        break;
      case 'log':
        if (!backward && v >= 0.5 && v <= 2) {
          b[i] = 2 ** -21 + U * r;
          continue;
        }
        units = 7;
        break;
      case 'sqrt':
        units = backward ? 7 : 10;
        break;
      case 'tanh':
        // forward: e = exp(−2|x|) enters as ≤ 4(3 + 4|x|)e^{−2|x|} ≤ 8u, then ~6 roundings
        units = backward ? 5 : 24;
        break;
      case 'sigmoid':
        units = backward ? 5 : expUlp(Math.abs(v)) + 8;
        break;
      case 'gelu': {
        const ds = expUlp(z) + 4 * z + 12; // sigmoid(z) including z's own ~4 roundings
        if (!backward) {
          units = ds;
          break;
        }
        // s + 2x·s'·u' cancels near x ≈ −0.75, so bound each term separately
        const e = Math.exp(-z);
        const s = v >= 0 ? 1 / (1 + e) : e / (1 + e);
        const slope = (e / (1 + e) ** 2) * 2 * v * GELU_C * (1 + 3 * GELU_K * v * v);
        b[i] = Math.abs(dy[i]) * U * (ds * s + (ds + 6) * Math.abs(slope)) + U * r + FTZ;
        continue;
      }
      case 'dropout':
        units = 3; // x·f32(1/(1−p)) against x/(1−p)
        break;
      default:
        units = 1; // one correctly rounded operation, like the reference
    }
    b[i] = units * U * r + FTZ * (1 + Math.abs(v));
  }
  return b;
}

/** relL2 that the per-element bounds guarantee: ‖bound‖ / ‖ref‖ (plain ‖bound‖ when ref is all zeros). */
function tolerance(bound: Float64Array, ref: Float32Array): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < ref.length; i++) {
    num += bound[i] ** 2;
    den += ref[i] ** 2;
  }
  return den === 0 ? Math.sqrt(num) : Math.sqrt(num / den);
}

/** f32 inputs inside the op's domain. */
function inputs(op: UnaryOp, rng: Rng, n: number): Float32Array {
  const x = randn(rng, n) as Float32Array;
  for (let i = 0; i < n; i++) {
    x[i] *= 3;
    if (op === 'log' || op === 'sqrt') x[i] = 0.2 + Math.abs(x[i]);
  }
  return x;
}

function params(op: UnaryOp, rng: Rng, n: number): UnaryParams {
  if (op === 'scale' || op === 'addScalar') return { n, alpha: Math.fround(rng.normal()) }; // f32-exact alpha
  if (op === 'dropout') return { n, alpha: 0.3, seed: rng.nextU32() };
  return { n };
}

/** Asserts that got and ref are zero at exactly the same places (the dropout mask). */
function expectSameZeros(got: Float32Array, ref: Float32Array, label: string): void {
  let mismatches = 0;
  for (let i = 0; i < ref.length; i++) if ((got[i] === 0) !== (ref[i] === 0)) mismatches++;
  expect(mismatches, `${label}: dropout mask differs at ${mismatches} places (HIPPO_SEED=${seed})`).toBe(0);
}

describe.skipIf(!ctx)('unary on webgpu vs unaryRef', () => {
  for (const op of OPS) {
    it(`${op} forward`, async () => {
      const gpu = ctx!;
      const rng = new Rng(seed);
      for (const n of SIZES) {
        const p = params(op, rng, n);
        const x = inputs(op, rng, n);
        const ref = new Float32Array(n);
        unaryRef(op, ref, x, p);
        const out = gpu.acquire(n * 4);
        unary(gpu, op, out, upload(gpu, x), p);
        const got = await readF32(gpu, out, n);
        if (op === 'dropout') expectSameZeros(got, ref, `dropout n=${n}`);
        const tol = tolerance(errorBound(op, false, x, x, ref), ref);
        expect(expectClose(got, ref, tol, `${op} n=${n}`, seed)).toBeLessThanOrEqual(tol);
      }
    });

    it(`${op} backward`, async () => {
      const gpu = ctx!;
      const rng = new Rng(seed);
      for (const n of SIZES) {
        const p = params(op, rng, n);
        const x = inputs(op, rng, n);
        const y = new Float32Array(n);
        unaryRef(op, y, x, p);
        const dy = randn(rng, n) as Float32Array;
        const ref = new Float32Array(n);
        unaryBackwardRef(op, ref, x, y, dy, p);
        const dx = gpu.acquire(n * 4);
        unaryBackward(gpu, op, dx, upload(gpu, x), upload(gpu, y), upload(gpu, dy), p);
        const got = await readF32(gpu, dx, n);
        if (op === 'dropout') expectSameZeros(got, ref, `dropout backward n=${n}`);
        const tol = tolerance(errorBound(op, true, x, dy, ref), ref);
        expect(expectClose(got, ref, tol, `${op} backward n=${n}`, seed)).toBeLessThanOrEqual(tol);
      }
    });
  }

  it('tanh, sigmoid and gelu stay finite and accurate at extreme and tiny inputs', async () => {
    const gpu = ctx!;
    const x = new Float32Array([-1e30, -1e4, -100, -30, -0.4999, -1e-3, -1e-30, 0, 1e-30, 1e-3, 0.5, 30, 100, 1e4, 1e30]);
    const n = x.length;
    for (const op of ['tanh', 'sigmoid', 'gelu'] as UnaryOp[]) {
      const ref = new Float32Array(n);
      unaryRef(op, ref, x, { n });
      const out = gpu.acquire(n * 4);
      unary(gpu, op, out, upload(gpu, x), { n });
      const got = await readF32(gpu, out, n);
      expect(got.every(Number.isFinite), `${op}: ${got}`).toBe(true);
      // elementwise, so tiny values are checked relative to themselves
      const bound = errorBound(op, false, x, x, ref);
      for (let i = 0; i < n; i++) expect(Math.abs(got[i] - ref[i]), `${op}(${x[i]}) = ${got[i]}, ref ${ref[i]}`).toBeLessThanOrEqual(bound[i]);
    }
  });

  it('dropout with p = 1 drops everything, p = 0 keeps everything', async () => {
    const gpu = ctx!;
    const n = 257;
    const x = randn(new Rng(seed), n) as Float32Array;
    const out = gpu.acquire(n * 4);
    unary(gpu, 'dropout', out, upload(gpu, x), { n, alpha: 1, seed: 3 });
    expect(Array.from(await readF32(gpu, out, n))).toEqual(new Array<number>(n).fill(0));
    unary(gpu, 'dropout', out, upload(gpu, x), { n, alpha: 0, seed: 3 });
    expect(Array.from(await readF32(gpu, out, n))).toEqual(Array.from(x));
  });

  it('fill writes value to the first n elements only', async () => {
    const gpu = ctx!;
    for (const n of SIZES) {
      const value = -1.5;
      const buf = upload(gpu, new Float32Array(n + 3).fill(7));
      fill(gpu, buf, value, n);
      const ref = new Float32Array(n + 3).fill(7);
      fillRef(ref, value, n);
      expect(Array.from(await readF32(gpu, buf, n + 3)), `n=${n}`).toEqual(Array.from(ref));
    }
  });
});
