// WebGPU reductions over the middle axis of [outer, n, inner]: a workgroup tree per row when the reduced axis
// is the last one (inner = 1), else one looping invocation per output.
import type { GpuContext } from '../../runtime/gpu-context.js';
import { uniformStruct } from '../../runtime/uniform.js';
import { rowWorkgroup } from '../common/row-workgroup.js';
import workgroupReduce from '../common/workgroup-reduce.wgsl';
import { fill } from '../unary/fill.js';
import type { ReduceOp, ReduceParams } from './reduce.ref.js';
import lastSource from './reduce-last.wgsl';
import stridedSource from './reduce-strided.wgsl';

const Params = uniformStruct('Params', { outer: 'u32', n: 'u32', inner: 'u32' });
const OPS: Record<ReduceOp, number> = { sum: 0, mean: 1, max: 2 };
/** What each op gives over an empty axis (as reduceRef). */
const EMPTY: Record<ReduceOp, number> = { sum: 0, mean: Number.NaN, max: -Infinity };
const WG = 256;

/** out [outer, inner] f32 = op over n of x [outer, n, inner] on the GPU (see reduceRef). */
export function reduce(ctx: GpuContext, op: ReduceOp, out: GPUBuffer, x: GPUBuffer, p: ReduceParams): void {
  const { outer, n, inner } = p;
  if (n === 0) return fill(ctx, out, EMPTY[op], outer * inner);
  if (inner === 1) {
    const wg = rowWorkgroup(n);
    const kernel = ctx.kernel({
      key: { op: 'reduceLast', fn: op, wg },
      source: lastSource,
      libraries: [workgroupReduce],
      uniform: Params,
      bindings: ['read', 'rw'],
      constants: { OP: OPS[op], WG: wg },
    });
    kernel.dispatch([x, out], p, ctx.grid(outer));
    return;
  }
  const kernel = ctx.kernel({
    key: { op: 'reduceStrided', fn: op, wg: WG },
    source: stridedSource,
    uniform: Params,
    bindings: ['read', 'rw'],
    constants: { OP: OPS[op], WG },
  });
  kernel.dispatch([x, out], p, ctx.grid(Math.ceil((outer * inner) / WG)));
}
