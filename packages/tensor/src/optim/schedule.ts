// Learning-rate schedules as factors of the base LR.

export interface WarmupCosineOptions {
  warmupSteps: number;
  totalSteps: number;
  /** Final factor at totalSteps (e.g. 0.1 → decay to 10% of the base LR). */
  minFactor?: number;
}

/**
 * Linear warmup from 0 to 1 over `warmupSteps`, then cosine decay to `minFactor` at `totalSteps`
 * (held there afterwards). `step` counts from 0.
 */
export function warmupCosine(opts: WarmupCosineOptions): (step: number) => number {
  const { warmupSteps, totalSteps } = opts;
  const minFactor = opts.minFactor ?? 0;
  if (!(warmupSteps >= 0 && totalSteps > warmupSteps)) throw new RangeError(`warmupCosine: need 0 ≤ warmupSteps (${warmupSteps}) < totalSteps (${totalSteps})`);
  return (step) => {
    if (step < warmupSteps) return (step + 1) / warmupSteps;
    const t = Math.min(1, (step - warmupSteps) / (totalSteps - warmupSteps));
    return minFactor + (1 - minFactor) * 0.5 * (1 + Math.cos(Math.PI * t));
  };
}
