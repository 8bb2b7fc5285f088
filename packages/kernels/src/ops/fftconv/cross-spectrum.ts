// The kernel gradient's spectrum, summed over the batch in the frequency domain (linearity): one inverse
// transform per channel instead of one per row.
import type { GpuContext } from '../../runtime/gpu-context.js';
import crossSource from './cross-spectrum.wgsl';
import { FftParams, fftParams } from './gpu-common.js';

/**
 * out [H, width] = scale·Σ_b a[b·H + h]·conj(b[b·H + h]) for spectra a, b [B·H, width] (any layout shared by
 * both): the kernel gradient's spectrum, summed over the batch before the one inverse transform per channel.
 */
export function crossSpectrum(ctx: GpuContext, out: GPUBuffer, a: GPUBuffer, b: GPUBuffer, batch: number, channels: number, width: number, scale: number): void {
  const kernel = ctx.kernel({ key: { op: 'fftconv', fn: 'crossSpectrum' }, source: crossSource, uniform: FftParams, bindings: ['read', 'read', 'rw'] });
  kernel.dispatch([a, b, out], fftParams(channels, channels, width, { batch, scale }), ctx.grid(Math.ceil((channels * width) / 256)));
}
