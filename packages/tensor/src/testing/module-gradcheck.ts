// Finite-difference gradient check of a whole module in float64: every parameter (and optionally the
// input) of a layer built with `dtype: 'f64'` on the cpu backend, against central differences.
import { Rng } from '@hippo/kernels';
import { reportMargin } from '@hippo/kernels/testing';
import { noGrad, tidy } from '../autograd/scope.js';
import type { Module } from '../nn/module.js';
import { Tensor } from '../tensor.js';
import { rmsOf, scaledError, worstIndex } from './fd-error.js';

/**
 * Checks d/dθ Σ g ⊙ fn(x) for every parameter θ of `module` (float64, built with `dtype: 'f64'`) against
 * (f(θ+h) − f(θ−h)) / 2h, element by element. The error is ‖analytic − numeric‖ / (‖numeric‖ + (atol·rms + noise)·√n),
 * rms the RMS numeric gradient over everything checked and noise = 10·eps·Σ|g·y|/h the rounding noise of a
 * difference quotient: a parameter with gradients far below the rest (inv_A_real's are ~1e-7 of the others in
 * small SSMs) is held to an absolute bound at the module's scale instead of its own near-zero norm. A wrong
 * gradient still fails: it is off by about its own size, far above atol·rms·tol. Throws naming the parameter, its
 * error and the worst element when the error exceeds `tol`. Returns the error per parameter name ('input' for x).
 */
export function moduleGradcheck(
  module: Module,
  fn: (x: Tensor) => Tensor,
  x: Tensor,
  opts: { seed: number; h?: number; tol?: number; /** relative to the RMS gradient; default 1e-3 */ atol?: number; checkInput?: boolean },
): Map<string, number> {
  // h = 1e-4: truncation (h²/6)·f''' stays ~1e-9 relative while the rounding noise eps·Σ|g·y|/h stays small
  const h = opts.h ?? 1e-4;
  const tol = opts.tol ?? 1e-6;
  const atol = opts.atol ?? 1e-3;
  const targets: [string, Tensor][] = [...module.namedParameters()];
  if (opts.checkInput) targets.push(['input', x]);
  for (const [name, t] of targets) if (t.dtype !== 'f64') throw new Error(`moduleGradcheck: ${name} is ${t.dtype}; build the module with dtype 'f64'`);
  const values = (t: Tensor) => (t.storage as unknown as { data: Float64Array }).data;
  module.zeroGrad();
  x.requiresGrad = opts.checkInput ?? false;
  const g = tidy(() => {
    const y = fn(x);
    const cot = new Rng(opts.seed ^ 0x2545f491).fillNormal(new Float64Array(y.size));
    y.backward(Tensor.fromArray(y.backend, cot, y.shape));
    return cot;
  });
  let magnitude = 0; // Σ|g·y|: the scale of the objective's rounding error
  const objective = () =>
    noGrad(() =>
      tidy(() => {
        const out = values(fn(x));
        let s = 0;
        let m = 0;
        for (let i = 0; i < out.length; i++) {
          s += g[i] * out[i];
          m += Math.abs(g[i] * out[i]);
        }
        magnitude = Math.max(magnitude, m);
        return s;
      }),
    );
  const grads = targets.map(([, t]) => {
    const data = values(t);
    const analytic = t.grad ? values(t.grad) : new Float64Array(data.length);
    const numeric = new Float64Array(data.length);
    for (let j = 0; j < data.length; j++) {
      const v = data[j];
      data[j] = v + h;
      const plus = objective();
      data[j] = v - h;
      const minus = objective();
      data[j] = v;
      numeric[j] = (plus - minus) / (2 * h);
    }
    return { analytic, numeric };
  });
  // the RMS gradient over every checked element: a parameter whose gradient is orders of magnitude below it
  // is compared in absolute terms against atol of that scale, not against its own near-zero norm
  const scale = rmsOf(grads.map((g) => g.numeric));
  // each difference quotient also carries ~eps·Σ|g·y|/h of rounding noise (10× for safety)
  const noise = (10 * Number.EPSILON * magnitude) / h;
  const errors = new Map<string, number>();
  targets.forEach(([name, t], k) => {
    const { analytic, numeric } = grads[k];
    const err = scaledError(analytic, numeric, atol * scale + noise);
    reportMargin(`moduleGradcheck ${name}`, err, tol);
    if (!(err <= tol)) {
      const worst = worstIndex(analytic, numeric);
      throw new Error(
        `moduleGradcheck: ${name} [${t.shape}] error ${err.toExponential(3)} > ${tol}; worst at ${worst}: ` +
          `analytic ${analytic[worst]}, numeric ${numeric[worst]} — replay with HIPPO_SEED=${opts.seed}`,
      );
    }
    errors.set(name, err);
  });
  module.zeroGrad();
  x.grad?.dispose();
  x.grad = null;
  return errors;
}
