// The results record (written as JSON) and its table, laid out like the harness's `make_table`
// (Task | Version | Metric | Value | ± | Stderr), plus the docs count and where each number comes from.
import { rename, writeFile } from 'node:fs/promises';
import type { DataLayout, TaskName } from '../data/docs.js';
import type { MetricValue } from '../metrics/metric.js';
import type { ModelInfo } from '../model/types.js';
import type { PromptVersion } from '../tasks/task.js';

/** One task's outcome. */
export interface TaskResult {
  harnessTask: string;
  harnessVersion: string;
  harnessDataset: string;
  /** Documents evaluated (MultiRC: answer rows). */
  docs: number;
  /** Loglikelihood requests made. */
  requests: number;
  metrics: Record<string, MetricValue>;
  data: { dir: string; layout: DataLayout | null; files: { train: string[]; validation: string[] } };
  notes: string[];
}

/** Everything a SuperGLUE run reports. */
export interface EvalResults {
  kind: 'hippo-eval/superglue';
  schemaVersion: 1;
  model: ModelInfo & { maxLength: number };
  config: {
    promptVersion: PromptVersion;
    tokenization: 'separate' | 'joint';
    tokenizer: string;
    shots: number;
    seed: number;
    limit: number | null;
    tasks: TaskName[];
    batchSize: number;
    sharedPrefix: boolean;
  };
  results: Partial<Record<TaskName, TaskResult>>;
  startedAt: string;
  durationS: number;
}

/**
 * A Markdown table of the results, one row per metric.
 * @example console.log(resultsTable(results));
 */
export function resultsTable(r: EvalResults): string {
  const rows: string[][] = [['Task', 'Version', 'Docs', 'Metric', 'Value', '', 'Stderr']];
  const notes = new Set<string>();
  const boots: string[] = [];
  for (const [task, res] of Object.entries(r.results) as [TaskName, TaskResult][]) {
    let first = true;
    for (const [name, m] of Object.entries(res.metrics)) {
      let label = name;
      if (m.origin === 'extra') {
        label += ' (extra)';
        notes.add('(extra): not reported by the harness; added for SuperGLUE comparability.');
      }
      let se = m.stderr === null ? '' : m.stderr.toFixed(4);
      if (m.stderr !== null && m.stderrMethod.startsWith('bootstrap')) {
        se += '*';
        boots.push(`${task} ${name}: ${m.stderrMethod.slice('bootstrap-'.length)}`);
      }
      rows.push([first ? task : '', first ? res.harnessVersion : '', first ? String(res.docs) : '', label, m.value.toFixed(4), m.stderr === null ? '' : '±', se]);
      first = false;
    }
  }
  const widths = rows[0].map((_, c) => Math.max(...rows.map((row) => row[c].length)));
  const line = (row: string[]) => `|${row.map((x, c) => ` ${x.padEnd(widths[c])} `).join('|')}|`;
  const out = [line(rows[0]), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.slice(1).map(line)];
  const head =
    `${r.model.name}: ${r.config.shots}-shot, prompts ${r.config.promptVersion} (tokenization ${r.config.tokenization}), ` +
    `seed ${r.config.seed}${r.config.limit !== null ? `, limit ${r.config.limit}` : ''}`;
  if (boots.length) notes.add(`*: bootstrap stderr, the harness's seeded resampling (resamples: ${boots.join(', ')})`);
  return [head, ...out, ...notes].join('\n');
}

/** Writes JSON through a temporary file and a rename, so a crash never leaves half a file. */
export async function writeJsonAtomic(path: string, value: unknown): Promise<void> {
  const tmp = `${path}.tmp-${process.pid}`;
  await writeFile(tmp, `${JSON.stringify(value, null, 2)}\n`);
  await rename(tmp, path);
}
