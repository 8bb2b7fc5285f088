// Training progress on stderr: one self-rewriting line on a terminal (at most 4 redraws a second), a plain
// line every 10 s otherwise (logs, CI) — step, loss, tokens/s and the time left, like apps/eval's reporter.

function duration(s: number): string {
  if (!Number.isFinite(s)) return '?';
  const t = Math.round(s);
  return t >= 3600 ? `${Math.floor(t / 3600)}h${String(Math.floor((t % 3600) / 60)).padStart(2, '0')}m` : t >= 60 ? `${Math.floor(t / 60)}m${String(t % 60).padStart(2, '0')}s` : `${t}s`;
}

/** A progress line for steps [from, total]. */
export class ProgressBar {
  private readonly tty: boolean;
  private lastDraw = -Infinity;
  private readonly t0 = performance.now();
  private drawn = false;

  constructor(
    private readonly total: number,
    private readonly from: number,
    private readonly out: NodeJS.WriteStream = process.stderr,
  ) {
    this.tty = out.isTTY === true;
  }

  /** Reports step `step` (1-based) with its loss and throughput; `note` e.g. "val 5.41". */
  update(step: number, loss: number, tokensPerSecond: number, note = ''): void {
    const now = performance.now();
    const final = step === this.total;
    if (now - this.lastDraw < (this.tty ? 250 : 10_000) && !final) return;
    this.lastDraw = now;
    const done = step - this.from;
    const eta = ((now - this.t0) / 1000 / Math.max(done, 1)) * (this.total - step);
    const width = 24;
    const filled = Math.round((width * step) / this.total);
    const bar = this.tty ? `[${'='.repeat(Math.max(filled - 1, 0))}${filled > 0 ? '>' : ''}${' '.repeat(width - filled)}] ` : '';
    const line = `${bar}step ${step}/${this.total} · loss ${loss.toFixed(4)} · ${Math.round(tokensPerSecond).toLocaleString('en-US')} tok/s · ETA ${duration(eta)}${note ? ` · ${note}` : ''}`;
    if (this.tty) {
      this.out.write(`\r\x1b[2K${line}`);
      this.drawn = true;
    } else this.out.write(`${line}\n`);
  }

  /** Writes a log line without tearing the progress line. */
  log(line: string): void {
    if (this.tty && this.drawn) this.out.write('\r\x1b[2K');
    this.out.write(`${line}\n`);
    if (this.tty) this.lastDraw = -Infinity; // redraw the bar under the log line at the next update
  }

  /** Ends the progress line. */
  done(): void {
    if (this.tty && this.drawn) this.out.write('\n');
    this.drawn = false;
  }
}
