// All eight tasks by name.
import { TASK_NAMES, type AnyDoc, type TaskName } from '../data/docs.js';
import { EvalConfigError } from '../errors.js';
import { boolq } from './boolq.js';
import { cb } from './cb.js';
import { copa } from './copa.js';
import { multirc } from './multirc.js';
import { record } from './record.js';
import { rte } from './rte.js';
import type { TaskSpec } from './task.js';
import { wic } from './wic.js';
import { wsc } from './wsc.js';

/** The task definitions by name. */
export const TASKS = { boolq, cb, copa, multirc, record, rte, wic, wsc } as const;

/** The task definition for a name, typed loosely for generic code. */
export function getTask(name: TaskName): TaskSpec<AnyDoc> {
  return TASKS[name] as unknown as TaskSpec<AnyDoc>;
}

/** The H3 / Hyena table order. */
export const PAPER_TASK_ORDER: readonly TaskName[] = ['wsc', 'wic', 'rte', 'cb', 'multirc', 'record', 'boolq', 'copa'];

/**
 * Parses a `--tasks` value: comma-separated names, or `all` (the paper's order).
 * @example parseTaskList('cb,copa'); // ['cb', 'copa']
 */
export function parseTaskList(s: string): TaskName[] {
  if (s.trim() === 'all') return [...PAPER_TASK_ORDER];
  const names = s.split(',').map((x) => x.trim().toLowerCase()).filter((x) => x !== '');
  const aliases: Record<string, TaskName> = { sglue_rte: 'rte', 'wsc.fixed': 'wsc' };
  const out: TaskName[] = [];
  for (const n of names) {
    const t = (TASK_NAMES as readonly string[]).includes(n) ? (n as TaskName) : aliases[n];
    if (!t) throw new EvalConfigError('--tasks', `a comma-separated list of ${TASK_NAMES.join(', ')} (or all)`, JSON.stringify(n));
    if (!out.includes(t)) out.push(t);
  }
  if (out.length === 0) throw new EvalConfigError('--tasks', 'at least one task', JSON.stringify(s));
  return out;
}
