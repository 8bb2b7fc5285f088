// WebGPU elementwise binary op with broadcasting: validate → plan → cached pipeline → dispatch.
import type { GpuContext } from '../../runtime/gpu-context.js';
import { uniformStruct } from '../../runtime/uniform.js';
import type { BinaryOp } from './binary.ref.js';
import { MAX_RANK, type BroadcastPlan } from './broadcast.js';
import laneLib from '../common/lanes.wgsl';
import source from './binary.wgsl';

const Params = uniformStruct('Params', {
  size: 'u32',
  dims0: 'vec4u',
  dims1: 'vec4u',
  aStrides0: 'vec4u',
  aStrides1: 'vec4u',
  bStrides0: 'vec4u',
  bStrides1: 'vec4u',
});
const OPS: Record<BinaryOp, number> = { add: 0, sub: 1, mul: 2, div: 3 };
const WG = 256;

/** Right-aligns `v` into 8 lanes, padding on the left with `fill`. */
function lanes(v: readonly number[], fill: number): number[] {
  return [...new Array<number>(MAX_RANK - v.length).fill(fill), ...v];
}

/** out [plan.size] f32 = a ∘ b on the GPU (see binaryRef). */
export function binary(ctx: GpuContext, op: BinaryOp, out: GPUBuffer, a: GPUBuffer, b: GPUBuffer, plan: BroadcastPlan): void {
  const kernel = ctx.kernel({
    key: { op: 'binary', fn: op, wg: WG },
    source,
    libraries: [laneLib],
    uniform: Params,
    bindings: ['read', 'read', 'rw'],
    constants: { OP: OPS[op], WG },
  });
  const dims = lanes(plan.dims, 1);
  const as = lanes(plan.aStrides, 0);
  const bs = lanes(plan.bStrides, 0);
  kernel.dispatch(
    [a, b, out],
    {
      size: plan.size,
      dims0: dims.slice(0, 4),
      dims1: dims.slice(4),
      aStrides0: as.slice(0, 4),
      aStrides1: as.slice(4),
      bStrides0: bs.slice(0, 4),
      bStrides1: bs.slice(4),
    },
    ctx.grid(Math.ceil(plan.size / WG)),
  );
}
