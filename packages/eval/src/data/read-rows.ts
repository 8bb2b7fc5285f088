// Reads the raw rows of one data file: JSON lines (official SuperGLUE `*.jsonl`, or HF `Dataset.to_json`) or
// Parquet (HF `super_glue` / `aps/super_glue` exports, read with hyparquet). Each row keeps its 1-based line
// (jsonl) or row (parquet) number so that errors can point at it.
import { readFile } from 'node:fs/promises';
import { asyncBufferFromFile, parquetReadObjects } from 'hyparquet';
import { DataFormatError } from '../errors.js';

/** One raw row and where it came from. */
export interface RawRow {
  value: unknown;
  file: string;
  /** 1-based line (jsonl) or row (parquet) number. */
  line: number;
}

/** Reads every row of a `.jsonl`/`.json` (one JSON object per line) or `.parquet` file. */
export async function readRows(file: string): Promise<RawRow[]> {
  if (file.endsWith('.parquet')) return readParquetRows(file);
  const text = await readFile(file, 'utf8');
  const rows: RawRow[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].replace(/\r$/, '');
    if (line.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (e) {
      throw new DataFormatError(file, i + 1, '(whole line)', 'one JSON object per line', `invalid JSON (${(e as Error).message})`);
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value))
      throw new DataFormatError(file, i + 1, '(whole line)', 'a JSON object', Array.isArray(value) ? 'an array' : typeof value);
    rows.push({ value, file, line: i + 1 });
  }
  return rows;
}

async function readParquetRows(file: string): Promise<RawRow[]> {
  let objects: Record<string, unknown>[];
  try {
    objects = await parquetReadObjects({ file: await asyncBufferFromFile(file) });
  } catch (e) {
    throw new DataFormatError(file, 0, '(file)', 'a readable Parquet file', (e as Error).message);
  }
  return objects.map((o, i) => ({ value: toPlainNumbers(o), file, line: i + 1 }));
}

/** Parquet INT64 columns (HF ClassLabel) come back as bigint; the task code wants numbers. */
function toPlainNumbers(v: unknown): unknown {
  if (typeof v === 'bigint') return Number.isSafeInteger(Number(v)) ? Number(v) : v;
  if (Array.isArray(v)) return v.map(toPlainNumbers);
  if (v !== null && typeof v === 'object' && !(v instanceof Uint8Array)) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = toPlainNumbers(x);
    return out;
  }
  return v;
}
