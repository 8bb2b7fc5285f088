// Means and standard errors as lm-evaluation-harness computes them (metrics.py): plain sequential sums,
// sample standard deviation with n − 1, and the chunked, seeded bootstrap for non-mean aggregates.
import { PyRandom } from '../python/py-random.js';
import type { MetricValue } from './metric.js';

/** Arithmetic mean (sequential sum, like Python's `sum(arr) / len(arr)` before 3.12). */
export function mean(xs: readonly number[]): number {
  let s = 0;
  for (const x of xs) s += x;
  return s / xs.length;
}

/** `sample_stddev`: sqrt(Σ(x − μ)² / (n − 1)); null for n < 2, where the harness divides by zero. */
export function sampleStddev(xs: readonly number[]): number | null {
  if (xs.length < 2) return null;
  const mu = mean(xs);
  let s = 0;
  for (const x of xs) s += (x - mu) ** 2;
  return Math.sqrt(s / (xs.length - 1));
}

/** `mean_stderr`: sample stddev / sqrt(n). */
export function meanStderr(xs: readonly number[]): number | null {
  const sd = sampleStddev(xs);
  return sd === null ? null : sd / Math.sqrt(xs.length);
}

/** A harness `mean` metric with its stderr. */
export function meanMetric(xs: readonly number[], origin: MetricValue['origin'] = 'harness'): MetricValue {
  return { value: mean(xs), stderr: meanStderr(xs), stderrMethod: 'mean', origin };
}

/**
 * The harness's `bootstrap_stderr`: `iters` resamples with replacement in chunks of ≤1000, chunk i drawn by
 * `random.Random(i).choices(items, k=n)`, then the sample stddev of the metric over the resamples.
 */
export function bootstrapStderr<T>(metric: (items: T[]) => number, items: readonly T[], iters: number): number | null {
  const chunk = Math.min(1000, iters);
  const values: number[] = [];
  for (let i = 0; i < Math.floor(iters / chunk); i++) {
    const rnd = new PyRandom(i);
    for (let j = 0; j < chunk; j++) values.push(metric(rnd.choices(items, items.length)));
  }
  return sampleStddev(values);
}
