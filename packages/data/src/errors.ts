// Error classes with structured fields, so the CLI prints them without a stack trace and tests assert on
// fields rather than prose. Anything else that escapes is a bug and keeps its stack.

const DATA_ERROR = Symbol.for('hippo.data.error');

/** Base class of every error `@hippo/data` throws on purpose (bad input, bad options, bad output folder). */
export class DataError extends Error {
  readonly [DATA_ERROR] = true;
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
  /** True for any DataError, even across duplicated package copies. */
  static isInstance(e: unknown): e is DataError {
    return typeof e === 'object' && e !== null && (e as Record<symbol, unknown>)[DATA_ERROR] === true;
  }
}

/** Where in an input a problem sits: the file, and a line (1-based), a byte offset or an archive member. */
export interface InputLocation {
  file: string;
  line?: number;
  /** byte offset in the file as stored (compressed bytes for .zst/.xz) */
  offset?: number;
  /** end of the byte range, when the problem is known only to lie in [offset, offsetEnd) */
  offsetEnd?: number;
  /** archive member (OpenWebText: `urlsf_subset00-1_data.xz` or `…/0001-abc.txt`) */
  member?: string;
  /** byte offset inside the member as stored (its .xz stream), when its place in the file is not tracked */
  memberOffset?: number;
}

/** Malformed or corrupt input: names the file and line, byte offset or member, and what was wrong. */
export class InputError extends DataError {
  constructor(
    readonly where: InputLocation,
    readonly problem: string,
    readonly hint?: string,
  ) {
    super(`${formatLocation(where)}: ${problem}${hint ? `\n  hint: ${hint}` : ''}`);
  }
}

/** A command-line or API option was invalid: names it, what was expected and what came in. */
export class UsageError extends DataError {
  constructor(message: string) {
    super(message);
  }
}

/** `file:line`, `file at byte N`, `file, member M (bytes A–B)`, `file, member M, byte N of the member`. */
export function formatLocation(w: InputLocation): string {
  let s = w.file;
  if (w.line !== undefined) s += `:${w.line}`;
  if (w.member !== undefined) s += `, member ${w.member}`;
  if (w.memberOffset !== undefined && w.offset === undefined) s += `, byte ${w.memberOffset} of the member`;
  if (w.offset !== undefined)
    s += w.offsetEnd !== undefined ? ` (bytes ${w.offset}–${w.offsetEnd})` : ` at byte ${w.offset}`;
  return s;
}
