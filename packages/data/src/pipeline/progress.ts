// The operator's view of a run: one status line on stderr, redrawn ≤ 4×/s on a terminal, or a plain line every
// `plainEverySeconds` otherwise (logs, CI), then a summary table. Rates are exponentially weighted over ~10 s so
// the ETA (remaining raw bytes ÷ raw bytes/s) settles instead of jumping.
import type { Manifest } from './manifest.js';
import type { ProgressSnapshot } from './tokenize-corpus.js';

const TAU_S = 10;

/** Formats and prints progress; feed it snapshots. */
export class ProgressLine {
  private last?: { t: number; raw: number; docs: number; tokens: number; text: number };
  private rates = { raw: 0, docs: 0, tokens: 0, text: 0 };
  private lastPlain = 0;
  private drawn = false;
  private readonly t0 = performance.now();

  constructor(
    private readonly stream: NodeJS.WriteStream,
    private readonly mode: 'tty' | 'plain' | 'none',
    private readonly plainEverySeconds = 10,
  ) {}

  update(p: ProgressSnapshot): void {
    const t = performance.now();
    if (this.last) {
      const dt = (t - this.last.t) / 1000;
      if (dt <= 0) return;
      const a = 1 - Math.exp(-dt / TAU_S);
      const ewma = (old: number, now: number) => (old === 0 ? now : old + a * (now - old));
      this.rates.raw = ewma(this.rates.raw, (p.rawBytesRead - this.last.raw) / dt);
      this.rates.docs = ewma(this.rates.docs, (p.docs - this.last.docs) / dt);
      this.rates.tokens = ewma(this.rates.tokens, (p.tokens - this.last.tokens) / dt);
      this.rates.text = ewma(this.rates.text, (p.textBytes - this.last.text) / dt);
    }
    this.last = { t, raw: p.rawBytesRead, docs: p.docs, tokens: p.tokens, text: p.textBytes };
    if (this.mode === 'tty') {
      this.stream.write(`\r\x1b[2K${this.format(p)}`);
      this.drawn = true;
    } else if (this.mode === 'plain' && t - this.lastPlain >= this.plainEverySeconds * 1000) {
      this.lastPlain = t;
      this.stream.write(`${this.format(p)}\n`);
    }
  }

  /** the status line for a snapshot */
  format(p: ProgressSnapshot): string {
    const r = this.rates;
    const left = p.rawBytesTotal - p.rawBytesRead;
    const eta = r.raw > 0 ? formatDuration(left / r.raw) : '?';
    const pct = p.rawBytesTotal > 0 ? ((100 * p.rawBytesRead) / p.rawBytesTotal).toFixed(1) : '100.0';
    return [
      `file ${p.file + 1 > p.files ? p.files : p.file + 1}/${p.files} ${pct}%`,
      `docs ${count(p.docs)} (${count(r.docs)}/s)`,
      `tokens ${count(p.tokens)} (${count(r.tokens)}/s)`,
      `in ${mb(r.raw)}/s, text ${mb(r.text)}/s`,
      `workers ${p.busyWorkers}/${p.workers}`,
      `reorder ${p.reorderDepth}`,
      `ETA ${eta}`,
    ].join(' · ');
  }

  /** Clears the live line (before other output or at the end). */
  clear(): void {
    if (this.drawn) this.stream.write('\r\x1b[2K');
    this.drawn = false;
  }

  elapsedSeconds(): number {
    return (performance.now() - this.t0) / 1000;
  }
}

/** The end-of-run table: per split shards, documents, tokens; then the record counts and the speed. */
export function summaryText(m: Manifest, timing?: { seconds: number; tokensThisRun: number }): string {
  const rows = [['split', 'shards', 'documents', 'tokens', 'tokens/doc']];
  for (const [name, s] of Object.entries(m.splits))
    rows.push([name, String(s.shards.length), count(s.docs, true), count(s.tokens, true), s.docs > 0 ? (s.tokens / s.docs).toFixed(1) : '-']);
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  const table = rows.map((r) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ')).join('\n');
  const c = m.counts;
  const total = m.splits.train.tokens + m.splits.val.tokens;
  const lines = [
    table,
    `records ${count(c.records, true)}; empty documents ${c.emptyDocs}; filtered ${c.filtered}; malformed skipped ${c.skippedBad}; invalid UTF-8 documents ${c.invalidUtf8}`,
    `${mb(c.textBytes)} of text, ${total > 0 ? (c.textBytes / total).toFixed(2) : '-'} bytes/token` +
      (timing ? `; ${formatDuration(timing.seconds)} (${count(timing.tokensThisRun / Math.max(timing.seconds, 1e-9))} tokens/s in this run)` : ''),
  ];
  const sets = Object.entries(m.pileSets);
  if (sets.length > 0) lines.push(`Pile components: ${sets.map(([k, v]) => `${k} ${count(v.docs)} docs / ${count(v.tokens)} tokens`).join('; ')}`);
  return lines.join('\n');
}

function count(n: number, exact = false): string {
  if (exact || n < 1e4) return Math.round(n).toLocaleString('en-US');
  if (n < 1e6) return `${(n / 1e3).toFixed(1)}k`;
  if (n < 1e9) return `${(n / 1e6).toFixed(2)}M`;
  return `${(n / 1e9).toFixed(2)}G`;
}

function mb(bytes: number): string {
  return `${(bytes / 1e6).toFixed(1)} MB`;
}

/** 75 → "1m15s", 4000 → "1h06m" */
export function formatDuration(s: number): string {
  if (!Number.isFinite(s)) return '?';
  if (s < 60) return `${s.toFixed(s < 10 ? 1 : 0)}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(Math.floor(s % 60)).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}
