import { describe, expect, it } from 'vitest';
import { randn, relL2, testSeed } from '../../testing/index.js';
import { Rng } from '../../util/rng.js';
import { causalAttentionBackwardRef, causalAttentionForwardRef, type AttentionParams } from './attention.ref.js';
import { attentionDecodeRef, kvCacheWriteRef } from './decode.ref.js';
import { naiveCausalAttention } from './naive.js';
import { rotaryBackwardRef, rotaryRef, type RotaryParams } from './rotary.ref.js';

const seed = testSeed();
const f64 = (rng: Rng, n: number, std = 1) => rng.fillNormal(new Float64Array(n), 0, std);

/** Central differences of f = Σ g ⊙ F(x) with respect to every entry of x (x is restored). */
function numericGrad(x: Float64Array, f: () => number, h = 1e-6): Float64Array {
  const g = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const x0 = x[i];
    x[i] = x0 + h;
    const up = f();
    x[i] = x0 - h;
    const down = f();
    x[i] = x0;
    g[i] = (up - down) / (2 * h);
  }
  return g;
}

describe('causalAttentionForwardRef', () => {
  it('equals softmax(scale·Q Kᵀ + causal mask)·V and its log-sum-exp, materialised (float64)', () => {
    const rng = new Rng(seed);
    for (const [BH, L, hd] of [
      [1, 1, 3],
      [3, 7, 5],
      [2, 33, 16],
    ]) {
      const p: AttentionParams = { batchHeads: BH, length: L, headDim: hd, scale: 1 / Math.sqrt(hd) };
      const [q, k, v] = [0, 1, 2].map(() => f64(rng, BH * L * hd, 2));
      const out = new Float64Array(BH * L * hd);
      const lse = new Float64Array(BH * L);
      causalAttentionForwardRef(out, lse, q, k, v, p);
      const want = naiveCausalAttention(q, k, v, p);
      // the same float64 sums in a different grouping: a few ulp
      expect(relL2(out, want.out), `[${BH}, ${L}, ${hd}] seed ${seed}`).toBeLessThan(1e-13);
      expect(relL2(lse, want.lse), `lse [${BH}, ${L}, ${hd}] seed ${seed}`).toBeLessThan(1e-13);
    }
  });

  it('row 0 copies v_0, and huge scores stay finite (max subtraction)', () => {
    const p: AttentionParams = { batchHeads: 1, length: 4, headDim: 2, scale: 1 };
    const q = Float64Array.from([1e3, 0, 1e3, 0, -1e3, 0, 1e3, 1e3]);
    const k = Float64Array.from([1, 0, 2, 0, 3, 0, 4, 0]);
    const v = Float64Array.from([1, 2, 3, 4, 5, 6, 7, 8]);
    const out = new Float64Array(8);
    const lse = new Float64Array(4);
    causalAttentionForwardRef(out, lse, q, k, v, p);
    expect([out[0], out[1]]).toEqual([1, 2]);
    expect(out.every(Number.isFinite) && lse.every(Number.isFinite)).toBe(true);
    expect([out[2], out[3]]).toEqual([3, 4]); // score 2000 vs 1000: the later key takes all the weight
  });

  it('rejects bad dims', () => {
    const z = new Float64Array(4);
    expect(() => causalAttentionForwardRef(z, z, z, z, z, { batchHeads: 1, length: 0, headDim: 4, scale: 1 })).toThrow(/length must be a positive integer/);
  });
});

describe('causalAttentionBackwardRef', () => {
  it('matches central finite differences of Σ g ⊙ out with respect to q, k and v (float64)', () => {
    const rng = new Rng(seed);
    const p: AttentionParams = { batchHeads: 3, length: 6, headDim: 4, scale: 0.7 };
    const n = 3 * 6 * 4;
    const [q, k, v, g] = [0, 1, 2, 3].map(() => f64(rng, n));
    const out = new Float64Array(n);
    const lse = new Float64Array(3 * 6);
    const loss = () => {
      causalAttentionForwardRef(out, lse, q, k, v, p);
      return out.reduce((acc, o, i) => acc + g[i] * o, 0);
    };
    const want = [q, k, v].map((x) => numericGrad(x, loss));
    loss();
    const grads = [0, 1, 2].map(() => new Float64Array(n).fill(NaN));
    causalAttentionBackwardRef(grads[0], grads[1], grads[2], g, q, k, v, out, lse, p);
    // central differences: truncation O(h²) ≈ 1e-12, rounding O(ε/h) ≈ 1e-10 relative
    grads.forEach((got, i) => expect(relL2(got, want[i]), `grad ${'qkv'[i]} seed ${seed}`).toBeLessThan(1e-7));
  });
});

