// The multi-pass (four-step) path for rows whose transform does not fit in workgroup memory: a size-M FFT is
// M1 column transforms, a twiddle, and M2-point row transforms, each pass one dispatch with its transforms in
// workgroup memory. Forward FFT = 2 dispatches, inverse = 2; the convolution fuses the row passes of both
// (forward, × K', inverse in one workgroup), so it is 3 dispatches after the kernel spectra.
import { ShapeError } from '../../errors.js';
import type { GpuContext } from '../../runtime/gpu-context.js';
import { crossSpectrum } from './cross-spectrum.js';
import { fftPassesWgsl } from './fft-passes.js';
import fftRows from './fft-rows.wgsl';
import fftWorkgroupLib from './fft-workgroup.wgsl';
import fourStep from './four-step.wgsl';
import columnsSource from './four-step-columns.wgsl';
import columnsInverseSource from './four-step-columns-inverse.wgsl';
import rowsSource from './four-step-rows.wgsl';
import { FftParams, fftFlags, fftParams, fftWorkgroup, twiddleBuffer, workgroupPoints, type FftTuning } from './gpu-common.js';
import { log2Exact, type FftConvParams } from './plan.js';

/** The libraries of a four-step kernel whose transforms have 2^logF points. */
function libs(logF: number, plan: FourStepPlan, forward: boolean, inverse: boolean): string[] {
  return [fftRows, fftWorkgroupLib, fftPassesWgsl(logF, { forward, inverse, radixLog: plan.tuning.radixLog }), fourStep];
}

/** The split M = M1·M2 of one transform size, and the columns each column-pass workgroup handles. */
export interface FourStepPlan {
  n: number;
  m: number;
  m1: number;
  m2: number;
  /** Columns per workgroup in the column passes (cols·M1 ≤ the workgroup's capacity). */
  cols: number;
  /** The FFT kernel shape (fftTuning). */
  tuning: FftTuning;
}

/**
 * Splits M = N/2 into columns M1 ≤ capacity and row pairs 2·M2 ≤ capacity (capacity = complex points of
 * workgroup storage). `rowSize` forces M2 (tests use it to exercise small splits).
 */
export function planFourStep(ctx: GpuContext, n: number, tuning: FftTuning, rowSize?: number): FourStepPlan {
  const cap = workgroupPoints(ctx);
  const m = n / 2;
  const m2 = rowSize ?? Math.min(cap / 2, m / 2);
  if (!(m2 >= 2 && m2 <= cap / 2 && m2 <= m / 2 && 2 ** Math.round(Math.log2(m2)) === m2))
    throw new ShapeError('fftConv', 'rowSize', `a power of two in [2, ${Math.min(cap / 2, m / 2)}]`, String(m2));
  const m1 = m / m2;
  if (m1 > cap) throw new ShapeError('fftConv', 'length', `N/2 ≤ ${(cap * cap) / 2} (two four-step levels on this device)`, `N/2 = ${m}`);
  return { n, m, m1, m2, cols: Math.min(m2, cap / m1), tuning };
}

function constants(plan: FourStepPlan, points: number): Record<string, number> {
  return { WG: fftWorkgroup(points, plan.tuning), BUF: points, LOG_N: log2Exact(plan.n), LOG_M1: log2Exact(plan.m1), LOG_M2: log2Exact(plan.m2) };
}

/** tmp [rows, M1, M2] ← the column pass of the real rows x [rows, length] (zero-padded). */
function columnsForward(ctx: GpuContext, tmp: GPUBuffer, x: GPUBuffer, rows: number, length: number, plan: FourStepPlan): void {
  const points = plan.cols * plan.m1;
  const kernel = ctx.kernel({
    key: { op: 'fftconv', fn: 'columns', n: plan.n, m1: plan.m1, cols: plan.cols, radix: 2 ** plan.tuning.radixLog, wg: fftWorkgroup(points, plan.tuning) },
    source: columnsSource,
    libraries: libs(log2Exact(plan.m1), plan, true, false),
    uniform: FftParams,
    bindings: ['read', 'read', 'rw'],
    constants: constants(plan, points),
  });
  kernel.dispatch([twiddleBuffer(ctx, plan.n), x, tmp], fftParams(rows, rows, length), ctx.grid(rows * (plan.m2 / plan.cols)));
}

/** y [rows, outLen] ← the inverse column pass of tmp (and y[:, 0] into `first` when given). */
function columnsInverse(ctx: GpuContext, y: GPUBuffer, first: GPUBuffer | null, tmp: GPUBuffer, rows: number, outLen: number, plan: FourStepPlan): void {
  const points = plan.cols * plan.m1;
  const kernel = ctx.kernel({
    key: { op: 'fftconv', fn: 'columnsInverse', n: plan.n, m1: plan.m1, cols: plan.cols, radix: 2 ** plan.tuning.radixLog, wg: fftWorkgroup(points, plan.tuning) },
    source: columnsInverseSource,
    libraries: libs(log2Exact(plan.m1), plan, false, true),
    uniform: FftParams,
    bindings: ['read', 'read', 'rw', 'rw'],
    constants: constants(plan, points),
  });
  const spare = first ? null : ctx.acquire(16);
  const p = fftParams(rows, rows, outLen, { outLen, flags: fftFlags({ first: first !== null }) });
  kernel.dispatch([twiddleBuffer(ctx, plan.n), tmp, y, first ?? spare!], p, ctx.grid(rows * (plan.m2 / plan.cols)));
  if (spare) ctx.release(spare);
}

