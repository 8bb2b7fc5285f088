// The loss-curve plot: a self-contained SVG (train loss per step, validation loss per evaluation), written by
// hand — about sixty lines, no dependency, a text file that any browser opens and git diffs.

export interface Point {
  step: number;
  loss: number;
}

const W = 720;
const H = 420;
const M = { left: 64, right: 20, top: 40, bottom: 48 };

/** 1, 2 or 5 × 10^k, the tick spacing that gives about `count` ticks over `span`. */
function niceStep(span: number, count: number): number {
  const raw = span / count;
  const p = 10 ** Math.floor(Math.log10(raw));
  return [1, 2, 5, 10].map((m) => m * p).find((s) => s >= raw) ?? 10 * p;
}

function ticks(lo: number, hi: number, count: number): number[] {
  const s = niceStep(hi - lo || 1, count);
  const out: number[] = [];
  for (let v = Math.ceil(lo / s) * s; v <= hi + 1e-9 * s; v += s) out.push(Number(v.toPrecision(12)));
  return out;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * An SVG document plotting `train` (line) and `val` (line with dots) loss against step.
 * @example writeFileSync('loss.svg', lossCurveSvg(train, val, 'h3-tiny on the embedded corpus'));
 */
export function lossCurveSvg(train: Point[], val: Point[], title: string): string {
  const all = [...train, ...val].filter((p) => Number.isFinite(p.loss));
  const maxStep = Math.max(1, ...all.map((p) => p.step));
  let lo = Math.min(...all.map((p) => p.loss));
  let hi = Math.max(...all.map((p) => p.loss));
  if (!all.length) [lo, hi] = [0, 1];
  const pad = (hi - lo) * 0.05 || 0.5;
  [lo, hi] = [lo - pad, hi + pad];
  const x = (s: number) => M.left + (s / maxStep) * (W - M.left - M.right);
  const y = (v: number) => M.top + (1 - (v - lo) / (hi - lo)) * (H - M.top - M.bottom);
  const line = (ps: Point[]) => ps.filter((p) => Number.isFinite(p.loss)).map((p) => `${x(p.step).toFixed(1)},${y(p.loss).toFixed(1)}`).join(' ');
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="${W / 2}" y="22" text-anchor="middle" font-size="14">${esc(title)}</text>`,
  ];
  for (const t of ticks(lo, hi, 6))
    parts.push(`<line x1="${M.left}" x2="${W - M.right}" y1="${y(t).toFixed(1)}" y2="${y(t).toFixed(1)}" stroke="#e5e5e5"/>`, `<text x="${M.left - 6}" y="${(y(t) + 4).toFixed(1)}" text-anchor="end">${t}</text>`);
  for (const t of ticks(0, maxStep, 8)) parts.push(`<text x="${x(t).toFixed(1)}" y="${H - M.bottom + 16}" text-anchor="middle">${t}</text>`);
  parts.push(
    `<rect x="${M.left}" y="${M.top}" width="${W - M.left - M.right}" height="${H - M.top - M.bottom}" fill="none" stroke="#888"/>`,
    `<text x="${(M.left + W - M.right) / 2}" y="${H - 12}" text-anchor="middle">step</text>`,
    `<text transform="translate(16 ${(M.top + H - M.bottom) / 2}) rotate(-90)" text-anchor="middle">loss (nats/token)</text>`,
    `<polyline class="train" fill="none" stroke="#1f77b4" stroke-width="1.5" points="${line(train)}"/>`,
    `<polyline class="val" fill="none" stroke="#d62728" stroke-width="2" points="${line(val)}"/>`,
    ...val.filter((p) => Number.isFinite(p.loss)).map((p) => `<circle cx="${x(p.step).toFixed(1)}" cy="${y(p.loss).toFixed(1)}" r="3" fill="#d62728"/>`),
    `<line x1="${W - 170}" x2="${W - 150}" y1="${M.top + 14}" y2="${M.top + 14}" stroke="#1f77b4" stroke-width="2"/><text x="${W - 144}" y="${M.top + 18}">train loss</text>`,
    `<line x1="${W - 170}" x2="${W - 150}" y1="${M.top + 32}" y2="${M.top + 32}" stroke="#d62728" stroke-width="2"/><text x="${W - 144}" y="${M.top + 36}">validation loss</text>`,
    '</svg>',
  );
  return `${parts.join('\n')}\n`;
}
