// WebGPU token embedding: gather forward, deterministic scatter-add backward (see embedding.ref.ts).
import type { GpuContext } from '../../runtime/gpu-context.js';
import { uniformStruct } from '../../runtime/uniform.js';
import backwardSource from './embedding-backward.wgsl';
import forwardSource from './embedding-forward.wgsl';
import type { EmbeddingParams } from './embedding.ref.js';

const ForwardParams = uniformStruct('Params', { size: 'u32', dim: 'u32' });
const BackwardParams = uniformStruct('Params', { size: 'u32', dim: 'u32', vocab: 'u32', n: 'u32', rowsPerChunk: 'u32' });
const WG = 256;
// Backward aims for about this many invocations: enough to fill a GPU, while each extra vocab chunk costs
// every invocation of it a full scan over the n ids.
const BACKWARD_INVOCATIONS = 16384;

/** out [n, dim] f32 = weight [vocab, dim] f32 rows at ids [n] i32 (see embeddingForwardRef). */
export function embeddingForward(ctx: GpuContext, out: GPUBuffer, weight: GPUBuffer, ids: GPUBuffer, p: EmbeddingParams): void {
  const kernel = ctx.kernel({
    key: { op: 'embeddingForward', wg: WG },
    source: forwardSource,
    uniform: ForwardParams,
    bindings: ['read', 'read', 'rw'],
    constants: { WG },
  });
  const size = p.n * p.dim;
  kernel.dispatch([weight, ids, out], { size, dim: p.dim }, ctx.grid(Math.ceil(size / WG)));
}

/** dweight [vocab, dim] f32 = scatter-add of dy [n, dim] f32 rows at ids [n] i32, overwriting (see embeddingBackwardRef). */
export function embeddingBackward(ctx: GpuContext, dweight: GPUBuffer, dy: GPUBuffer, ids: GPUBuffer, p: EmbeddingParams): void {
  const kernel = ctx.kernel({
    key: { op: 'embeddingBackward', wg: WG },
    source: backwardSource,
    uniform: BackwardParams,
    bindings: ['read', 'read', 'rw'],
    constants: { WG },
  });
  const wantChunks = Math.max(1, Math.ceil(BACKWARD_INVOCATIONS / Math.max(p.dim, 1)));
  const rowsPerChunk = Math.max(1, Math.ceil(p.vocab / wantChunks));
  const size = p.dim * Math.ceil(p.vocab / rowsPerChunk);
  kernel.dispatch([dy, ids, dweight], { size, dim: p.dim, vocab: p.vocab, n: p.n, rowsPerChunk }, ctx.grid(Math.ceil(size / WG)));
}
