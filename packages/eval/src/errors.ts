// Error classes with structured fields, so callers and tests can assert on fields rather than prose. They carry
// the same `Symbol.for('hippo.error')` marker as @hippo/kernels' HippoError (this package must not depend on it).

const HIPPO_ERROR = Symbol.for('hippo.error');

/** Base class of every error @hippo/eval throws on purpose. */
export class EvalError extends Error {
  readonly [HIPPO_ERROR] = true;
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/**
 * A data file does not match the task: names the file, the line (jsonl) or row (parquet, 1-based), the field,
 * what was expected and what came in.
 * @example new DataFormatError('CB/val.jsonl', 3, 'label', '"entailment", "contradiction" or "neutral"', '"maybe"')
 */
export class DataFormatError extends EvalError {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly field: string,
    readonly expected: string,
    readonly got: string,
    readonly hint = '',
  ) {
    super(`${file}:${line}: field "${field}": expected ${expected}; got ${got}${hint ? `\n${hint}` : ''}`);
  }
}

/** A task's data could not be found; says where it looked and what it looked for. */
export class DataNotFoundError extends EvalError {
  constructor(
    readonly task: string,
    readonly where: string,
    readonly detail: string,
  ) {
    super(`${task}: no data in ${where}: ${detail}`);
  }
}

/** An option or argument is invalid: names it, what is allowed, and what came in. */
export class EvalConfigError extends EvalError {
  constructor(
    readonly option: string,
    readonly expected: string,
    readonly got: string,
  ) {
    super(`${option}: expected ${expected}; got ${got}`);
  }
}

/** Short printable form of a value for error messages. */
export function describeValue(v: unknown): string {
  if (v === undefined) return 'nothing (field missing)';
  if (typeof v === 'bigint') return `${v}n`;
  const s = JSON.stringify(v) ?? String(v);
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}
