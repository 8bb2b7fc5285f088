// Small helpers for reading command-line values with messages that name the option and what it accepts.
import { EvalConfigError } from '@hippo/eval';

/** A positive (or, with `min: 0`, non-negative) integer option; undefined stays undefined. */
export function intOption(name: string, v: string | undefined, min = 1): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n < min) throw new EvalConfigError(`--${name}`, `an integer ≥ ${min}`, JSON.stringify(v));
  return n;
}

/** A required option. */
export function required(name: string, v: string | undefined, what: string): string {
  if (v === undefined || v === '') throw new EvalConfigError(`--${name}`, what, 'nothing');
  return v;
}

/** One of a fixed set of values. */
export function choice<T extends string>(name: string, v: string | undefined, values: readonly T[], fallback: T): T {
  if (v === undefined) return fallback;
  if (!(values as readonly string[]).includes(v)) throw new EvalConfigError(`--${name}`, values.join(' or '), JSON.stringify(v));
  return v as T;
}
