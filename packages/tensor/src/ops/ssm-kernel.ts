// H3's SSM parameters → convolution kernels, as autograd ops (maths: @hippo/kernels s4d-kernel.ref.ts and
// shift-kernel.ref.ts; design reference h3-reference.md §1–2). Their outputs feed fftConv.
import { ShapeError, type S4dKernelParams, type ShiftKernelParams } from '@hippo/kernels';
import { Tensor } from '../tensor.js';
import { assertFloat, backendOf, record } from './record.js';

function assertLength(fn: string, length: number): void {
  if (!(Number.isInteger(length) && length >= 1)) throw new ShapeError(fn, 'length', 'an integer ≥ 1', String(length));
}

/**
 * The S4D (diagonal SSM) convolution kernel K [H, length] of the official `SSKernelDiag` (bilinear
 * discretisation, real part −exp(invAReal)): K[h, l] = 2·Re Σ_n C·B̄·Ā^l with Δ = exp(logDt[h]),
 * A = −exp(invAReal) + i·AImag, Ā = (1 + ΔA/2)/(1 − ΔA/2), B̄ = Δ·B/(1 − ΔA/2). Complex B and C are stored as
 * (re, im) pairs in a trailing axis of 2, as in the official state dict. Gradients flow to all five inputs.
 * @param logDt [H]  @param invAReal [H, N2]  @param AImag [H, N2]  @param B [H, N2, 2]  @param C [H, N2, 2]
 * @example
 * const K = s4dKernel(logDt, invAReal, AImag, B, C, 1024); // H = 768, N2 = 32 → K [768, 1024]
 * const y = fftConv(u, K, D);                              // u [B, 768, 1024]
 */
export function s4dKernel(logDt: Tensor, invAReal: Tensor, AImag: Tensor, B: Tensor, C: Tensor, length: number): Tensor {
  const fn = 's4dKernel';
  const backend = backendOf(fn, logDt, invAReal, AImag, B, C);
  const named = [['logDt', logDt], ['invAReal', invAReal], ['AImag', AImag], ['B', B], ['C', C]] as const;
  for (const [name, t] of named) assertFloat(fn, name, t);
  assertLength(fn, length);
  if (logDt.rank !== 1 || logDt.shape[0] < 1) throw new ShapeError(fn, 'logDt', '[H] with H ≥ 1', `[${logDt.shape}]`);
  const H = logDt.shape[0];
  if (invAReal.rank !== 2 || invAReal.shape[0] !== H || invAReal.shape[1] < 1)
    throw new ShapeError(fn, 'invAReal', `[${H}, N2] with N2 ≥ 1 (logDt is [${H}])`, `[${invAReal.shape}]`);
  const N2 = invAReal.shape[1];
  const want: Record<string, number[]> = { AImag: [H, N2], B: [H, N2, 2], C: [H, N2, 2] };
  for (const [name, t] of named.slice(2))
    if (t.shape.length !== want[name].length || t.shape.some((d, i) => d !== want[name][i]))
      throw new ShapeError(fn, name, `[${want[name]}] (invAReal is [${H}, ${N2}])`, `[${t.shape}]`);
  const p: S4dKernelParams = { channels: H, modes: N2, length };
  const inputs = [logDt, invAReal, AImag, B, C];
  const storages = () => [logDt.storage, invAReal.storage, AImag.storage, B.storage, C.storage] as const;
  return record(backend.s4dKernelForward(...storages(), p), [H, length], fn, inputs, (g) => {
    const grads = backend.s4dKernelBackward(g.storage, ...storages(), p);
    return grads.map((s, i) => new Tensor(s, inputs[i].shape));
  });
}

/**
 * The shift SSM's convolution kernel k [H, min(N, length)] of the official `SSKernelShift`:
 * k[h, j] = Σ_{m + j < N} B[h, m]·C[h, m + j] (a learnable causal FIR filter of N taps; the official kernel's
 * taps beyond N are zero and are left out — fftConv takes a kernel shorter than the sequence). Gradients flow to
 * B and C.
 * @param B [H, N]  @param C [H, N]
 * @example
 * const k = shiftKernel(B, C, 1024);       // B, C [768, 64] → k [768, 64]
 * const kTilde = fftConv(kProj, k, kD);    // kProj [B, 768, 1024]
 */
export function shiftKernel(B: Tensor, C: Tensor, length: number): Tensor {
  const fn = 'shiftKernel';
  const backend = backendOf(fn, B, C);
  assertFloat(fn, 'B', B);
  assertFloat(fn, 'C', C);
  assertLength(fn, length);
  if (B.rank !== 2 || B.shape[0] < 1 || B.shape[1] < 1) throw new ShapeError(fn, 'B', '[H, N] with H, N ≥ 1', `[${B.shape}]`);
  const [H, N] = B.shape;
  if (C.rank !== 2 || C.shape[0] !== H || C.shape[1] !== N) throw new ShapeError(fn, 'C', `[${H}, ${N}] (B is [${H}, ${N}])`, `[${C.shape}]`);
  const p: ShiftKernelParams = { channels: H, state: N, length };
  return record(backend.shiftKernelForward(B.storage, C.storage, p), [H, Math.min(N, length)], fn, [B, C], (g) => {
    const [dB, dC] = backend.shiftKernelBackward(g.storage, B.storage, C.storage, p);
    return [new Tensor(dB, B.shape), new Tensor(dC, C.shape)];
  });
}
