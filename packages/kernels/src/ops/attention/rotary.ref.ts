// Rotary position embedding, GPT-NeoX style as flash-attn applies it to the 2.7B rotary H3 model
// (design/h3-reference.md §6.3): within the first rotaryDim dims of each head, dim i and dim i + rotaryDim/2
// form a pair rotated by θ = position·base^(−2i/rotaryDim) ("rotate halves", not interleaved); the remaining
// dims pass through. A rotation's transpose is the rotation by −θ, which is the backward.
import type { FloatArray } from '../../util/types.js';

export interface RotaryParams {
  batch: number;
  length: number;
  heads: number;
  headDim: number;
  /** Rotated dims at the start of each head: even, ≤ headDim. */
  rotaryDim: number;
  /** Frequency base, 10000 in GPT-NeoX and H3. */
  base: number;
  /** Position of t = 0 (the number of earlier tokens when decoding). */
  offset: number;
}

/** Throws a RangeError naming `fn` unless the dims are consistent. */
export function checkRotaryParams(fn: string, p: RotaryParams): void {
  for (const k of ['batch', 'length', 'heads', 'headDim', 'rotaryDim'] as const)
    if (!(Number.isInteger(p[k]) && p[k] >= 1)) throw new RangeError(`${fn}: ${k} must be a positive integer; got ${p[k]}`);
  if (p.rotaryDim % 2 !== 0 || p.rotaryDim > p.headDim)
    throw new RangeError(`${fn}: rotaryDim must be even and ≤ headDim = ${p.headDim}; got ${p.rotaryDim}`);
  if (!(p.base > 1)) throw new RangeError(`${fn}: base must be > 1; got ${p.base}`);
  if (!(Number.isInteger(p.offset) && p.offset >= 0)) throw new RangeError(`${fn}: offset must be a non-negative integer; got ${p.offset}`);
}

/**
 * cos and sin of θ(t, i) = (offset + t)·base^(−2i/rotaryDim) for t < length, i < rotaryDim/2, interleaved as
 * [length, rotaryDim/2, 2] in float64 (the webgpu kernel reads this table, rounded once to float32, so large
 * positions need no range reduction in WGSL).
 */
export function rotaryTable(p: RotaryParams): Float64Array {
  const half = p.rotaryDim / 2;
  const table = new Float64Array(p.length * half * 2);
  for (let t = 0; t < p.length; t++)
    for (let i = 0; i < half; i++) {
      const theta = (p.offset + t) * Math.pow(p.base, (-2 * i) / p.rotaryDim);
      table[(t * half + i) * 2] = Math.cos(theta);
      table[(t * half + i) * 2 + 1] = Math.sin(theta);
    }
  return table;
}

function rotate(out: FloatArray, x: FloatArray, p: RotaryParams, sign: 1 | -1): void {
  const { batch: B, length: L, heads: H, headDim: hd, rotaryDim: r } = p;
  const half = r / 2;
  const table = rotaryTable(p);
  for (let b = 0; b < B; b++)
    for (let t = 0; t < L; t++)
      for (let h = 0; h < H; h++) {
        const o = ((b * L + t) * H + h) * hd;
        for (let i = 0; i < half; i++) {
          const c = table[(t * half + i) * 2];
          const s = sign * table[(t * half + i) * 2 + 1];
          const x1 = x[o + i];
          const x2 = x[o + i + half];
          out[o + i] = x1 * c - x2 * s;
          out[o + i + half] = x2 * c + x1 * s;
        }
        for (let d = r; d < hd; d++) out[o + d] = x[o + d];
      }
}

/**
 * Overwrites out [B, L, heads, hd] with x [B, L, heads, hd] rotated at positions offset + t (out may be x).
 * @example rotaryRef(out, q, { batch: 1, length: 128, heads: 20, headDim: 128, rotaryDim: 64, base: 10000, offset: 0 })
 */
export function rotaryRef(out: FloatArray, x: FloatArray, p: RotaryParams): void {
  checkRotaryParams('rotaryRef', p);
  rotate(out, x, p, 1);
}

/** Overwrites dx [B, L, heads, hd] with the gradient of Σ dy ⊙ rotaryRef(x): dy rotated by −θ. */
export function rotaryBackwardRef(dx: FloatArray, dy: FloatArray, p: RotaryParams): void {
  checkRotaryParams('rotaryBackwardRef', p);
  rotate(dx, dy, p, -1);
}
