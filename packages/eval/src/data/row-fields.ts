// Typed access to the fields of one raw row; every failure is a DataFormatError naming file, line and field.
import { DataFormatError, describeValue } from '../errors.js';

/** Reads fields of one row (or of a nested object inside it, with a dotted `prefix`). */
export class RowFields {
  constructor(
    readonly value: Record<string, unknown>,
    readonly file: string,
    readonly line: number,
    readonly hint: string,
    private readonly prefix = '',
  ) {}

  has(name: string): boolean {
    return this.value[name] !== undefined && this.value[name] !== null;
  }

  raw(name: string): unknown {
    return this.value[name];
  }

  fail(name: string, expected: string, got: unknown): never {
    throw new DataFormatError(this.file, this.line, this.prefix + name, expected, describeValue(got), this.hint);
  }

  str(name: string): string {
    const v = this.value[name];
    if (typeof v !== 'string') this.fail(name, 'a string', v);
    return v;
  }

  int(name: string, min = -Infinity): number {
    const v = this.value[name];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min) this.fail(name, min > -Infinity ? `an integer ≥ ${min}` : 'an integer', v);
    return v;
  }

  bool(name: string): boolean {
    const v = this.value[name];
    if (typeof v !== 'boolean') this.fail(name, 'true or false', v);
    return v;
  }

  /** A string from a fixed set; returns its index in `values`. */
  oneOf(name: string, values: readonly string[]): number {
    const v = this.value[name];
    const i = typeof v === 'string' ? values.indexOf(v) : -1;
    if (i < 0) this.fail(name, values.map((x) => JSON.stringify(x)).join(' or '), v);
    return i;
  }

  /** An HF ClassLabel index in [0, numClasses); -1 (unlabelled test rows) is refused with a hint. */
  classLabel(name: string, names: readonly string[]): number {
    const v = this.value[name];
    if (v === -1) this.fail(name, `a label index 0..${names.length - 1} (${names.join(', ')}); -1 marks an unlabelled test row, use train/validation`, v);
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v >= names.length)
      this.fail(name, `a label index 0..${names.length - 1} (${names.join(', ')})`, v);
    return v;
  }

  obj(name: string): RowFields {
    const v = this.value[name];
    if (typeof v !== 'object' || v === null || Array.isArray(v)) this.fail(name, 'an object', v);
    return new RowFields(v as Record<string, unknown>, this.file, this.line, this.hint, `${this.prefix}${name}.`);
  }

  /** The elements of an array field, objects wrapped as RowFields named `name[i]`. */
  objs(name: string): RowFields[] {
    const v = this.value[name];
    if (!Array.isArray(v)) this.fail(name, 'an array', v);
    return v.map((x, i) => {
      if (typeof x !== 'object' || x === null || Array.isArray(x)) this.fail(`${name}[${i}]`, 'an object', x);
      return new RowFields(x as Record<string, unknown>, this.file, this.line, this.hint, `${this.prefix}${name}[${i}].`);
    });
  }

  strs(name: string): string[] {
    const v = this.value[name];
    if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) this.fail(name, 'an array of strings', v);
    return v as string[];
  }
}
