// WebGPU S4D kernel forward and backward (maths in s4d-kernel.ref.ts, f32 power scheme in s4d-mode.wgsl):
// forward one invocation per (h, TAPS taps); backward a workgroup reduction over l per (h, n), then a per-channel
// sum for dlogDt. Deterministic: no atomics, fixed summation orders.
import { ShapeError } from '../../errors.js';
import type { GpuContext } from '../../runtime/gpu-context.js';
import { uniformStruct } from '../../runtime/uniform.js';
import workgroupReduce from '../common/workgroup-reduce.wgsl';
import type { S4dKernelParams } from './s4d-kernel.ref.js';
import forwardSource from './s4d-kernel-forward.wgsl';
import backwardSource from './s4d-kernel-backward.wgsl';
import logDtSource from './s4d-logdt-reduce.wgsl';
import modeLibrary from './s4d-mode.wgsl';

const Params = uniformStruct('Params', { channels: 'u32', modes: 'u32', length: 'u32', tiles: 'u32' });
// invocations per workgroup (forward: WG·TAPS taps; backward: the lanes of the reduction over l), and the
// consecutive taps an invocation takes, one full power each
const WG = 64;
const TAPS = 16;

/** Throws a ShapeError unless each buffer holds its [H, …] f32 values. */
function checkSizes(fn: string, p: S4dKernelParams, bufs: Record<string, [GPUBuffer, number[]]>): void {
  if (!(p.channels >= 1 && p.modes >= 1 && p.length >= 1)) throw new ShapeError(fn, 'p', 'channels, modes, length ≥ 1', JSON.stringify(p));
  for (const [name, [buf, shape]] of Object.entries(bufs)) {
    const n = shape.reduce((a, b) => a * b, 1);
    if (buf.size < n * 4) throw new ShapeError(fn, name, `[${shape}] f32 (${n * 4} bytes)`, `a buffer of ${buf.size} bytes`);
  }
}

/**
 * K [H, L] from logDt [H], invAReal [H, N2], AImag [H, N2], B [H, N2, 2], C [H, N2, 2] (f32; see s4dKernelRef).
 * Per tap the error is a few ulp plus l·(|arg Ā| + |Re log Ā|)·O(ε) from the rounding of log Ā (s4d-mode.wgsl).
 * @example s4dKernelForward(ctx, K, logDt, invAReal, AImag, B, C, { channels: 768, modes: 32, length: 1024 });
 */
export function s4dKernelForward(
  ctx: GpuContext,
  K: GPUBuffer,
  logDt: GPUBuffer,
  invAReal: GPUBuffer,
  AImag: GPUBuffer,
  B: GPUBuffer,
  C: GPUBuffer,
  p: S4dKernelParams,
): void {
  const { channels: H, modes: N2, length: L } = p;
  checkSizes('s4dKernelForward', p, { K: [K, [H, L]], logDt: [logDt, [H]], invAReal: [invAReal, [H, N2]], AImag: [AImag, [H, N2]], B: [B, [H, N2, 2]], C: [C, [H, N2, 2]] });
  const tiles = Math.ceil(L / (WG * TAPS));
  ctx
    .kernel({
      key: { op: 's4dKernel', fn: 'forward', wg: WG, taps: TAPS },
      source: forwardSource,
      libraries: [modeLibrary],
      uniform: Params,
      bindings: ['read', 'read', 'read', 'read', 'read', 'rw'],
      constants: { WG, TAPS },
    })
    .dispatch([logDt, invAReal, AImag, B, C, K], { channels: H, modes: N2, length: L, tiles }, ctx.grid(H * tiles));
}

/**
 * Overwrites dLogDt [H], dInvAReal [H, N2], dAImag [H, N2], dB [H, N2, 2], dC [H, N2, 2] with the gradients of
 * Σ dK·K (f32; see s4dKernelBackwardRef), from dK [H, L] and the forward's inputs. Bit-reproducible.
 * @example s4dKernelBackward(ctx, dLogDt, dInvAReal, dAImag, dB, dC, dK, logDt, invAReal, AImag, B, C, p);
 */
export function s4dKernelBackward(
  ctx: GpuContext,
  dLogDt: GPUBuffer,
  dInvAReal: GPUBuffer,
  dAImag: GPUBuffer,
  dB: GPUBuffer,
  dC: GPUBuffer,
  dK: GPUBuffer,
  logDt: GPUBuffer,
  invAReal: GPUBuffer,
  AImag: GPUBuffer,
  B: GPUBuffer,
  C: GPUBuffer,
  p: S4dKernelParams,
): void {
  const { channels: H, modes: N2, length: L } = p;
  checkSizes('s4dKernelBackward', p, {
    dLogDt: [dLogDt, [H]],
    dInvAReal: [dInvAReal, [H, N2]],
    dAImag: [dAImag, [H, N2]],
    dB: [dB, [H, N2, 2]],
    dC: [dC, [H, N2, 2]],
    dK: [dK, [H, L]],
    logDt: [logDt, [H]],
    invAReal: [invAReal, [H, N2]],
    AImag: [AImag, [H, N2]],
    B: [B, [H, N2, 2]],
    C: [C, [H, N2, 2]],
  });
  const params = { channels: H, modes: N2, length: L, tiles: 1 };
  const part = ctx.acquire(H * N2 * 4);
  ctx
    .kernel({
      key: { op: 's4dKernel', fn: 'backward', wg: WG, taps: TAPS },
      source: backwardSource,
      libraries: [workgroupReduce, modeLibrary],
      uniform: Params,
      bindings: ['read', 'read', 'read', 'read', 'read', 'read', 'rw', 'rw', 'rw', 'rw', 'rw'],
      constants: { WG, TAPS },
    })
    .dispatch([dK, logDt, invAReal, AImag, B, C, dInvAReal, dAImag, dB, dC, part], params, ctx.grid(H * N2));
  ctx
    .kernel({
      key: { op: 's4dKernel', fn: 'logdt_reduce', wg: 64 },
      source: logDtSource,
      uniform: Params,
      bindings: ['read', 'rw'],
      constants: { WG: 64 },
    })
    .dispatch([part, dLogDt], params, ctx.grid(Math.ceil(H / 64)));
  ctx.release(part);
}
