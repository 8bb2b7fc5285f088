// WebGPU shift-SSM kernel forward and backward (maths in shift-kernel.ref.ts): H·N² work, one invocation per
// output element, sums in index order.
import { ShapeError } from '../../errors.js';
import type { GpuContext } from '../../runtime/gpu-context.js';
import { uniformStruct } from '../../runtime/uniform.js';
import { shiftKernelLength, type ShiftKernelParams } from './shift-kernel.ref.js';
import forwardSource from './shift-kernel-forward.wgsl';
import backwardSource from './shift-kernel-backward.wgsl';

const Params = uniformStruct('Params', { channels: 'u32', state: 'u32', taps: 'u32' });
const WG = 64;

function check(fn: string, p: ShiftKernelParams, bufs: Record<string, [GPUBuffer, number]>): void {
  if (!(p.channels >= 1 && p.state >= 1 && p.length >= 1)) throw new ShapeError(fn, 'p', 'channels, state, length ≥ 1', JSON.stringify(p));
  for (const [name, [buf, n]] of Object.entries(bufs))
    if (buf.size < n * 4) throw new ShapeError(fn, name, `${n} f32 values (${n * 4} bytes)`, `a buffer of ${buf.size} bytes`);
}

/**
 * k [H, Lk] (Lk = min(N, L)) from B [H, N], C [H, N] (f32; see shiftKernelRef).
 * @example shiftKernelForward(ctx, k, B, C, { channels: 768, state: 64, length: 1024 }); // k [768, 64]
 */
export function shiftKernelForward(ctx: GpuContext, k: GPUBuffer, B: GPUBuffer, C: GPUBuffer, p: ShiftKernelParams): void {
  const { channels: H, state: N } = p;
  const taps = shiftKernelLength(p);
  check('shiftKernelForward', p, { k: [k, H * taps], B: [B, H * N], C: [C, H * N] });
  ctx
    .kernel({ key: { op: 'shiftKernel', fn: 'forward', wg: WG }, source: forwardSource, uniform: Params, bindings: ['read', 'read', 'rw'], constants: { WG } })
    .dispatch([B, C, k], { channels: H, state: N, taps }, ctx.grid(Math.ceil((H * taps) / WG)));
}

/**
 * Overwrites dB [H, N] and dC [H, N] with the gradients of Σ dk·k from dk [H, Lk], B, C (f32; see
 * shiftKernelBackwardRef).
 * @example shiftKernelBackward(ctx, dB, dC, dk, B, C, { channels: 768, state: 64, length: 1024 });
 */
export function shiftKernelBackward(ctx: GpuContext, dB: GPUBuffer, dC: GPUBuffer, dk: GPUBuffer, B: GPUBuffer, C: GPUBuffer, p: ShiftKernelParams): void {
  const { channels: H, state: N } = p;
  const taps = shiftKernelLength(p);
  check('shiftKernelBackward', p, { dB: [dB, H * N], dC: [dC, H * N], dk: [dk, H * taps], B: [B, H * N], C: [C, H * N] });
  ctx
    .kernel({
      key: { op: 'shiftKernel', fn: 'backward', wg: WG },
      source: backwardSource,
      uniform: Params,
      bindings: ['read', 'read', 'read', 'rw', 'rw'],
      constants: { WG },
    })
    .dispatch([dk, B, C, dB, dC], { channels: H, state: N, taps }, ctx.grid(Math.ceil((H * N) / WG)));
}
