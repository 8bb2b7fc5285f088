// WebGPU elementwise unary ops and their backward passes: one pipeline per op, chosen by an override constant.
import type { GpuContext } from '../../runtime/gpu-context.js';
import { uniformStruct } from '../../runtime/uniform.js';
import { fill } from './fill.js';
import { UNARY_OP_IDS, unaryAlpha, type UnaryOp, type UnaryParams } from './unary.ref.js';
import backwardSource from './unary-backward.wgsl';
import unaryCommon from './unary-common.wgsl';
import forwardSource from './unary.wgsl';

const Params = uniformStruct('Params', { n: 'u32', alpha: 'f32', seed: 'u32', keepFrom: 'u32', keepScale: 'f32' });
const OPS = UNARY_OP_IDS;
const WG = 256;
const TWO_32 = 4294967296;

/**
 * The uniform values, or null when dropout drops everything. hash/2^32 ≥ p ⇔ hash ≥ ceil(p·2^32) for an
 * integer hash, and p·2^32 is exact in float64, so the u32 comparison on the GPU reproduces the ref's mask.
 */
function params(op: UnaryOp, p: UnaryParams) {
  const alpha = unaryAlpha(op, p);
  const keepFrom = op === 'dropout' ? Math.max(0, Math.ceil(alpha * TWO_32)) : 0;
  if (keepFrom >= TWO_32) return null;
  return { n: p.n, alpha, seed: (p.seed ?? 0) >>> 0, keepFrom, keepScale: op === 'dropout' ? 1 / (1 - alpha) : 1 };
}

/** out [n] f32 = f(x) on the GPU (see unaryRef). out must not alias x. */
export function unary(ctx: GpuContext, op: UnaryOp, out: GPUBuffer, x: GPUBuffer, p: UnaryParams): void {
  const values = params(op, p);
  if (!values) return fill(ctx, out, 0, p.n);
  const kernel = ctx.kernel({
    key: { op: 'unary', fn: op, wg: WG },
    source: forwardSource,
    libraries: [unaryCommon],
    uniform: Params,
    bindings: ['read', 'rw'],
    constants: { OP: OPS[op], WG },
  });
  kernel.dispatch([x, out], values, ctx.grid(Math.ceil(p.n / WG)));
}

/** dx [n] f32 = dy · f'(x) on the GPU (see unaryBackwardRef); overwrites dx, which must not alias the inputs. */
export function unaryBackward(ctx: GpuContext, op: UnaryOp, dx: GPUBuffer, x: GPUBuffer, y: GPUBuffer, dy: GPUBuffer, p: UnaryParams): void {
  const values = params(op, p);
  if (!values) return fill(ctx, dx, 0, p.n);
  const kernel = ctx.kernel({
    key: { op: 'unaryBackward', fn: op, wg: WG },
    source: backwardSource,
    libraries: [unaryCommon],
    uniform: Params,
    bindings: ['read', 'read', 'read', 'rw'],
    constants: { OP: OPS[op], WG },
  });
  kernel.dispatch([x, y, dy, dx], values, ctx.grid(Math.ceil(p.n / WG)));
}
