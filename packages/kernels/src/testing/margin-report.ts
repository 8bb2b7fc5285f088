// How close each accuracy check came to its bound. With HIPPO_TOL_REPORT=<file>, every check appends one JSON
// line {label, err, bound}; running the suite a few times with fresh seeds and sorting by err/bound shows the
// checks whose tolerance leaves too little room (the ones that would fail CI on an unlucky seed).
import { appendFileSync } from 'node:fs';

/** Appends {label, err, bound} to $HIPPO_TOL_REPORT when it is set; a no-op otherwise. */
export function reportMargin(label: string, err: number, bound: number): void {
  const file = process.env.HIPPO_TOL_REPORT;
  if (!file) return;
  appendFileSync(file, `${JSON.stringify({ label, err, bound })}\n`);
}
