// Finds and loads one task's splits under a data folder. The folder holds one sub-folder per task, named as in
// the official SuperGLUE zips (BoolQ, CB, COPA, MultiRC, ReCoRD, RTE, WiC, WSC) or as the HF configs (boolq, …,
// wsc.fixed), matched case-insensitively. Inside, a split is any .jsonl/.json/.parquet file whose name starts
// with the split (`val.jsonl`, `validation.jsonl`, `train-00000-of-00001.parquet`) or that sits in a folder
// named after it (`validation/0000.parquet`); shards are read in name order.
import { readdir, stat } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { DataNotFoundError } from '../errors.js';
import type { DataLayout, DocOf, TaskName } from './docs.js';
import { normalizeRows } from './normalize.js';
import { readRows } from './read-rows.js';
import type { PromptVersion } from '../tasks/task.js';

/** A split used by the evaluation. */
export type Split = 'train' | 'validation';

const SPLIT_NAMES: Record<Split, string[]> = { train: ['train'], validation: ['val', 'validation'] };
const DATA_EXT = /\.(jsonl|json|parquet)$/;

/** One task's loaded splits and where they came from. */
export interface TaskData<T extends TaskName> {
  task: T;
  dir: string;
  validation: DocOf[T][];
  /** Present when requested (few-shot or toy-model fitting). */
  train: DocOf[T][] | null;
  files: Record<Split, string[]>;
  layout: DataLayout | null;
  /** Facts the user should know about how this data relates to the harness's (printed and recorded). */
  notes: string[];
}

/** Sub-folder names tried for a task, in order of preference for the prompt version. */
function taskDirNames(task: TaskName, version: PromptVersion): string[] {
  if (task === 'wsc') return version === 'current' ? ['wsc.fixed', 'wsc'] : ['wsc', 'wsc.fixed'];
  return [task];
}

/**
 * Loads the validation split (and the train split when `withTrain`) of `task` from `dataDir`.
 * @example const d = await loadTaskData('data/superglue', 'boolq', 'v0.3', true); d.validation.length; // 3270
 */
export async function loadTaskData<T extends TaskName>(dataDir: string, task: T, version: PromptVersion, withTrain: boolean): Promise<TaskData<T>> {
  const entries = await readdir(dataDir).catch(() => {
    throw new DataNotFoundError(task, dataDir, 'the data folder does not exist or cannot be read');
  });
  const wanted = taskDirNames(task, version);
  let dirName: string | undefined;
  for (const w of wanted) {
    dirName = entries.find((e) => e.toLowerCase() === w);
    if (dirName) break;
  }
  if (!dirName)
    throw new DataNotFoundError(task, dataDir, `expected a sub-folder named ${wanted.join(' or ')} (any case); found ${entries.length ? entries.join(', ') : 'nothing'}`);
  const dir = join(dataDir, dirName);
  const files = await listDataFiles(dir);
  const notes: string[] = [];
  if (task === 'wsc' && version === 'current' && dirName.toLowerCase() === 'wsc')
    notes.push('wsc: the current harness reads HF wsc.fixed (spans repaired by the HF loader); this data is plain wsc, so a few span texts may differ');
  if (task === 'wsc' && version === 'v0.3' && dirName.toLowerCase() === 'wsc.fixed')
    notes.push('wsc: harness v0.3 reads HF wsc; this data is wsc.fixed, so a few span texts may differ');

  const load = async (split: Split) => {
    const splitFiles = pickSplit(files, dir, split, task);
    let layout: DataLayout | null = null;
    const docs: DocOf[T][] = [];
    for (const f of splitFiles) {
      const r = normalizeRows(task, await readRows(f));
      layout ??= r.layout;
      docs.push(...r.docs);
    }
    if (docs.length === 0) throw new DataNotFoundError(task, dir, `the ${split} split (${splitFiles.join(', ')}) has no rows`);
    return { docs, layout, files: splitFiles };
  };
  const val = await load('validation');
  const train = withTrain ? await load('train') : null;
  if (task === 'rte' && version === 'v0.3' && withTrain && val.layout !== 'glue')
    notes.push('rte: harness v0.3 reads GLUE rte (sentence1/sentence2); this is SuperGLUE RTE: same texts, but if its train order differs from GLUE the few-shot draws differ');
  return {
    task,
    dir,
    validation: val.docs,
    train: train?.docs ?? null,
    files: { validation: val.files, train: train?.files ?? [] },
    layout: val.layout,
    notes,
  };
}

async function listDataFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (d: string, depth: number) => {
    for (const e of (await readdir(d)).sort()) {
      const p = join(d, e);
      const s = await stat(p);
      if (s.isDirectory() && depth < 2) await walk(p, depth + 1);
      else if (s.isFile() && DATA_EXT.test(e)) out.push(p);
    }
  };
  await walk(dir, 0);
  return out;
}

function pickSplit(files: string[], dir: string, split: Split, task: TaskName): string[] {
  const names = SPLIT_NAMES[split];
  // Which split name a file matches: its name starts with it, its folder is named after it, or it ends in -<name>.
  const alias = (f: string): string | undefined => {
    const parts = relative(dir, f).split(/[\\/]/);
    const base = parts[parts.length - 1].replace(DATA_EXT, '');
    const parent = parts.length > 1 ? parts[parts.length - 2] : '';
    return names.find((n) => base.split(/[-.]/)[0] === n || parent === n || base.endsWith(`-${n}`));
  };
  const matches = files.filter((f) => alias(f) !== undefined);
  if (matches.length === 0)
    throw new DataNotFoundError(task, dir, `no ${split} file (looked for ${names.map((n) => `${n}.jsonl, ${n}-*.parquet`).join(', ')}); found ${files.length ? files.map((f) => relative(dir, f)).join(', ') : 'no data files'}`);
  // Shards of one split share a folder, a split name and a format; anything else is two copies of the split.
  const groups = new Set(matches.map((f) => `${dirname(f)}|${alias(f)}|${f.endsWith('.parquet')}`));
  if (groups.size > 1)
    throw new DataNotFoundError(task, dir, `the ${split} split is ambiguous: ${matches.map((f) => relative(dir, f)).join(', ')}; keep one copy`);
  return matches;
}
