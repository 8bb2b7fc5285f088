// Finite-difference gradient checks in float64 on the cpu backend, and cpu-vs-webgpu agreement checks:
// the two tests every op with a backward pass must pass.
import { Rng } from '@hippo/kernels';
import { reportMargin } from '@hippo/kernels/testing';
import type { Backend } from '../backend/backend.js';
import { cpuBackend } from '../backend/select.js';
import { noGrad, tidy } from '../autograd/scope.js';
import { Tensor } from '../tensor.js';
import { rmsOf, scaledError, worstIndex } from './fd-error.js';

/** One input of the function under test: its shape and values (float64), and whether to differentiate it. */
export interface CheckInput {
  shape: number[];
  data: Float64Array;
  /** Default true. */
  grad?: boolean;
}

export interface GradcheckResult {
  /** each differentiated input's error: ‖analytic − numeric‖ / (‖numeric‖ + atol·rms·√n), see gradcheck */
  errors: number[];
}

/**
 * Checks autograd against central differences (f(x+h) − f(x−h)) / 2h of f = Σ g ⊙ fn(inputs), g a random
 * cotangent, all in float64 on the cpu backend. Throws (naming the op, input, error and worst element) when
 * an input's error ‖a − n‖ / (‖n‖ + atol·rms·√n) exceeds `tol`, rms being that of all inputs' numeric
 * gradients: relative L2, except that an input whose gradient is tiny next to the others' (an S4D kernel's
 * O(Δ²) dA at one mode) is not held to a relative error below the quotient's rounding noise.
 */
export function gradcheck(
  name: string,
  fn: (...xs: Tensor[]) => Tensor,
  inputs: CheckInput[],
  opts: { seed: number; h?: number; tol?: number; atol?: number },
): GradcheckResult {
  const h = opts.h ?? 1e-6;
  const tol = opts.tol ?? 1e-6;
  const atol = opts.atol ?? 1e-3;
  const cpu = cpuBackend();
  const rng = new Rng(opts.seed ^ 0x5bd1e995);
  const make = (datas: Float64Array[]) => inputs.map((inp, i) => Tensor.fromArray(cpu, datas[i], inp.shape, { requiresGrad: inp.grad !== false }));
  return tidy(() => {
    const xs = make(inputs.map((i) => i.data));
    const y = fn(...xs);
    const g = rng.fillNormal(new Float64Array(y.size));
    const objective = (datas: Float64Array[]) =>
      noGrad(() =>
        tidy(() => {
          const out = fn(...make(datas));
          const vals = (out.storage as unknown as { data: Float64Array }).data;
          let s = 0;
          for (let i = 0; i < vals.length; i++) s += g[i] * vals[i];
          return s;
        }),
      );
    y.backward(Tensor.fromArray(cpu, g, y.shape));
    const numerics = inputs.map((inp, k) => {
      if (inp.grad === false) return null;
      const numeric = new Float64Array(inp.data.length);
      for (let j = 0; j < inp.data.length; j++) {
        const plus = inputs.map((i) => i.data.slice());
        const minus = inputs.map((i) => i.data.slice());
        plus[k][j] += h;
        minus[k][j] -= h;
        numeric[j] = (objective(plus) - objective(minus)) / (2 * h);
      }
      return numeric;
    });
    const rms = rmsOf(numerics);
    const errors: number[] = [];
    inputs.forEach((inp, k) => {
      const numeric = numerics[k];
      if (numeric === null) return;
      const analytic = (xs[k].grad?.storage as unknown as { data: Float64Array } | undefined)?.data ?? new Float64Array(inp.data.length);
      const err = scaledError(analytic, numeric, atol * rms);
      reportMargin(`gradcheck ${name} input ${k}`, err, tol);
      if (!(err <= tol)) {
        const worst = worstIndex(analytic, numeric);
        throw new Error(
          `gradcheck ${name}: input ${k} [${inp.shape}] error ${err.toExponential(3)} > ${tol}; ` +
            `worst at ${worst}: analytic ${analytic[worst]}, numeric ${numeric[worst]} — replay with HIPPO_SEED=${opts.seed}`,
        );
      }
      errors.push(err);
    });
    for (const x of xs) {
      x.grad?.dispose();
    }
    return { errors };
  });
}

/** Values and gradients of `fn` on one backend (float32), for backend-agreement tests. */
export async function runOn(
  backend: Backend,
  fn: (...xs: Tensor[]) => Tensor,
  inputs: CheckInput[],
  cotangentSeed: number,
): Promise<{ out: Float32Array; grads: Float32Array[] }> {
  const xs = inputs.map((inp) => Tensor.fromArray(backend, Float32Array.from(inp.data), inp.shape, { requiresGrad: inp.grad !== false }));
  const y = fn(...xs);
  const g = new Rng(cotangentSeed).fillNormal(new Float32Array(y.size));
  const out = Float32Array.from(await y.toArray());
  if (y.requiresGrad) y.backward(Tensor.fromArray(backend, g, y.shape));
  const grads: Float32Array[] = [];
  for (const x of xs) if (x.requiresGrad) grads.push(x.grad ? Float32Array.from(await x.grad.toArray()) : new Float32Array(x.size));
  for (const x of xs) {
    x.grad?.dispose();
    x.dispose();
  }
  y.dispose();
  return { out, grads };
}
