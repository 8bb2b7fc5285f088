// The fused path: every transform of a row happens inside one workgroup (M = N/2 complex points in workgroup
// memory), so a convolution is one dispatch after the kernel spectra; used whenever M fits the device.
import type { BindingKind, GpuContext } from '../../runtime/gpu-context.js';
import { fftPassesWgsl } from './fft-passes.js';
import fftRows from './fft-rows.wgsl';
import fftWorkgroupLib from './fft-workgroup.wgsl';
import fusedConvSource from './fused-conv.wgsl';
import fusedLoad from './fused-load.wgsl';
import inverseSource from './fused-inverse.wgsl';
import spectrumSource from './fused-spectrum.wgsl';
import { FftParams, fftFlags, fftParams, fftWorkgroup, twiddleBuffer, type FftTuning } from './gpu-common.js';
import { log2Exact } from './plan.js';

/** One transform size of the fused path: the real FFT length N (M = N/2 points in workgroup memory), and the kernel shape. */
export interface FusedPlan extends FftTuning {
  n: number;
}

/** Rows of a [B·H, length] array cut into `chunks` pieces of `chunkLen` (state passing), plainly 1 × length. */
export interface RowLayout {
  rows: number;
  channels: number;
  length: number;
  chunks: number;
  chunkLen: number;
}

/** The layout of B·H plain rows of length L. */
export function plainRows(batch: number, channels: number, length: number): RowLayout {
  return { rows: batch * channels, channels, length, chunks: 1, chunkLen: length };
}

/** A fused kernel for this plan, with the FFT passes of the directions it uses. */
function fusedKernel(ctx: GpuContext, plan: FusedPlan, fn: string, source: string, bindings: BindingKind[], forward: boolean, inverse: boolean, extra: string[] = []) {
  const m = plan.n / 2;
  const wg = fftWorkgroup(m, plan);
  return ctx.kernel({
    key: { op: 'fftconv', fn, n: plan.n, radix: 2 ** plan.radixLog, wg },
    source,
    libraries: [fftRows, fftWorkgroupLib, fftPassesWgsl(log2Exact(m), { forward, inverse, radixLog: plan.radixLog }), ...extra],
    uniform: FftParams,
    bindings,
    constants: { WG: wg, BUF: m, LOG_N: log2Exact(plan.n) },
  });
}

function layoutParams(r: RowLayout, extra: { scale?: number; flags?: number; outLen?: number } = {}) {
  return { ...fftParams(r.rows, r.channels, r.length, extra), chunks: r.chunks, chunk_len: r.chunkLen };
}

/**
 * out [rows, M+1] complex = scale·(rfft_N(x row) + D[h] when D is given), one workgroup per row of x laid
 * out as `rows` describes (natural frequency order: the layout fusedConv and fusedInverse read).
 */
export function fusedSpectrum(ctx: GpuContext, out: GPUBuffer, x: GPUBuffer, D: GPUBuffer | null, rows: RowLayout, plan: FusedPlan, scale: number): void {
  const kernel = fusedKernel(ctx, plan, 'fusedSpectrum', spectrumSource, ['read', 'read', 'read', 'rw'], true, false, [fusedLoad]);
  kernel.dispatch([twiddleBuffer(ctx, plan.n), x, D ?? x, out], layoutParams(rows, { scale, flags: fftFlags({ addD: D !== null }) }), ctx.grid(rows.rows));
}

/**
 * y = irfft_N(rfft_N(x) ⊙ kspec[h]) per row (kspec conjugated when `conj`), x and y laid out as `rows`
 * describes, kspec [H, M+1] from fusedSpectrum with scale 1/M. With `emit`, rfft_N(x) [rows, M+1] goes there too.
 */
export function fusedConv(
  ctx: GpuContext,
  y: GPUBuffer,
  x: GPUBuffer,
  kspec: GPUBuffer,
  rows: RowLayout,
  plan: FusedPlan,
  opts: { conj?: boolean; emit?: GPUBuffer } = {},
): void {
  const kernel = fusedKernel(ctx, plan, 'fusedConv', fusedConvSource, ['read', 'read', 'read', 'rw', 'rw'], true, true, [fusedLoad]);
  const spare = opts.emit ? null : ctx.acquire(16);
  const flags = fftFlags({ conj: opts.conj, emit: opts.emit !== undefined });
  kernel.dispatch([twiddleBuffer(ctx, plan.n), x, kspec, y, opts.emit ?? spare!], layoutParams(rows, { flags }), ctx.grid(rows.rows));
  if (spare) ctx.release(spare);
}

/** y [rows, outLen] = irfft_N(scale·spec[r])[0:outLen] for spec [rows, M+1]; y[:, 0] also into `first` when given. */
export function fusedInverse(ctx: GpuContext, y: GPUBuffer, first: GPUBuffer | null, specIn: GPUBuffer, rows: number, outLen: number, plan: FusedPlan, scale: number): void {
  const kernel = fusedKernel(ctx, plan, 'fusedInverse', inverseSource, ['read', 'read', 'rw', 'rw'], false, true);
  const spare = first ? null : ctx.acquire(16);
  const p = fftParams(rows, rows, outLen, { outLen, scale, flags: fftFlags({ first: first !== null }) });
  kernel.dispatch([twiddleBuffer(ctx, plan.n), specIn, y, first ?? spare!], p, ctx.grid(rows));
  if (spare) ctx.release(spare);
}
