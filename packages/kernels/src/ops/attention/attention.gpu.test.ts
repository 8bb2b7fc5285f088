import { describe, expect, it } from 'vitest';
import { expectClose, gpuForTests, randn, readF32, testSeed, upload } from '../../testing/index.js';
import { Rng } from '../../util/rng.js';
import { causalAttentionBackward, causalAttentionForward } from './attention.js';
import { causalAttentionBackwardRef, causalAttentionForwardRef, type AttentionParams } from './attention.ref.js';
import { attentionDecode, kvCacheWrite } from './decode.js';
import { attentionDecodeRef, kvCacheWriteRef } from './decode.ref.js';
import { rotary, rotaryBackward } from './rotary.js';
import { rotaryBackwardRef, rotaryRef, type RotaryParams } from './rotary.ref.js';
import { tolBackward, tolForward } from './tolerances.js';

const ctx = await gpuForTests();
const seed = testSeed();
const EPS = 2 ** -24;

// [BH, L, hd]: L = 1, odd, one past a 64 tile, two tiles plus 2; hd 8, 64 and the 128 of the 2.7B model; BH odd.
// The largest is ~13 MFLOP forward, fine on lavapipe.
const SHAPES: [number, number, number][] = [
  [3, 1, 8],
  [1, 7, 64],
  [3, 65, 8],
  [1, 130, 64],
  [3, 65, 128],
];


function inputs(rng: Rng, [BH, L, hd]: [number, number, number]) {
  const n = BH * L * hd;
  const p: AttentionParams = { batchHeads: BH, length: L, headDim: hd, scale: 1 / Math.sqrt(hd) };
  return { p, n, q: randn(rng, n), k: randn(rng, n), v: randn(rng, n) };
}

describe.skipIf(!ctx)('causal attention on webgpu vs the reference', () => {
  it('forward: out and lse', async () => {
    const gpu = ctx!;
    const rng = new Rng(seed);
    for (const shape of SHAPES) {
      const { p, n, q, k, v } = inputs(rng, shape);
      const rows = p.batchHeads * p.length;
      const [refOut, refLse] = [new Float32Array(n), new Float32Array(rows)];
      causalAttentionForwardRef(refOut, refLse, q, k, v, p);
      const [out, lse] = [gpu.acquire(n * 4), gpu.acquire(rows * 4)];
      causalAttentionForward(gpu, out, lse, upload(gpu, q), upload(gpu, k), upload(gpu, v), p);
      const tol = tolForward(p.length, p.headDim);
      expect(expectClose(await readF32(gpu, out, n), refOut, tol, `forward out [${shape}]`, seed)).toBeLessThanOrEqual(tol);
      // lse = m + log l: absolute error ≈ δs, relative to |lse| ≳ |s| — the same bound, plus atol for lse near 0
      expectClose(await readF32(gpu, lse, rows), refLse, tol, `forward lse [${shape}]`, seed, tol);
    }
  });

  it('backward: dq, dk, dv', async () => {
    const gpu = ctx!;
    const rng = new Rng(seed);
    for (const shape of SHAPES) {
      const { p, n, q, k, v } = inputs(rng, shape);
      const rows = p.batchHeads * p.length;
      const dout = randn(rng, n);
      const [out, lse] = [new Float32Array(n), new Float32Array(rows)];
      causalAttentionForwardRef(out, lse, q, k, v, p);
      const ref = [new Float32Array(n), new Float32Array(n), new Float32Array(n)];
      causalAttentionBackwardRef(ref[0], ref[1], ref[2], dout, q, k, v, out, lse, p);
      const bufs = [gpu.acquire(n * 4), gpu.acquire(n * 4), gpu.acquire(n * 4)];
      const ins = [dout, q, k, v, out].map((x) => upload(gpu, x));
      causalAttentionBackward(gpu, bufs[0], bufs[1], bufs[2], ins[0], ins[1], ins[2], ins[3], ins[4], upload(gpu, lse), p);
      const tol = tolBackward(p.length, p.headDim);
      // plus atol = tol on the O(1) scale of the inputs: at L = 1, dP = D exactly, so dq = dk = 0 in exact
      // arithmetic and the f32 result is rounding of dP − D alone
      for (let i = 0; i < 3; i++) {
        const got = await readF32(gpu, bufs[i], n);
        expectClose(got, ref[i], tol, `backward d${'qkv'[i]} [${shape}]`, seed, tol);
      }
    }
  });

  it('gives the same result with other tiles (odd key tiles, a 16-row workgroup), forward and backward', async () => {
    const gpu = ctx!;
    const rng = new Rng(seed);
    const { p, n, q, k, v } = inputs(rng, [3, 40, 12]);
    const tiles = { br: 16, bc: 7 };
    const ins = [q, k, v].map((x) => upload(gpu, x));
    const run = async (t?: { br: number; bc: number }) => {
      const [out, lse, dq, dk, dv] = [n, p.batchHeads * p.length, n, n, n].map((m) => gpu.acquire(m * 4));
      causalAttentionForward(gpu, out, lse, ins[0], ins[1], ins[2], p, t);
      causalAttentionBackward(gpu, dq, dk, dv, ins[2], ins[0], ins[1], ins[2], out, lse, p, t); // dout = v
      return Promise.all([out, dq, dk, dv].map((b) => readF32(gpu, b, n)));
    };
    const [a, b] = [await run(), await run(tiles)];
    // the same f32 sums regrouped by tile (the online softmax rescales at different points): a few ulp
    a.forEach((x, i) => expectClose(b[i], x, tolForward(40, 12), `tiles ${JSON.stringify(tiles)} output ${i}`, seed, tolForward(40, 12)));
  });

  it('rejects head dims beyond 128 and key tiles beyond 64', () => {
    const gpu = ctx!;
    const b = gpu.acquire(4);
    expect(() => causalAttentionForward(gpu, b, b, b, b, b, { batchHeads: 1, length: 1, headDim: 256, scale: 1 })).toThrow(/headDim 256 > 128/);
    const p = { batchHeads: 1, length: 1, headDim: 8, scale: 1 };
    expect(() => causalAttentionForward(gpu, b, b, b, b, b, p, { br: 32, bc: 65 })).toThrow(/tiles.bc must be an integer in \[1, 64\]; got 65/);
  });
});

