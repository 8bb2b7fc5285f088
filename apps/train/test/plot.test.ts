import { describe, expect, it } from 'vitest';
import { lossCurveSvg } from '../src/plot.js';

const points = (svg: string, cls: string) =>
  new RegExp(`<polyline class="${cls}"[^>]* points="([^"]*)"`)
    .exec(svg)![1]
    .split(' ')
    .filter(Boolean)
    .map((p) => p.split(',').map(Number));

describe('lossCurveSvg', () => {
  it('draws one vertex per train step and per evaluation, lower loss higher up, inside the frame', () => {
    const train = Array.from({ length: 50 }, (_, i) => ({ step: i + 1, loss: 10 * Math.exp(-i / 20) + 2 }));
    const val = [10, 20, 30, 40, 50].map((step) => ({ step, loss: 10 * Math.exp(-(step - 1) / 20) + 2.2 }));
    const svg = lossCurveSvg(train, val, 'h3-tiny <corpus> & more');
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.trim().endsWith('</svg>')).toBe(true);
    expect(svg).toContain('h3-tiny &lt;corpus&gt; &amp; more');
    const t = points(svg, 'train');
    const v = points(svg, 'val');
    expect(t.length).toBe(50);
    expect(v.length).toBe(5);
    expect(svg.match(/<circle /g)!.length).toBe(5);
    // x grows with the step, y (downwards in SVG) grows as the loss falls
    for (let i = 1; i < t.length; i++) {
      expect(t[i][0]).toBeGreaterThan(t[i - 1][0]);
      expect(t[i][1]).toBeGreaterThan(t[i - 1][1]);
    }
    for (const [x, y] of [...t, ...v]) {
      expect(x >= 64 && x <= 700 && y >= 40 && y <= 372).toBe(true);
    }
  });

  it('skips non-finite losses and copes with a single point', () => {
    const svg = lossCurveSvg([{ step: 1, loss: 3 }, { step: 2, loss: Number.NaN }], [], 'one');
    expect(points(svg, 'train').length).toBe(1);
    expect(svg).not.toContain('NaN');
  });
});
