// Progress on stderr for long scoring runs: a self-rewriting line on a terminal, a line per 10% otherwise
// (logs, CI), each with the rate and the time left.

/** Returns an `onProgress(done, total)` callback that reports on stderr. */
export function progressReporter(label: string): (done: number, total: number) => void {
  const t0 = performance.now();
  const tty = process.stderr.isTTY === true;
  let lastDecile = -1;
  return (done, total) => {
    const s = (performance.now() - t0) / 1000;
    const rate = done / Math.max(s, 1e-9);
    const eta = rate > 0 ? (total - done) / rate : 0;
    const line = `${label}: ${done}/${total} requests (${((100 * done) / total).toFixed(0)}%), ${rate.toFixed(1)}/s, ${eta.toFixed(0)}s left`;
    if (tty) process.stderr.write(`\r${line}${done === total ? '\n' : ''}`);
    else {
      const decile = Math.floor((10 * done) / total);
      if (decile !== lastDecile) {
        lastDecile = decile;
        process.stderr.write(`${line}\n`);
      }
    }
  };
}
