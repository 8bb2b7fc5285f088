// WebGPU FFT convolution y = causal_conv(u, k) + D·u and its backward (see fftconv.ref.ts for the maths):
// the fused one-dispatch path while a row's transform fits in workgroup memory, the four-step multi-pass
// path beyond. Kernel spectra are computed once per call and shared by the batch.
import { ShapeError } from '../../errors.js';
import type { GpuContext } from '../../runtime/gpu-context.js';
import { crossSpectrum } from './cross-spectrum.js';
import { fusedConv, fusedInverse, fusedSpectrum, plainRows } from './fused.js';
import { fftTuning, workgroupPoints, type FftTuning } from './gpu-common.js';
import { multipassConv, multipassBackward, multipassSpectrum, planFourStep } from './multipass.js';
import { checkFftConvParams, fftLength, type FftConvParams } from './plan.js';

/** Which implementation runs: `auto` picks fused when M = N/2 complex points fit in workgroup storage. */
export type FftConvPath = 'auto' | 'fused' | 'multipass';

export interface FftConvOptions {
  path?: FftConvPath;
  /** log2 of the FFT register-pass radix, 1…4; default by device (fftTuning). */
  radixLog?: number;
  /** The most invocations per FFT workgroup; default by device (fftTuning). */
  maxWorkgroup?: number;
  /** Multi-pass only: the row-transform size M2 (a power of two, 2 ≤ M2 ≤ M/2); default the largest that fits. */
  rowSize?: number;
}

/** The path `auto` resolves to for these sizes on this device, the FFT length N and the kernel shape. */
export function fftConvPlan(ctx: GpuContext, p: FftConvParams, opts: FftConvOptions = {}): { path: 'fused' | 'multipass'; n: number; tuning: FftTuning } {
  const n = fftLength(p.length, p.kernelLength);
  const fits = n / 2 <= workgroupPoints(ctx);
  const path = opts.path ?? 'auto';
  if (path === 'fused' && !fits)
    throw new ShapeError('fftConv', 'length', `≤ ${workgroupPoints(ctx)} complex points per row for the fused path (this device)`, `L = ${p.length}, Lk = ${p.kernelLength} (N/2 = ${n / 2})`);
  // the largest scratch a call binds: spectra of B·H rows, M + 1 complex values each
  const spectraBytes = p.batch * p.channels * (n / 2 + 1) * 8;
  if (spectraBytes > ctx.limits.maxStorageBufferBindingSize)
    throw new ShapeError('fftConv', 'batch × channels', `≤ ${Math.floor(ctx.limits.maxStorageBufferBindingSize / ((n / 2 + 1) * 8))} rows at N = ${n} (one storage binding; split the batch)`, `${p.batch * p.channels}`);
  const tuning = fftTuning(ctx);
  if (opts.radixLog !== undefined) tuning.radixLog = opts.radixLog;
  if (opts.maxWorkgroup !== undefined) tuning.maxWorkgroup = opts.maxWorkgroup;
  return { path: path === 'multipass' || (path === 'auto' && !fits) ? 'multipass' : 'fused', n, tuning };
}

function checkBuffers(fn: string, p: FftConvParams, bufs: [string, GPUBuffer, number][]): void {
  checkFftConvParams(fn, p);
  for (const [name, buf, elems] of bufs) {
    if (buf.size < elems * 4) throw new ShapeError(fn, name, `${elems} f32 values (${elems * 4} bytes)`, `a buffer of ${buf.size} bytes`);
  }
}

/**
 * y [B,H,L] = causal_conv(u [B,H,L], k [H,Lk]) + D [H]·u in f32 on the GPU (see fftConvForwardRef).
 * @example fftConvForward(ctx, y, u, k, D, { batch: 2, channels: 64, length: 1024, kernelLength: 1024 })
 */
export function fftConvForward(ctx: GpuContext, y: GPUBuffer, u: GPUBuffer, k: GPUBuffer, D: GPUBuffer, p: FftConvParams, opts: FftConvOptions = {}): void {
  const { batch: B, channels: H, length: L, kernelLength: Lk } = p;
  checkBuffers('fftConvForward', p, [['u', u, B * H * L], ['k', k, H * Lk], ['D', D, H], ['y', y, B * H * L]]);
  const { path, n, tuning } = fftConvPlan(ctx, p, opts);
  const m = n / 2;
  const spec = ctx.acquire(H * (m + 1) * 8);
  if (path === 'fused') {
    fusedSpectrum(ctx, spec, k, D, plainRows(1, H, Lk), { n, ...tuning }, 1 / m);
    fusedConv(ctx, y, u, spec, plainRows(B, H, L), { n, ...tuning });
  } else {
    const plan = planFourStep(ctx, n, tuning, opts.rowSize);
    multipassSpectrum(ctx, spec, k, D, H, Lk, plan, 1 / m);
    multipassConv(ctx, y, u, spec, B * H, H, L, plan, false);
  }
  ctx.release(spec);
}

/**
 * Gradients of Σ dy·y for fftConvForward, overwriting du [B,H,L], dk [H,Lk] and dD [H] (see fftConvBackwardRef).
 * @example fftConvBackward(ctx, du, dk, dD, dy, u, k, D, p)
 */
export function fftConvBackward(
  ctx: GpuContext,
  du: GPUBuffer,
  dk: GPUBuffer,
  dD: GPUBuffer,
  dy: GPUBuffer,
  u: GPUBuffer,
  k: GPUBuffer,
  D: GPUBuffer,
  p: FftConvParams,
  opts: FftConvOptions = {},
): void {
  const { batch: B, channels: H, length: L, kernelLength: Lk } = p;
  checkBuffers('fftConvBackward', p, [
    ['dy', dy, B * H * L],
    ['u', u, B * H * L],
    ['k', k, H * Lk],
    ['D', D, H],
    ['du', du, B * H * L],
    ['dk', dk, H * Lk],
    ['dD', dD, H],
  ]);
  const { path, n, tuning } = fftConvPlan(ctx, p, opts);
  const m = n / 2;
  const spec = ctx.acquire(H * (m + 1) * 8);
  if (path === 'fused') {
    // du = irfft(DY ⊙ conj K'), keeping DY; dk = irfft(Σ_b DY_b ⊙ conj U_b / M)[0:Lk], dD = dk[:, 0]
    const plan = { n, ...tuning };
    const width = m + 1;
    const specDy = ctx.acquire(B * H * width * 8);
    const specU = ctx.acquire(B * H * width * 8);
    const specK = ctx.acquire(H * width * 8);
    fusedSpectrum(ctx, spec, k, D, plainRows(1, H, Lk), plan, 1 / m);
    fusedConv(ctx, du, dy, spec, plainRows(B, H, L), plan, { conj: true, emit: specDy });
    fusedSpectrum(ctx, specU, u, null, plainRows(B, H, L), plan, 1);
    crossSpectrum(ctx, specK, specDy, specU, B, H, width, 1 / m);
    fusedInverse(ctx, dk, dD, specK, H, Lk, plan, 1);
    for (const b of [specDy, specU, specK]) ctx.release(b);
  } else {
    const plan = planFourStep(ctx, n, tuning, opts.rowSize);
    multipassSpectrum(ctx, spec, k, D, H, Lk, plan, 1 / m);
    multipassBackward(ctx, du, dk, dD, dy, u, spec, p, plan);
  }
  ctx.release(spec);
}
