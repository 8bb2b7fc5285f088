// WebGPU softmax over the last axis, forward and backward (see softmax.ref.ts): one workgroup per row.
import type { GpuContext } from '../../runtime/gpu-context.js';
import { uniformStruct } from '../../runtime/uniform.js';
import { rowWorkgroup } from '../common/row-workgroup.js';
import workgroupReduce from '../common/workgroup-reduce.wgsl';
import type { SoftmaxParams } from './softmax.ref.js';
import forwardSource from './softmax-forward.wgsl';
import backwardSource from './softmax-backward.wgsl';

const Params = uniformStruct('Params', { rows: 'u32', dim: 'u32' });

/** out [rows, dim] = softmax(x [rows, dim]) per row (f32; see softmaxForwardRef). */
export function softmaxForward(ctx: GpuContext, out: GPUBuffer, x: GPUBuffer, p: SoftmaxParams): void {
  const wg = rowWorkgroup(p.dim);
  const kernel = ctx.kernel({
    key: { op: 'softmax', fn: 'forward', wg },
    source: forwardSource,
    libraries: [workgroupReduce],
    uniform: Params,
    bindings: ['read', 'rw'],
    constants: { WG: wg },
  });
  kernel.dispatch([x, out], p, ctx.grid(p.rows));
}

/** Overwrites dx [rows, dim] = y ⊙ (dy − Σ_j dy_j y_j) per row, y the forward output (f32; see softmaxBackwardRef). */
export function softmaxBackward(ctx: GpuContext, dx: GPUBuffer, y: GPUBuffer, dy: GPUBuffer, p: SoftmaxParams): void {
  const wg = rowWorkgroup(p.dim);
  const kernel = ctx.kernel({
    key: { op: 'softmax', fn: 'backward', wg },
    source: backwardSource,
    libraries: [workgroupReduce],
    uniform: Params,
    bindings: ['read', 'read', 'rw'],
    constants: { WG: wg },
  });
  kernel.dispatch([y, dy, dx], p, ctx.grid(p.rows));
}
