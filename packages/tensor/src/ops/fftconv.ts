// The FFT long convolution of H3 (FlashConv) as an autograd op: y = causal_conv(u, k) + D·u per channel.
import { ShapeError, type FftConvParams } from '@hippo/kernels';
import { Tensor } from '../tensor.js';
import { assertFloat, backendOf, record } from './record.js';

/**
 * y [B,H,L] = Σ_{s ≤ t} k[h,s]·u[b,h,t−s] + D[h]·u[b,h,t] for u [B,H,L], k [H,Lk] (Lk ≤ L) and D [H], by FFTs
 * of length N ≥ L + Lk − 1 (the kernel spectrum is computed once per call and shared by the batch). On
 * webgpu: the fused one-workgroup-per-row kernel while a row fits in workgroup memory, the four-step
 * multi-pass kernels beyond. Gradients flow to u, k and D.
 * @example
 * const y = fftConv(u, k, D); // u [2, 64, 1024], k [64, 1024], D [64] → y [2, 64, 1024]
 */
export function fftConv(u: Tensor, k: Tensor, D: Tensor): Tensor {
  const backend = backendOf('fftConv', u, k, D);
  for (const [name, t] of [['u', u], ['k', k], ['D', D]] as const) assertFloat('fftConv', name, t);
  if (u.rank !== 3) throw new ShapeError('fftConv', 'u', '[B, H, L]', `[${u.shape}]`);
  const [B, H, L] = u.shape;
  if (k.rank !== 2 || k.shape[0] !== H || k.shape[1] < 1 || k.shape[1] > L)
    throw new ShapeError('fftConv', 'k', `[${H}, Lk] with 1 ≤ Lk ≤ ${L} (u is [${u.shape}])`, `[${k.shape}]`);
  if (D.rank !== 1 || D.shape[0] !== H) throw new ShapeError('fftConv', 'D', `[${H}] (u is [${u.shape}])`, `[${D.shape}]`);
  const p: FftConvParams = { batch: B, channels: H, length: L, kernelLength: k.shape[1] };
  return record(backend.fftConvForward(u.storage, k.storage, D.storage, p), u.shape, 'fftConv', [u, k, D], (g) => {
    const [du, dk, dD] = backend.fftConvBackward(g.storage, u.storage, k.storage, D.storage, p);
    return [new Tensor(du, u.shape), new Tensor(dk, k.shape), new Tensor(dD, D.shape)];
  });
}
