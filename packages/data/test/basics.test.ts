// Small pure pieces: the PRNG and hash, the split rule, Python's strip and the OpenWebText normalisation,
// format recognition, the MMIDIDX index layout.
import { describe, expect, it } from 'vitest';
import { formatOf } from '../src/readers/formats.js';
import { mmidxBytes, readMmidx } from '../src/pipeline/mmidx.js';
import { isVal } from '../src/pipeline/split.js';
import { Rng, hashWords } from '../src/rng.js';
import { normaliseOwt, pyStrip } from '../src/text/normalise.js';
import { testSeed } from './helpers.js';

const seed = testSeed();
const tag = `(HIPPO_SEED=${seed})`;

describe('Rng (xoshiro128**) and hashWords', () => {
  it('is reproducible, restorable and roughly uniform', () => {
    const a = new Rng(seed);
    const b = new Rng(seed);
    for (let i = 0; i < 10; i++) expect(a.u32()).toBe(b.u32());
    const saved = a.state();
    const next = [a.u32(), a.u32()];
    const c = Rng.fromState(saved);
    expect([c.u32(), c.u32()]).toEqual(next);
    // 100 bins × 100k draws: each count ~ Binomial(1e5, 0.01), sd ≈ 31.5; 6 sd is a bound no fair generator
    // crosses in practice (p ≈ 2e-9 per bin)
    const bins = new Array(100).fill(0);
    const r = new Rng(seed);
    for (let i = 0; i < 100_000; i++) bins[r.int(100)]++;
    for (const n of bins) expect(Math.abs(n - 1000), tag).toBeLessThan(6 * 31.5);
  });

  it('bigInt draws beyond 2^32 and stays in range', () => {
    const r = new Rng(seed);
    const n = 3 * 2 ** 40 + 7;
    let max = 0;
    for (let i = 0; i < 1000; i++) {
      const x = r.bigInt(n);
      expect(Number.isInteger(x) && x >= 0 && x < n).toBe(true);
      max = Math.max(max, x);
    }
    expect(max, tag).toBeGreaterThan(2 ** 32); // the high bits are used
  });

  it('hashes depend on every word and on their order', () => {
    expect(hashWords(1, 2, 3)).toBe(hashWords(1, 2, 3));
    expect(hashWords(1, 2, 3)).not.toBe(hashWords(1, 3, 2));
    expect(hashWords(1, 2)).not.toBe(hashWords(1, 2, 0));
  });
});

describe('the train/val split', () => {
  it('sends a fraction f of documents to val, within the binomial spread, and none or all at 0 and 1', () => {
    for (const f of [0.0005, 0.01, 0.3]) {
      const n = 400_000;
      let val = 0;
      for (let i = 0; i < n; i++) if (isVal(f, seed, i % 7, i, i % 3)) val++;
      const sd = Math.sqrt(n * f * (1 - f));
      expect(Math.abs(val - n * f), `f=${f}: ${val} of ${n} ${tag}`).toBeLessThan(6 * sd);
    }
    expect(isVal(0, seed, 1, 2, 3)).toBe(false);
    expect(isVal(1, seed, 1, 2, 3)).toBe(true);
  });
});

describe('Python-compatible strip and the OpenWebText normalisation', () => {
  it("strips Python's whitespace set, which differs from String.trim", () => {
    expect(pyStrip('\u0085\u001c x y \u2029')).toBe('x y');
    expect(pyStrip('\ufeffx\ufeff')).toBe('\ufeffx\ufeff'); // BOM is not whitespace in Python
    expect(pyStrip(' \t\n')).toBe('');
  });

  it('collapses three or more newlines to two, then strips', () => {
    expect(normaliseOwt('\n a\n\n\n\nb\n\nc\n\n\n')).toBe('a\n\nb\n\nc');
  });
});

describe('formats and the MMIDIDX index', () => {
  it('recognises formats by the longest suffix', () => {
    expect(formatOf('00.jsonl.zst')).toBe('jsonl.zst');
    expect(formatOf('a/b.JSONL')).toBe('jsonl');
    expect(formatOf('urlsf_subset00.tar')).toBe('owt-tar');
    expect(formatOf('x.csv')).toBeUndefined();
  });

  it('writes the version-1 layout: header, sizes, byte pointers, doc_idx', () => {
    const buf = mmidxBytes(Uint32Array.of(3, 5, 1));
    expect(buf.subarray(0, 9).toString('latin1')).toBe('MMIDIDX\0\0');
    expect(buf.readBigUInt64LE(9)).toBe(1n);
    expect(buf[17]).toBe(8); // uint16
    expect(buf.readBigUInt64LE(18)).toBe(3n);
    expect(buf.readBigUInt64LE(26)).toBe(4n);
    expect(buf.length).toBe(34 + 3 * 4 + 3 * 8 + 4 * 8);
    const { sizes, pointers } = readMmidx(buf);
    expect(Array.from(sizes)).toEqual([3, 5, 1]);
    expect(pointers).toEqual([0, 6, 16]);
    expect(buf.readBigInt64LE(buf.length - 8)).toBe(3n);
  });
});
