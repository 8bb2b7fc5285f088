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

/**
 * Times functions round-robin (one run of each per round, after `warmup` rounds), so load drifts over all alike.
 * Returns per function the median wall ms, the median process CPU ms (for a 1-thread run it leaves out the time
 * other processes held the core; CPU / wall is the number of cores a run had at once) and the fastest wall ms
 * (the run least disturbed by others).
 * @param {(() => void)[]} fns @param {number} warmup @param {number} reps
 */
export function timeInterleaved(fns, warmup, reps) {
  const wall = fns.map(() => []);
  const cpu = fns.map(() => []);
  for (let round = 0; round < warmup + reps; round++)
    fns.forEach((fn, i) => {
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      fn();
      const t = performance.now() - t0;
      const c = process.cpuUsage(c0);
      if (round >= warmup) {
        wall[i].push(t);
        cpu[i].push((c.user + c.system) / 1000);
      }
    });
  const median = (t) => [...t].sort((a, b) => a - b)[Math.floor(t.length / 2)];
  return { wall: wall.map(median), cpu: cpu.map(median), min: wall.map((t) => Math.min(...t)) };
}
