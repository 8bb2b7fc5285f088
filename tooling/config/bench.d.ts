/** Median of `reps` timed runs of `fn` after `warmup` untimed runs, in milliseconds. */
export function timeMs(fn: () => unknown, opts?: { warmup?: number; reps?: number; minMs?: number }): Promise<number>;
/** Prints and returns `BENCH <caseId> hippo_ms=<x> baseline=<name> baseline_ms=<y> ratio=<y/x>`. */
export function benchLine(caseId: string, hippoMs: number, baseline: string, baselineMs: number): string;
/** Round-robin timing of `fns` (`warmup` untimed rounds, then `reps`): median wall ms, median process CPU ms, fastest wall ms of each. */
export function timeInterleaved(fns: (() => void)[], warmup: number, reps: number): { wall: number[]; cpu: number[]; min: number[] };
