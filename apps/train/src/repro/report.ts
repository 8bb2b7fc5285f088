// Writing a reproduction's results: the markdown report, the raw results as JSON and one loss plot per run,
// each file replaced atomically, so an interrupted command never leaves a half-written table.
import { writeFileAtomic } from '@hippo/tensor';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { lossCurveSvg } from '../plot.js';
import type { JobResult } from './jobs.js';

export const TABLE_FILE = 'table.md';
export const RESULTS_FILE = 'results.json';

/** A GitHub-flavoured markdown table; numeric-looking columns are right-aligned. */
export function markdownTable(head: readonly string[], rows: readonly (readonly string[])[]): string {
  const numeric = head.map((_, c) => rows.length > 0 && rows.every((r) => /^[-—\d.,%]+$/.test(r[c] ?? '')));
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  return [line(head), line(numeric.map((n) => (n ? '---:' : '---'))), ...rows.map(line)].join('\n');
}

/** 0.9876 → "98.8" */
export function pct(x: number): string {
  return Number.isFinite(x) ? (100 * x).toFixed(1) : '—';
}

/** The file name of a run's plot: `induction-head/h3` → `induction-head-h3.svg`. */
export function plotFile(id: string): string {
  return `${id.replace(/[^a-z0-9.-]+/gi, '-')}.svg`;
}

/**
 * Writes `<out>/table.md` (the report), `<out>/results.json` (settings and every result) and one loss plot
 * `<out>/<run>.svg` per run; returns the paths written.
 */
export async function writeReport(out: string, report: string, settings: unknown, results: readonly JobResult[], wallSeconds: number): Promise<string[]> {
  await mkdir(out, { recursive: true });
  const written: string[] = [];
  const put = async (name: string, text: string) => {
    await writeFileAtomic(join(out, name), text);
    written.push(join(out, name));
  };
  for (const r of results)
    await put(plotFile(r.id), lossCurveSvg(r.trainCurve, r.evals.map((e) => ({ step: e.step, loss: e.valLoss })), `${r.id} · ${r.parameters.toLocaleString('en-US')} parameters`));
  await put(RESULTS_FILE, `${JSON.stringify({ settings, wallSeconds, results }, null, 1)}\n`);
  await put(TABLE_FILE, report);
  return written;
}
