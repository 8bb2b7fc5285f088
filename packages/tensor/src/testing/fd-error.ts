// How far an analytic gradient is from its central differences, shared by gradcheck and moduleGradcheck.

/** Root mean square over every entry of `grads`: the scale of the absolute allowance. */
export function rmsOf(grads: Iterable<ArrayLike<number> | null>): number {
  let total = 0;
  let count = 0;
  for (const g of grads) {
    if (!g) continue;
    for (let j = 0; j < g.length; j++) total += g[j] * g[j];
    count += g.length;
  }
  return Math.sqrt(total / Math.max(count, 1));
}

/**
 * ‖analytic − numeric‖ / (‖numeric‖ + floor·√n): relative L2, except that a gradient near zero is held to an
 * absolute `floor` per entry instead of to a relative error below the difference quotients' noise.
 */
export function scaledError(analytic: ArrayLike<number>, numeric: ArrayLike<number>, floor: number): number {
  let diff = 0;
  let norm = 0;
  for (let j = 0; j < numeric.length; j++) {
    diff += (analytic[j] - numeric[j]) ** 2;
    norm += numeric[j] ** 2;
  }
  const scale = Math.sqrt(norm) + floor * Math.sqrt(numeric.length);
  return scale === 0 ? Math.sqrt(diff) : Math.sqrt(diff) / scale;
}

/** The index of the largest |analytic − numeric|, for the failure message. */
export function worstIndex(analytic: ArrayLike<number>, numeric: ArrayLike<number>): number {
  let worst = 0;
  for (let j = 1; j < numeric.length; j++) if (Math.abs(analytic[j] - numeric[j]) > Math.abs(analytic[worst] - numeric[worst])) worst = j;
  return worst;
}
