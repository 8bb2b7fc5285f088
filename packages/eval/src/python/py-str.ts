// Python `str` semantics that the harness prompts depend on and that differ from JavaScript: indices count
// code points (not UTF-16 units), `strip()`/`split()` use Python's whitespace set, `sorted()` compares code
// points, and `\b`/`\w` in `re` are Unicode-aware.

/** Characters for which Python's `str.isspace()` is true (what `strip()` and `split()` remove). */
const PY_WS = '\\t\\n\\x0b\\x0c\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
const LEADING_WS = new RegExp(`^[${PY_WS}]+`, 'u');
const TRAILING_WS = new RegExp(`[${PY_WS}]+$`, 'u');
const WS_RUN = new RegExp(`[${PY_WS}]+`, 'u');

/** Python `s.strip()`. */
export function pyStrip(s: string): string {
  return s.replace(LEADING_WS, '').replace(TRAILING_WS, '');
}

/** Python `s.rstrip()`. */
export function pyRstrip(s: string): string {
  return s.replace(TRAILING_WS, '');
}

/** Python `s.split()` (no separator): runs of whitespace separate, empty pieces dropped. */
export function pySplit(s: string): string[] {
  return s.split(WS_RUN).filter((w) => w !== '');
}

/** Python `s[start:end]` for non-negative indices, counting code points. */
export function pySlice(s: string, start: number, end?: number): string {
  if (isBmpOnly(s)) return s.slice(start, end);
  return Array.from(s).slice(start, end).join('');
}

/** Python `len(s)`: the number of code points. */
export function pyLen(s: string): number {
  return isBmpOnly(s) ? s.length : Array.from(s).length;
}

function isBmpOnly(s: string): boolean {
  return !/[\ud800-\udfff]/.test(s);
}

/** Python's default string order (`sorted(strings)`): by code point, not by UTF-16 unit. */
export function pyCompare(a: string, b: string): number {
  const ia = a[Symbol.iterator]();
  const ib = b[Symbol.iterator]();
  for (;;) {
    const x = ia.next();
    const y = ib.next();
    if (x.done || y.done) return x.done && y.done ? 0 : x.done ? -1 : 1;
    const cx = x.value.codePointAt(0)!;
    const cy = y.value.codePointAt(0)!;
    if (cx !== cy) return cx - cy;
  }
}

/** Python `sorted(set(xs))`. */
export function pySortedUnique(xs: readonly string[]): string[] {
  return [...new Set(xs)].sort(pyCompare);
}

/** Python `re` word character for str patterns: Unicode alphanumerics and underscore. */
export const PY_WORD_CHAR = '[\\p{L}\\p{N}_]';
