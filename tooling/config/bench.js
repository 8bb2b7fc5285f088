// Benchmark helpers shared by every package's `bench/` scripts.
// Each case ends with one machine-readable line:
//   BENCH <case-id> hippo_ms=<x> baseline=<name> baseline_ms=<y> ratio=<y/x>

/**
 * Times `fn` (sync or async): `warmup` untimed runs, then the median of `reps` timed runs, in ms.
 * @param {() => unknown} fn
 * @param {{ warmup?: number, reps?: number, minMs?: number }} [opts]
 */
export async function timeMs(fn, opts = {}) {
  const warmup = opts.warmup ?? 2;
  const reps = opts.reps ?? 5;
  for (let i = 0; i < warmup; i++) await fn();
  const times = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

/**
 * Prints the BENCH line for one case and returns it.
 * @param {string} caseId @param {number} hippoMs @param {string} baseline @param {number} baselineMs
 */
export function benchLine(caseId, hippoMs, baseline, baselineMs) {
  const line = `BENCH ${caseId} hippo_ms=${hippoMs.toFixed(3)} baseline=${baseline} baseline_ms=${baselineMs.toFixed(3)} ratio=${(baselineMs / hippoMs).toFixed(3)}`;
  console.log(line);
  return line;
}
