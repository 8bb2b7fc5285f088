// WebGPU fill of an f32 buffer with a constant.
import type { GpuContext } from '../../runtime/gpu-context.js';
import { uniformStruct } from '../../runtime/uniform.js';
import source from './fill.wgsl';

const Params = uniformStruct('Params', { n: 'u32', value: 'f32' });
const WG = 256;

/** out[0..n) = value on the GPU (f32 buffer; see fillRef). */
export function fill(ctx: GpuContext, out: GPUBuffer, value: number, n: number): void {
  const kernel = ctx.kernel({ key: { op: 'fill', wg: WG }, source, uniform: Params, bindings: ['rw'], constants: { WG } });
  kernel.dispatch([out], { n, value }, ctx.grid(Math.ceil(n / WG)));
}
