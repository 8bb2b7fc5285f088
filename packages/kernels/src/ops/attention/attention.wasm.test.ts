import { describe, expect, it } from 'vitest';
import { expectClose, testSeed } from '../../testing/index.js';
import { Rng } from '../../util/rng.js';
import { expectSameBits, inWasm, normal, testRuntimes } from '../../wasm/test-helpers.js';
import { causalAttentionBackwardRef, causalAttentionForwardRef, type AttentionParams } from './attention.ref.js';
import { causalAttentionBackwardWasm, causalAttentionForwardWasm, type WasmAttentionTiles } from './attention.wasm.js';
import { attentionDecodeRef, type DecodeParams } from './decode.ref.js';
import { attentionDecodeWasm } from './decode.wasm.js';
import { tolBackward, tolForward } from './tolerances.js';

const seed = testSeed();
const { rt1, rt2 } = testRuntimes();

// [BH, L, hd]: L = 1, odd lengths, one past a 64-row tile, two tiles plus 2; hd 8, 64, 128 and odd 5 (1-3
// float tails); BH odd. Each case runs with the default tiles and with tiles whose rows and columns differ,
// so that query rows meet key tiles they see none of (rows 4 < cols 16) and the diagonal crosses tiles.
const SHAPES: [number, number, number][] = [
  [3, 1, 8],
  [1, 7, 64],
  [3, 65, 8],
  [1, 130, 64],
  [3, 65, 128],
  [2, 37, 5],
];
const TILES: (WasmAttentionTiles | undefined)[] = [undefined, { rows: 4, cols: 16 }, { rows: 12, cols: 8 }];

// tolerances.ts: the kernels round as the WGSL ones do (f32 dot products and sums, exp within 2 ulp)

function inputs(rng: Rng, [BH, L, hd]: [number, number, number]) {
  const n = BH * L * hd;
  const p: AttentionParams = { batchHeads: BH, length: L, headDim: hd, scale: 1 / Math.sqrt(hd) };
  return { p, n, q: normal(rng, n), k: normal(rng, n), v: normal(rng, n) };
}

describe('causal attention on WebAssembly vs the reference (float32), 1 and 2 threads', () => {
  it('forward: out and lse', () => {
    const rng = new Rng(seed);
    for (const shape of SHAPES)
      for (const tiles of TILES) {
        const { p, n, q, k, v } = inputs(rng, shape);
        const rows = p.batchHeads * p.length;
        const [refOut, refLse] = [new Float32Array(n), new Float32Array(rows)];
        causalAttentionForwardRef(refOut, refLse, q, k, v, p);
        const got = [rt1, rt2].map((rt) => {
          const [out, lse] = [rt.allocF32(n), rt.allocF32(rows)];
          causalAttentionForwardWasm(rt, out, lse, inWasm(rt, q), inWasm(rt, k), inWasm(rt, v), p, tiles);
          return [out, lse];
        });
        const label = `forward [${shape}] tiles ${tiles ? `${tiles.rows}×${tiles.cols}` : 'default'}`;
        const tol = tolForward(p.length, p.headDim);
        expect(expectClose(got[0][0], refOut, tol, `${label} out`, seed)).toBeLessThanOrEqual(tol);
        // lse = m + log l: absolute error ≈ δs, relative to |lse| ≳ |s|; atol for lse near 0
        expectClose(got[0][1], refLse, tol, `${label} lse`, seed, tol);
        expectSameBits(got[1][0], got[0][0], `${label} out, 2 threads vs 1`, seed);
        expectSameBits(got[1][1], got[0][1], `${label} lse, 2 threads vs 1`, seed);
      }
  });

  it('backward: dq, dk, dv', () => {
    const rng = new Rng(seed);
    for (const shape of SHAPES)
      for (const tiles of TILES) {
        const { p, n, q, k, v } = inputs(rng, shape);
        const rows = p.batchHeads * p.length;
        const dout = normal(rng, n);
        const [out, lse] = [new Float32Array(n), new Float32Array(rows)];
        causalAttentionForwardRef(out, lse, q, k, v, p);
        const ref = [new Float32Array(n), new Float32Array(n), new Float32Array(n)];
        causalAttentionBackwardRef(ref[0], ref[1], ref[2], dout, q, k, v, out, lse, p);
        const got = [rt1, rt2].map((rt) => {
          const grads = [rt.allocF32(n), rt.allocF32(n), rt.allocF32(n)];
          const ins = [dout, q, k, v, out, lse].map((x) => inWasm(rt, x));
          causalAttentionBackwardWasm(rt, grads[0], grads[1], grads[2], ins[0], ins[1], ins[2], ins[3], ins[4], ins[5], p, tiles);
          return grads;
        });
        const label = `backward [${shape}] tiles ${tiles ? `${tiles.rows}×${tiles.cols}` : 'default'}`;
        const tol = tolBackward(p.length, p.headDim);
        for (let i = 0; i < 3; i++) {
          // atol = tol on the O(1) scale of the inputs: at L = 1, dP = D exactly, so dq = dk = 0 in exact
          // arithmetic and the f32 result is rounding of dP − D alone
          expectClose(got[0][i], ref[i], tol, `${label} d${'qkv'[i]}`, seed, tol);
          expectSameBits(got[1][i], got[0][i], `${label} d${'qkv'[i]}, 2 threads vs 1`, seed);
        }
      }
  });

  it('refuses tiles that are not multiples of the register tile or do not fit the scratch', () => {
    const rt = rt1;
    const p: AttentionParams = { batchHeads: 1, length: 4, headDim: 8, scale: 1 };
    const x = rt.allocF32(32);
    const lse = rt.allocF32(4);
    expect(() => causalAttentionForwardWasm(rt, x, lse, x, x, x, p, { rows: 6, cols: 8 })).toThrow(/tiles.rows must be a positive multiple of 4; got 6/);
    expect(() => causalAttentionForwardWasm(rt, x, lse, x, x, x, p, { rows: 4, cols: 12 })).toThrow(/tiles.cols must be a positive multiple of 8; got 12/);
    expect(() => causalAttentionForwardWasm(rt, x, lse, x, x, x, p, { rows: 512, cols: 512 })).toThrow(/tiles 512×512 need \d+ bytes of scratch/);
    const wide = { ...p, headDim: 4096 };
    expect(() => causalAttentionForwardWasm(rt, x, lse, x, x, x, wide)).toThrow(/headDim 4096 is too large/);
  });
});