type RowMode = { mode: 'conv'; conj: boolean } | { mode: 'forward'; addD: boolean } | { mode: 'inverse'; withK: boolean; conj: boolean };

/** The row pass in one of its three modes (four-step-rows.wgsl); unused bindings get a placeholder. */
function rowsPass(
  ctx: GpuContext,
  how: RowMode,
  bufs: { tmp: GPUBuffer; kspec?: GPUBuffer; spec?: GPUBuffer; D?: GPUBuffer },
  rows: number,
  channels: number,
  plan: FourStepPlan,
  scale: number,
): void {
  const mode = { conv: 0, forward: 1, inverse: 2 }[how.mode];
  const flags = fftFlags({
    conj: how.mode !== 'forward' && how.conj,
    hasK: how.mode === 'conv' || (how.mode === 'inverse' && how.withK),
    addD: how.mode === 'forward' && how.addD,
  });
  const kernel = ctx.kernel({
    key: { op: 'fftconv', fn: 'rows', n: plan.n, m2: plan.m2, radix: 2 ** plan.tuning.radixLog, wg: fftWorkgroup(2 * plan.m2, plan.tuning), mode },
    source: rowsSource,
    libraries: libs(log2Exact(plan.m2), plan, true, true), // both: WGSL resolves calls in branches MODE turns off
    uniform: FftParams,
    bindings: ['read', 'rw', 'read', 'rw', 'read'],
    constants: { ...constants(plan, 2 * plan.m2), MODE: mode },
  });
  // a buffer may not be bound read-only and writable in one dispatch, so the placeholders are fresh ones
  const spareRead = ctx.acquire(16);
  const spareRw = ctx.acquire(16);
  kernel.dispatch(
    [twiddleBuffer(ctx, plan.n), bufs.tmp, bufs.kspec ?? spareRead, bufs.spec ?? spareRw, bufs.D ?? spareRead],
    fftParams(rows, channels, plan.m, { scale, flags }),
    ctx.grid(rows * (plan.m1 / 2 + 1)),
  );
  ctx.release(spareRead);
  ctx.release(spareRw);
}

/** spec [H, M+1] = scale·(rfft_N(k[h, 0:Lk]) + D[h]) in the four-step spectrum order (four-step.wgsl). */
export function multipassSpectrum(ctx: GpuContext, spec: GPUBuffer, k: GPUBuffer, D: GPUBuffer, channels: number, kernelLength: number, plan: FourStepPlan, scale: number): void {
  const tmp = ctx.acquire(channels * plan.m * 8);
  columnsForward(ctx, tmp, k, channels, kernelLength, plan);
  rowsPass(ctx, { mode: 'forward', addD: true }, { tmp, spec, D }, channels, channels, plan, scale);
  ctx.release(tmp);
}

/** y = irfft_N(rfft_N(x) ⊙ spec[h]) (spec conjugated when `conj`) for x, y [rows, length], rows = B·H. */
export function multipassConv(ctx: GpuContext, y: GPUBuffer, x: GPUBuffer, spec: GPUBuffer, rows: number, channels: number, length: number, plan: FourStepPlan, conj: boolean): void {
  const tmp = ctx.acquire(rows * plan.m * 8);
  columnsForward(ctx, tmp, x, rows, length, plan);
  rowsPass(ctx, { mode: 'conv', conj }, { tmp, kspec: spec }, rows, channels, plan, 1);
  columnsInverse(ctx, y, null, tmp, rows, length, plan);
  ctx.release(tmp);
}

/**
 * The backward pass on the multi-pass path: DY = rfft(dy) once, du = irfft(DY ⊙ conj K'), and
 * dk = irfft(Σ_b DY_b ⊙ conj U_b / M)[0:Lk] with dD = dk[:, 0].
 */
export function multipassBackward(
  ctx: GpuContext,
  du: GPUBuffer,
  dk: GPUBuffer,
  dD: GPUBuffer,
  dy: GPUBuffer,
  u: GPUBuffer,
  kspec: GPUBuffer,
  p: FftConvParams,
  plan: FourStepPlan,
): void {
  const { batch: B, channels: H, length: L, kernelLength: Lk } = p;
  const rows = B * H;
  const width = plan.m + 1;
  const tmp = ctx.acquire(rows * plan.m * 8);
  const specDy = ctx.acquire(rows * width * 8);
  const specU = ctx.acquire(rows * width * 8);
  columnsForward(ctx, tmp, dy, rows, L, plan);
  rowsPass(ctx, { mode: 'forward', addD: false }, { tmp, spec: specDy }, rows, H, plan, 1);
  rowsPass(ctx, { mode: 'inverse', withK: true, conj: true }, { tmp, kspec, spec: specDy }, rows, H, plan, 1);
  columnsInverse(ctx, du, null, tmp, rows, L, plan);
  columnsForward(ctx, tmp, u, rows, L, plan);
  rowsPass(ctx, { mode: 'forward', addD: false }, { tmp, spec: specU }, rows, H, plan, 1);
  const specK = ctx.acquire(H * width * 8);
  crossSpectrum(ctx, specK, specDy, specU, B, H, width, 1 / plan.m);
  rowsPass(ctx, { mode: 'inverse', withK: false, conj: false }, { tmp, spec: specK }, H, H, plan, 1);
  columnsInverse(ctx, dk, dD, tmp, H, Lk, plan);
  for (const b of [tmp, specDy, specU, specK]) ctx.release(b);
}
