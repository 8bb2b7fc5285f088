// Shared settings of the tests: a two-layer hybrid (one H3, one attention layer) small enough that a step takes
// milliseconds on the cpu backend.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

export const TINY = { dModel: 16, nLayer: 2, attnLayerIdx: [1], attnHeads: 2, dInner: 32, dState: 8 };

/** The same as command-line flags. */
export const TINY_FLAGS = Object.entries(TINY).flatMap(([k, v]) => ['--set', `${k}=${JSON.stringify(v)}`]);

const made: string[] = [];
// registered on the importing test file's root suite: its folders go when the file is done
afterAll(() => {
  for (const d of made.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A fresh temporary folder, removed after the test file. */
export function tempDir(label: string): string {
  const d = mkdtempSync(join(tmpdir(), `hippo-train-${label}-`));
  made.push(d);
  return d;
}