describe('attentionDecodeWasm vs the reference (float32), 1 and 2 threads', () => {
  // [B, heads, maxLength, hd]: lengths {max, 1, ⌈max/2⌉} per batch row; 1100 spans three 512-key blocks of
  // the kernel's online softmax; hd 5 has a 1-float tail
  const CASES: [number, number, number, number][] = [
    [3, 1, 7, 8],
    [1, 3, 130, 64],
    [3, 1, 65, 128],
    [3, 2, 1100, 5],
  ];

  it('matches attentionDecodeRef with per-row lengths', () => {
    const rng = new Rng(seed);
    for (const [B, H, M, hd] of CASES) {
      const p: DecodeParams = { batch: B, heads: H, maxLength: M, headDim: hd, scale: 1 / Math.sqrt(hd) };
      const lengths = Int32Array.from({ length: B }, (_, b) => [M, 1, Math.ceil(M / 2)][b % 3]);
      const q = normal(rng, B * H * hd);
      const [kc, vc] = [normal(rng, B * H * M * hd), normal(rng, B * H * M * hd)];
      const ref = new Float32Array(B * H * hd);
      attentionDecodeRef(ref, q, kc, vc, lengths, p);
      const got = [rt1, rt2].map((rt) => {
        const out = rt.allocF32(B * H * hd);
        attentionDecodeWasm(rt, out, inWasm(rt, q), inWasm(rt, kc), inWasm(rt, vc), inWasm(rt, lengths), p);
        return out;
      });
      const tol = tolForward(M, hd);
      expectClose(got[0], ref, tol, `decode [${B},${H},${M},${hd}]`, seed);
      expectSameBits(got[1], got[0], `decode [${B},${H},${M},${hd}], 2 threads vs 1`, seed);
    }
  });

  it('refuses lengths outside [1, maxLength]', () => {
    const rt = rt1;
    const p: DecodeParams = { batch: 2, heads: 1, maxLength: 4, headDim: 4, scale: 1 };
    const x = rt.allocF32(2 * 4 * 4);
    expect(() => attentionDecodeWasm(rt, x, x, x, x, inWasm(rt, Int32Array.from([4, 0])), p)).toThrow(/lengths\[1\] = 0 is outside \[1, 4\]/);
  });
});
