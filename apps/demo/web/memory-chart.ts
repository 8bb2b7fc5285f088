// A small SVG line chart of generation-state memory against the number of tokens: this model's state (SSM
// layers constant, plus its attention layers' KV cache) and the KV cache of a Transformer of the same size.
// Solid up to the tokens produced so far, dashed beyond, up to a horizon past the point where the
// Transformer's cache overtakes the H3 state (at short lengths a KV cache is the smaller one).
import type { ModelConfig } from '@hippo/models';
import { formatBytes, stateMemory } from '../src/state-memory.js';

const NS = 'http://www.w3.org/2000/svg';
const W = 520;
const H = 250;
const PAD = { left: 70, right: 14, top: 10, bottom: 84 };

interface Series {
  label: string;
  cls: string;
  bytes: (tokens: number) => number;
}

/** Tokens past which the same-size Transformer holds more than this model (Infinity when it never does). */
export function crossover(config: ModelConfig): number {
  const m0 = stateMemory(config, 0);
  const perToken = stateMemory(config, 1).transformerKvBytes - stateMemory(config, 1).kvBytes;
  return perToken > 0 ? m0.ssmBytes / perToken : Infinity;
}

/** Draws into `svg` the memory after 1..tokens tokens; the x axis spans `planned` tokens or more. */
export function drawMemoryChart(svg: SVGSVGElement, config: ModelConfig, tokens: number, planned: number): void {
  const series: Series[] = [
    { label: 'Transformer of the same size: KV cache', cls: 'transformer', bytes: (t) => stateMemory(config, t).transformerKvBytes },
    { label: `this model: SSM state + KV cache of its ${config.attnLayerIdx.length} attention layer(s)`, cls: 'total', bytes: (t) => stateMemory(config, t).totalBytes },
    { label: 'this model: SSM state alone (constant)', cls: 'ssm', bytes: (t) => stateMemory(config, t).ssmBytes },
  ];
  const cross = crossover(config);
  const xMax = Math.ceil(Math.max(planned, tokens, Number.isFinite(cross) ? 3 * cross : 0, 16));
  const yMax = Math.max(...series.map((s) => s.bytes(xMax)), 1);
  const x = (t: number) => PAD.left + ((W - PAD.left - PAD.right) * t) / xMax;
  const y = (b: number) => H - PAD.bottom - ((H - PAD.top - PAD.bottom) * b) / yMax;
  svg.setAttribute('viewBox', `0 0 ${W} ${H}`);
  svg.replaceChildren();
  const el = (name: string, attrs: Record<string, string | number>, text?: string) => {
    const e = document.createElementNS(NS, name);
    for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
    if (text !== undefined) e.textContent = text;
    svg.appendChild(e);
    return e;
  };
  const line = (s: Series, from: number, to: number, cls: string) => {
    const n = 100;
    const pts = Array.from({ length: n + 1 }, (_, i) => from + ((to - from) * i) / n).map((t) => `${x(t).toFixed(1)},${y(s.bytes(Math.round(t))).toFixed(1)}`);
    el('polyline', { points: pts.join(' '), class: cls });
  };
  el('line', { x1: x(0), y1: y(0), x2: x(xMax), y2: y(0), class: 'axis' });
  el('line', { x1: x(0), y1: y(0), x2: x(0), y2: y(yMax), class: 'axis' });
  for (const f of [0, 0.5, 1]) el('text', { x: PAD.left - 6, y: y(f * yMax) + 4, class: 'tick', 'text-anchor': 'end' }, formatBytes(Math.round(f * yMax)));
  for (const f of [0, 0.5, 1]) el('text', { x: x(f * xMax), y: H - PAD.bottom + 14, class: 'tick', 'text-anchor': 'middle' }, String(Math.round(f * xMax)));
  el('text', { x: x(xMax / 2), y: H - PAD.bottom + 28, class: 'tick', 'text-anchor': 'middle' }, 'tokens in the sequence (prompt + generated); dashed: ahead');
  if (tokens > 0) {
    el('line', { x1: x(tokens), y1: y(0), x2: x(tokens), y2: y(yMax), class: 'now' });
    el('text', { x: x(tokens) + 3, y: PAD.top + 10, class: 'tick' }, `${tokens} tokens`);
  }
  series.forEach((s, i) => {
    line(s, tokens, xMax, `ahead ${s.cls}`);
    if (tokens > 0) line(s, 1, tokens, `series ${s.cls}`);
    const ly = H - PAD.bottom + 40 + i * 14;
    el('rect', { x: PAD.left, y: ly - 9, width: 10, height: 10, class: `key ${s.cls}` });
    el('text', { x: PAD.left + 16, y: ly, class: 'legend' }, `${s.label}: ${formatBytes(s.bytes(Math.max(tokens, 1)))} now`);
  });
}
