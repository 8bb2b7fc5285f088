import { describe, expect, it } from 'vitest';
import { expectClose, gpuForTests, randn, readF32, testSeed, upload } from '../../testing/index.js';
import { Rng } from '../../util/rng.js';
import { layerNormBackward, layerNormForward } from './layernorm.js';
import { layerNormBackwardRef, layerNormForwardRef } from './layernorm.ref.js';

const ctx = await gpuForTests();
const seed = testSeed();

// [rows, dim]: 1, odd, prime, not a multiple of the workgroup, longer than one workgroup pass
const SHAPES: [number, number][] = [
  [1, 1],
  [3, 13],
  [17, 64],
  [33, 257],
  [2, 1000],
];

// f32 sums over n terms err by ~√n·2⁻²⁴ relative (random rounding), plus a few roundings per element
const tol = (n: number) => 4 * (Math.sqrt(n) + 4) * 2 ** -24;

describe.skipIf(!ctx)('layerNorm on webgpu vs the reference', () => {
  it('forward: out, mean, rstd', async () => {
    const gpu = ctx!;
    const rng = new Rng(seed);
    for (const [rows, dim] of SHAPES) {
      const p = { rows, dim, eps: 1e-5 };
      const x = randn(rng, rows * dim);
      const weight = randn(rng, dim);
      const bias = randn(rng, dim);
      const out = new Float32Array(rows * dim);
      const mean = new Float32Array(rows);
      const rstd = new Float32Array(rows);
      layerNormForwardRef(out, mean, rstd, x, weight, bias, p);
      const gOut = gpu.acquire(rows * dim * 4);
      const gMean = gpu.acquire(rows * 4);
      const gRstd = gpu.acquire(rows * 4);
      layerNormForward(gpu, gOut, gMean, gRstd, upload(gpu, x), upload(gpu, weight), upload(gpu, bias), p);
      const label = `layerNormForward [${rows}, ${dim}]`;
      expect(expectClose(await readF32(gpu, gOut, rows * dim), out, tol(dim), `${label} out`, seed)).toBeLessThanOrEqual(tol(dim));
      // row means of zero-mean inputs can all be near 0 while their f32 sum error stays ~ε/√dim: an absolute
      // allowance at the terms' scale, tol(dim)/√dim
      expectClose(await readF32(gpu, gMean, rows), mean, tol(dim), `${label} mean`, seed, tol(dim) / Math.sqrt(dim));
      expect(expectClose(await readF32(gpu, gRstd, rows), rstd, tol(dim), `${label} rstd`, seed)).toBeLessThanOrEqual(tol(dim));
    }
  });

  it('backward: dx, dweight, dbias (the column sums reproduce bit for bit)', async () => {
    const gpu = ctx!;
    const rng = new Rng(seed);
    for (const [rows, dim] of SHAPES) {
      const p = { rows, dim, eps: 1e-5 };
      const x = randn(rng, rows * dim);
      const weight = randn(rng, dim);
      const dy = randn(rng, rows * dim);
      const mean = new Float32Array(rows);
      const rstd = new Float32Array(rows);
      layerNormForwardRef(new Float32Array(rows * dim), mean, rstd, x, weight, randn(rng, dim), p);
      const dx = new Float32Array(rows * dim);
      const dweight = new Float32Array(dim);
      const dbias = new Float32Array(dim);
      layerNormBackwardRef(dx, dweight, dbias, dy, x, weight, mean, rstd, p);

      const inputs = [dy, x, weight, mean, rstd].map((a) => upload(gpu, a)) as [GPUBuffer, GPUBuffer, GPUBuffer, GPUBuffer, GPUBuffer];
      const gDx = gpu.acquire(rows * dim * 4);
      const gDw = gpu.acquire(dim * 4);
      const gDb = gpu.acquire(dim * 4);
      gpu.upload(gDw, new Float32Array(dim).fill(NaN)); // outputs are overwritten, not accumulated
      layerNormBackward(gpu, gDx, gDw, gDb, ...inputs, p);
      const label = `layerNormBackward [${rows}, ${dim}]`;
      expect(expectClose(await readF32(gpu, gDx, rows * dim), dx, tol(dim), `${label} dx`, seed)).toBeLessThanOrEqual(tol(dim));
      const gotDw = await readF32(gpu, gDw, dim);
      // dweight sums rows products of x̂ (a few roundings each); dbias sums rows values of dy
      expect(expectClose(gotDw, dweight, tol(rows), `${label} dweight`, seed)).toBeLessThanOrEqual(tol(rows));
      expect(expectClose(await readF32(gpu, gDb, dim), dbias, tol(rows), `${label} dbias`, seed)).toBeLessThanOrEqual(tol(rows));

      layerNormBackward(gpu, gDx, gDw, gDb, ...inputs, p);
      expect(await readF32(gpu, gDw, dim)).toEqual(gotDw);
    }
  });
});
