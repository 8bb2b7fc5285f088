// Which input formats exist, how a path's format is recognised, and how the inputs on the command line turn
// into one sorted list of source files. The order of that list fixes the order of every document in the
// output, so it is a pure function of the paths (sorted by name, folders walked recursively).
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { UsageError } from '../errors.js';

/**
 * Supported inputs:
 * - `text`: a plain UTF-8 `.txt` file; the whole file is one document.
 * - `jsonl`: one JSON record per line: `{"text": …}` (field configurable; a list of strings is joined with
 *   blank lines, lm_dataformat style) or a bare JSON string.
 * - `jsonl.zst`: the same, zstd-compressed (The Pile, OpenWebText2); any number of concatenated frames.
 * - `owt-tar`: the OpenWebText tarball as the Hub serves it: a tar of `.xz` members, each an xz-compressed tar
 *   of `.txt` documents (tar → xz → tar → txt).
 * - `owt-xz`: one such `.xz` member on its own (the original extracted `openwebtext/` folder holds these).
 * - `parquet`: Hugging Face's Parquet layout, one `text` column (column configurable).
 */
export type InputFormat = 'text' | 'jsonl' | 'jsonl.zst' | 'owt-tar' | 'owt-xz' | 'parquet';

/** Every format, with the file names each is recognised by. */
export const FORMATS: readonly { format: InputFormat; suffixes: readonly string[]; what: string }[] = [
  { format: 'text', suffixes: ['.txt'], what: 'plain UTF-8 text, one document per file' },
  { format: 'jsonl', suffixes: ['.jsonl', '.ndjson'], what: 'JSON lines with a text field' },
  { format: 'jsonl.zst', suffixes: ['.jsonl.zst', '.jsonl.zstd', '.ndjson.zst'], what: 'zstd-compressed JSON lines (The Pile)' },
  { format: 'owt-tar', suffixes: ['.tar'], what: 'OpenWebText tar of .xz members holding tars of .txt' },
  { format: 'owt-xz', suffixes: ['.xz'], what: 'one OpenWebText .xz member (xz-compressed tar of .txt)' },
  { format: 'parquet', suffixes: ['.parquet'], what: 'Parquet with a text column (Hugging Face layout)' },
];

/** One input file in the global order. */
export interface SourceFile {
  /** the path as the user gave it, or joined below a folder the user gave */
  path: string;
  format: InputFormat;
  bytes: number;
  mtimeMs: number;
}

/** The text listing the supported formats, for error messages and `--help`. */
export function supportedFormatsText(): string {
  return FORMATS.map((f) => `  ${f.format.padEnd(10)} ${f.suffixes.join(' ').padEnd(34)} ${f.what}`).join('\n');
}

/** The format a file name implies, or undefined. */
export function formatOf(path: string): InputFormat | undefined {
  const lower = path.toLowerCase();
  // longest suffix first so that `.jsonl.zst` wins over a shorter match
  let best: { format: InputFormat; len: number } | undefined;
  for (const f of FORMATS)
    for (const s of f.suffixes) if (lower.endsWith(s) && (!best || s.length > best.len)) best = { format: f.format, len: s.length };
  return best?.format;
}

/** Parses a `--format` value. */
export function parseFormat(v: string): InputFormat {
  const f = FORMATS.find((x) => x.format === v);
  if (!f) throw new UsageError(`--format must be one of ${FORMATS.map((x) => x.format).join(', ')}; got '${v}'`);
  return f.format;
}

/**
 * Expands files and folders into the sorted list of source files. A file given by name must have a known
 * format (or `forced`); inside folders, files of unknown formats are skipped and counted in `skipped`.
 */
export function listSources(inputs: readonly string[], forced?: InputFormat): { sources: SourceFile[]; skipped: Map<string, number> } {
  if (inputs.length === 0) throw new UsageError('no input files or folders given');
  const sources: SourceFile[] = [];
  const skipped = new Map<string, number>();
  for (const input of inputs) {
    let st;
    try {
      st = statSync(input);
    } catch {
      throw new UsageError(`input '${input}' does not exist`);
    }
    if (st.isDirectory()) {
      const found: SourceFile[] = [];
      for (const rel of walk(input)) {
        const path = join(input, rel);
        const format = forced ?? formatOf(rel);
        if (!format) {
          const ext = extension(rel);
          skipped.set(ext, (skipped.get(ext) ?? 0) + 1);
          continue;
        }
        const s = statSync(path);
        found.push({ path, format, bytes: s.size, mtimeMs: s.mtimeMs });
      }
      if (found.length === 0)
        throw new UsageError(`folder '${input}' holds no file of a supported format. Supported formats:\n${supportedFormatsText()}`);
      sources.push(...found);
    } else {
      const format = forced ?? formatOf(input);
      if (!format)
        throw new UsageError(`'${input}': unknown input format (by its name). Supported formats:\n${supportedFormatsText()}\n  or force one with --format`);
      sources.push({ path: input, format, bytes: st.size, mtimeMs: st.mtimeMs });
    }
  }
  return { sources, skipped };
}

/** Files below `dir`, relative, sorted by path (code-unit order, so the order never depends on the locale). */
function walk(dir: string): string[] {
  const out: string[] = [];
  const visit = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) visit(p);
      else if (e.isFile()) out.push(relative(dir, p));
    }
  };
  visit(dir);
  return out.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

function extension(name: string): string {
  const base = name.slice(name.lastIndexOf('/') + 1);
  const dot = base.indexOf('.');
  return dot < 0 ? '(none)' : base.slice(dot);
}