describe.skipIf(!ctx)('KV-cache decoding on webgpu', () => {
  it('kvCacheWrite writes exactly the reference entries, and decode matches the reference and the forward kernel’s last rows', async () => {
    const gpu = ctx!;
    const rng = new Rng(seed);
    // [B, heads, maxLength, hd]: B·heads odd; lengths 1, full, and in between (prompts of different lengths)
    for (const [B, H, M, hd] of [
      [3, 1, 7, 8],
      [1, 3, 130, 64],
      [3, 1, 65, 128],
    ]) {
      const p = { batch: B, heads: H, maxLength: M, headDim: hd, scale: 1 / Math.sqrt(hd) };
      const lengths = Int32Array.from({ length: B }, (_, b) => [M, 1, Math.ceil(M / 2)][b % 3]);
      const kc = randn(rng, B * H * M * hd) as Float32Array;
      const vc = randn(rng, B * H * M * hd) as Float32Array;
      // write the last token of each row through the kernel, as generation does before attending
      const kNew = randn(rng, B * H * hd);
      const positions = Int32Array.from(lengths, (n) => n - 1);
      const kcBuf = upload(gpu, kc);
      kvCacheWrite(gpu, kcBuf, upload(gpu, kNew), upload(gpu, positions), p);
      kvCacheWriteRef(kc, kNew, positions, p);
      const kcGot = await readF32(gpu, kcBuf, kc.length);
      expect(kcGot.every((x, i) => Object.is(x, kc[i])), `cache write [${B}, ${H}, ${M}, ${hd}]`).toBe(true);

      const q = randn(rng, B * H * hd);
      const ref = new Float32Array(B * H * hd);
      attentionDecodeRef(ref, q, kc, vc, lengths, p);
      const out = gpu.acquire(ref.byteLength);
      attentionDecode(gpu, out, upload(gpu, q), kcBuf, upload(gpu, vc), upload(gpu, lengths), p);
      const got = await readF32(gpu, out, ref.length);
      const tol = tolForward(M, hd);
      expect(expectClose(got, ref, tol, `decode [${B}, ${H}, ${M}, ${hd}]`, seed)).toBeLessThanOrEqual(tol);

      // the same query as the last row of a causal forward over each row's first lengths[b] entries
      for (let b = 0; b < B; b++) {
        const L = lengths[b];
        const slice = (x: Float32Array, h: number) => x.subarray((b * H + h) * M * hd, ((b * H + h) * M + L) * hd);
        const qs = new Float32Array(H * L * hd);
        for (let h = 0; h < H; h++) qs.set(q.subarray((b * H + h) * hd, (b * H + h + 1) * hd), (h * L + L - 1) * hd);
        const ks = new Float32Array(H * L * hd);
        const vs = new Float32Array(H * L * hd);
        for (let h = 0; h < H; h++) {
          ks.set(slice(kc, h), h * L * hd);
          vs.set(slice(vc, h), h * L * hd);
        }
        const ap = { batchHeads: H, length: L, headDim: hd, scale: p.scale };
        const [fo, fl] = [gpu.acquire(qs.byteLength), gpu.acquire(H * L * 4)];
        causalAttentionForward(gpu, fo, fl, upload(gpu, qs), upload(gpu, ks), upload(gpu, vs), ap);
        const full = await readF32(gpu, fo, qs.length);
        for (let h = 0; h < H; h++) {
          const last = full.subarray((h * L + L - 1) * hd, (h * L + L) * hd);
          // both f32 against the same float64 result: twice the tolerance
          expectClose(got.subarray((b * H + h) * hd, (b * H + h + 1) * hd), last, 2 * tol, `decode vs forward last row b ${b} h ${h}`, seed);
        }
      }
    }
  });
});

describe.skipIf(!ctx)('rotary on webgpu vs the reference', () => {
  it('forward and backward, at small and large positions', async () => {
    const gpu = ctx!;
    const rng = new Rng(seed);
    const cases: RotaryParams[] = [
      { batch: 1, length: 7, heads: 3, headDim: 128, rotaryDim: 64, base: 10000, offset: 0 }, // the 2.7B rotary head
      { batch: 2, length: 5, heads: 1, headDim: 8, rotaryDim: 8, base: 10000, offset: 2047 },
      { batch: 3, length: 1, heads: 2, headDim: 10, rotaryDim: 6, base: 500, offset: 100000 },
    ];
    for (const p of cases) {
      const n = p.batch * p.length * p.heads * p.headDim;
      const x = randn(rng, n);
      for (const [name, gpuFn, refFn] of [
        ['rotary', rotary, rotaryRef],
        ['rotaryBackward', rotaryBackward, rotaryBackwardRef],
      ] as const) {
        const ref = new Float32Array(n);
        refFn(ref, x, p);
        const out = gpu.acquire(n * 4);
        gpuFn(gpu, out, upload(gpu, x), p);
        // each output is x₁c ∓ x₂s with c, s rounded once from float64: a few ulp of |x|
        expectClose(await readF32(gpu, out, n), ref, 4 * EPS, `${name} ${JSON.stringify(p)}`, seed, 4 * EPS);
      }
    }
  });
});