describe('attentionDecodeRef and kvCacheWriteRef', () => {
  it('a cache filled by kvCacheWriteRef step by step reproduces the last row of the full causal attention, per prompt length', () => {
    const rng = new Rng(seed);
    const [B, H, M, hd] = [3, 2, 9, 5];
    const lengths = Int32Array.from([1, 9, 4]);
    const p = { batch: B, heads: H, maxLength: M, headDim: hd, scale: 1 / Math.sqrt(hd) };
    const kCache = new Float64Array(B * H * M * hd).fill(NaN); // entries past lengths[b] must never be read
    const vCache = new Float64Array(B * H * M * hd).fill(NaN);
    // per batch row: a full sequence [H, L=lengths[b], hd] of q, k, v
    const seqs = [...lengths].map((L) => ({ L, q: f64(rng, H * L * hd), k: f64(rng, H * L * hd), v: f64(rng, H * L * hd) }));
    for (let t = 0; t < M; t++) {
      const rows = seqs.map((s) => Math.min(t, s.L - 1)); // rows past their length rewrite their last entry
      const pick = (which: 'k' | 'v') => {
        const x = new Float64Array(B * H * hd);
        seqs.forEach((s, b) => {
          for (let h = 0; h < H; h++) x.set(s[which].subarray((h * s.L + rows[b]) * hd, (h * s.L + rows[b] + 1) * hd), (b * H + h) * hd);
        });
        return x;
      };
      kvCacheWriteRef(kCache, pick('k'), Int32Array.from(rows), p);
      kvCacheWriteRef(vCache, pick('v'), Int32Array.from(rows), p);
    }
    const q = new Float64Array(B * H * hd);
    seqs.forEach((s, b) => {
      for (let h = 0; h < H; h++) q.set(s.q.subarray((h * s.L + s.L - 1) * hd, (h * s.L + s.L) * hd), (b * H + h) * hd);
    });
    const out = new Float64Array(B * H * hd);
    attentionDecodeRef(out, q, kCache, vCache, lengths, p);
    seqs.forEach((s, b) => {
      const full = naiveCausalAttention(s.q, s.k, s.v, { batchHeads: H, length: s.L, headDim: hd, scale: p.scale }).out;
      for (let h = 0; h < H; h++) {
        const want = full.subarray((h * s.L + s.L - 1) * hd, (h * s.L + s.L) * hd);
        const got = out.subarray((b * H + h) * hd, (b * H + h + 1) * hd);
        expect(relL2(got, want), `b ${b} h ${h} seed ${seed}`).toBeLessThan(1e-13);
      }
    });
  });

  it('kvCacheWriteRef changes exactly the addressed rows; both reject out-of-range indices', () => {
    const p = { batch: 2, heads: 1, maxLength: 3, headDim: 2 };
    const cache = new Float32Array(12);
    kvCacheWriteRef(cache, Float32Array.from([1, 2, 3, 4]), Int32Array.from([2, 0]), p);
    expect([...cache]).toEqual([0, 0, 0, 0, 1, 2, 3, 4, 0, 0, 0, 0]);
    expect(() => kvCacheWriteRef(cache, new Float32Array(4), Int32Array.from([3, 0]), p)).toThrow(/positions\[0\] = 3 is outside \[0, 2\]/);
    expect(() => attentionDecodeRef(new Float32Array(4), new Float32Array(4), cache, cache, Int32Array.from([1, 0]), { ...p, scale: 1 })).toThrow(
      /lengths\[1\] = 0 is outside \[1, 3\]/,
    );
  });
});

describe('rotaryRef', () => {
  const p: RotaryParams = { batch: 2, length: 5, heads: 3, headDim: 10, rotaryDim: 6, base: 10000, offset: 7 };
  const n = 2 * 5 * 3 * 10;

  it('rotates pairs (i, i + r/2) by (offset + t)·base^(−2i/r) and passes the other dims through', () => {
    const rng = new Rng(seed);
    const x = f64(rng, n);
    const out = new Float64Array(n);
    rotaryRef(out, x, p);
    for (let b = 0; b < 2; b++)
      for (let t = 0; t < 5; t++)
        for (let h = 0; h < 3; h++) {
          const o = ((b * 5 + t) * 3 + h) * 10;
          for (let i = 0; i < 3; i++) {
            // as a complex multiplication (x_i + i·x_{i+3})·e^{iθ}
            const th = (7 + t) / 10000 ** ((2 * i) / 6);
            expect(out[o + i]).toBeCloseTo(x[o + i] * Math.cos(th) - x[o + i + 3] * Math.sin(th), 13);
            expect(out[o + i + 3]).toBeCloseTo(x[o + i] * Math.sin(th) + x[o + i + 3] * Math.cos(th), 13);
          }
          for (let d = 6; d < 10; d++) expect(out[o + d]).toBe(x[o + d]);
        }
  });

  it('makes q·k depend on positions only through their difference', () => {
    const rng = new Rng(seed);
    const one = { batch: 1, length: 1, heads: 1, headDim: 8, rotaryDim: 8, base: 10000, offset: 0 };
    const q = f64(rng, 8);
    const k = f64(rng, 8);
    const dotAt = (m: number, nn: number) => {
      const a = new Float64Array(8);
      const c = new Float64Array(8);
      rotaryRef(a, q, { ...one, offset: m });
      rotaryRef(c, k, { ...one, offset: nn });
      return a.reduce((s, v, i) => s + v * c[i], 0);
    };
    expect(dotAt(13, 4)).toBeCloseTo(dotAt(109, 100), 10);
    // a different relative offset changes the score (by a random amount of order 1, so only rounding could hide it)
    expect(Math.abs(dotAt(13, 4) - dotAt(13, 5))).toBeGreaterThan(1e-9);
  });

  it('rotaryBackwardRef matches central finite differences and undoes the rotation (float64)', () => {
    const rng = new Rng(seed);
    const x = f64(rng, n);
    const g = f64(rng, n);
    const out = new Float64Array(n);
    const want = numericGrad(x, () => {
      rotaryRef(out, x, p);
      return out.reduce((s, o, i) => s + g[i] * o, 0);
    });
    const dx = new Float64Array(n);
    rotaryBackwardRef(dx, g, p);
    expect(relL2(dx, want)).toBeLessThan(1e-8);
    rotaryRef(out, x, p);
    rotaryBackwardRef(dx, out, p);
    expect(relL2(dx, x)).toBeLessThan(1e-14);
  });

  it('rejects an odd rotaryDim', () => {
    expect(() => rotaryRef(new Float32Array(4), randn(new Rng(1), 4), { ...p, batch: 1, length: 1, heads: 1, headDim: 4, rotaryDim: 3 })).toThrow(
      /rotaryDim must be even/,
    );
  });
});
