// WebGPU layer norm forward and backward (see layernorm.ref.ts for the maths): one workgroup per row for the
// row kernels, and a deterministic column-sum kernel for dweight and dbias.
import type { GpuContext } from '../../runtime/gpu-context.js';
import { uniformStruct } from '../../runtime/uniform.js';
import { rowWorkgroup } from '../common/row-workgroup.js';
import workgroupReduce from '../common/workgroup-reduce.wgsl';
import type { LayerNormParams } from './layernorm.ref.js';
import forwardSource from './layernorm-forward.wgsl';
import backwardSource from './layernorm-backward.wgsl';
import paramsBackwardSource from './layernorm-params-backward.wgsl';

const Params = uniformStruct('Params', { rows: 'u32', dim: 'u32', eps: 'f32' });
// dweight/dbias tile: 32 columns × 8 row lanes
const COLS = 32;
const ROWS = 8;

/** out [rows, dim], mean [rows], rstd [rows] from x [rows, dim], weight [dim], bias [dim] (f32; see layerNormForwardRef). */
export function layerNormForward(
  ctx: GpuContext,
  out: GPUBuffer,
  mean: GPUBuffer,
  rstd: GPUBuffer,
  x: GPUBuffer,
  weight: GPUBuffer,
  bias: GPUBuffer,
  p: LayerNormParams,
): void {
  const wg = rowWorkgroup(p.dim);
  const kernel = ctx.kernel({
    key: { op: 'layernorm', fn: 'forward', wg },
    source: forwardSource,
    libraries: [workgroupReduce],
    uniform: Params,
    bindings: ['read', 'read', 'read', 'rw', 'rw', 'rw'],
    constants: { WG: wg },
  });
  kernel.dispatch([x, weight, bias, out, mean, rstd], p, ctx.grid(p.rows));
}

/**
 * Overwrites dx [rows, dim], dweight [dim], dbias [dim] from dy [rows, dim], x, weight and the forward's saved
 * mean [rows], rstd [rows] (f32; see layerNormBackwardRef). dweight and dbias are bit-reproducible run to run.
 */
export function layerNormBackward(
  ctx: GpuContext,
  dx: GPUBuffer,
  dweight: GPUBuffer,
  dbias: GPUBuffer,
  dy: GPUBuffer,
  x: GPUBuffer,
  weight: GPUBuffer,
  mean: GPUBuffer,
  rstd: GPUBuffer,
  p: LayerNormParams,
): void {
  const wg = rowWorkgroup(p.dim);
  const rowKernel = ctx.kernel({
    key: { op: 'layernorm', fn: 'backward', wg },
    source: backwardSource,
    libraries: [workgroupReduce],
    uniform: Params,
    bindings: ['read', 'read', 'read', 'read', 'read', 'rw'],
    constants: { WG: wg },
  });
  rowKernel.dispatch([dy, x, weight, mean, rstd, dx], p, ctx.grid(p.rows));
  const colKernel = ctx.kernel({
    key: { op: 'layernorm', fn: 'params_backward', cols: COLS, rows: ROWS },
    source: paramsBackwardSource,
    uniform: Params,
    bindings: ['read', 'read', 'read', 'read', 'rw', 'rw'],
    constants: { COLS, ROWS },
  });
  colKernel.dispatch([dy, x, mean, rstd, dweight, dbias], p, ctx.grid(Math.ceil(p.dim / COLS)));
}
