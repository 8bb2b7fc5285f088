/** Median of `reps` timed runs of `fn` after `warmup` untimed runs, in milliseconds. */
export function timeMs(fn: () => unknown, opts?: { warmup?: number; reps?: number; minMs?: number }): Promise<number>;
/** Prints and returns `BENCH <caseId> hippo_ms=<x> baseline=<name> baseline_ms=<y> ratio=<y/x>`. */
export function benchLine(caseId: string, hippoMs: number, baseline: string, baselineMs: number): string;
