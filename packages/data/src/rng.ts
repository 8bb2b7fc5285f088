// The package's own small seeded PRNG and integer hash, so that `@hippo/data` needs nothing from the tensor
// stack. Generator: xoshiro128** (Blackman & Vigna, "Scrambled linear pseudorandom number generators", 2018):
// 128 bits of state, period 2^128 − 1, passes BigCrush. Seeding expands one 32-bit seed through SplitMix32
// so that nearby seeds give unrelated streams. Hash: murmur3's 32-bit finaliser (fmix32) chained over the words.

/** murmur3 fmix32: a bijective 32-bit avalanche mix. */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/**
 * A 32-bit hash of a list of unsigned 32-bit words; the same words always give the same hash.
 * @example hashWords(2357, fileIndex, line, 0) / 2 ** 32 // a uniform number in [0, 1) per document key
 */
export function hashWords(...words: number[]): number {
  let h = 0x9e3779b9;
  for (const w of words) h = fmix32((h ^ (w >>> 0)) + 0x7f4a7c15 + Math.imul(h, 0x2c1b3c6d));
  return fmix32(h ^ words.length);
}

/** The saved state of an {@link Rng}: four unsigned 32-bit words. */
export type RngState = [number, number, number, number];

/**
 * xoshiro128** seeded from one 32-bit integer.
 * @example const rng = new Rng(7); rng.int(10); // an integer in [0, 10)
 */
export class Rng {
  private s: Uint32Array; // [4] state words

  constructor(seed: number) {
    this.s = new Uint32Array(4);
    let x = seed >>> 0;
    for (let i = 0; i < 4; i++) {
      // SplitMix32 step
      x = (x + 0x9e3779b9) >>> 0;
      this.s[i] = fmix32(x);
    }
    if ((this.s[0] | this.s[1] | this.s[2] | this.s[3]) === 0) this.s[0] = 1; // the all-zero state is a fixed point
  }

  /** The next unsigned 32-bit output. */
  u32(): number {
    const s = this.s;
    const r = Math.imul(rotl(Math.imul(s[1], 5), 7), 9) >>> 0;
    const t = s[1] << 9;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 11);
    return r;
  }

  /** A uniform float in [0, 1) with 32 bits of randomness. */
  float(): number {
    return this.u32() / 4294967296;
  }

  /** A uniform integer in [0, n), unbiased (rejection of the short last interval), for 1 ≤ n ≤ 2^32. */
  int(n: number): number {
    if (!(n >= 1 && n <= 4294967296 && Number.isInteger(n))) throw new RangeError(`Rng.int: n must be an integer in [1, 2^32]; got ${n}`);
    const limit = 4294967296 - (4294967296 % n);
    let x = this.u32();
    while (x >= limit) x = this.u32();
    return x % n;
  }

  /** A uniform integer in [0, n) for n up to 2^53 (two draws), for offsets into token files past 2^32. */
  bigInt(n: number): number {
    if (n <= 4294967296) return this.int(n);
    if (!(Number.isSafeInteger(n) && n > 0)) throw new RangeError(`Rng.bigInt: n must be a safe positive integer; got ${n}`);
    const limit = 9007199254740992 - (9007199254740992 % n); // 2^53
    for (;;) {
      const x = (this.u32() >>> 11) * 4294967296 + this.u32(); // 21 + 32 = 53 bits
      if (x < limit) return x % n;
    }
  }

  /** Fisher–Yates shuffle in place. */
  shuffle<T>(a: T[]): T[] {
    for (let i = a.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      [a[i], a[j]] = [a[j], a[i]];
    }
    return a;
  }

  /** The current state, to save and later {@link Rng.fromState restore}. */
  state(): RngState {
    return [this.s[0], this.s[1], this.s[2], this.s[3]];
  }

  /** An Rng that continues exactly where the one that produced `state` was. */
  static fromState(state: RngState): Rng {
    const r = new Rng(0);
    r.s.set(state);
    return r;
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}
