// The text normalisation of the Hugging Face `openwebtext` loading script, which produced the documents that
// flash-attention and nanoGPT counted (design/data.md §1.3): runs of three or more newlines become exactly two,
// then Python's `str.strip()`.

// Python's str.isspace() set (what str.strip() removes): differs from JS trim() — it includes U+001C–U+001F and
// U+0085 and excludes U+FEFF.
const PY_SPACE = new Set([
  0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x1c, 0x1d, 0x1e, 0x1f, 0x20, 0x85, 0xa0, 0x1680, 0x2000, 0x2001, 0x2002, 0x2003,
  0x2004, 0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200a, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000,
]);

/**
 * Python's `str.strip()` with no argument.
 * @example pyStrip('\u0085 x \ufeff') // 'x \ufeff'
 */
export function pyStrip(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && PY_SPACE.has(s.charCodeAt(a))) a++;
  while (b > a && PY_SPACE.has(s.charCodeAt(b - 1))) b--;
  return a === 0 && b === s.length ? s : s.slice(a, b);
}

/** The HF openwebtext script's cleaning: `re.sub("\n\n\n+", "\n\n", text).strip()`. */
export function normaliseOwt(text: string): string {
  return pyStrip(text.replace(/\n\n\n+/g, '\n\n'));
}
