// WebGPU batched matmul: validate buffer sizes → cached pipeline per (transA, transB, bias) → dispatch
// one workgroup per 64×64 output tile, batches along z.
import { ShapeError } from '../../errors.js';
import type { GpuContext } from '../../runtime/gpu-context.js';
import { uniformStruct } from '../../runtime/uniform.js';
import type { MatmulParams } from './matmul.ref.js';
import source from './matmul.wgsl';

const Params = uniformStruct('Params', { M: 'u32', N: 'u32', K: 'u32', batch0: 'u32' });
const TILE = 64;
const TK = 32;

/** Throws a ShapeError unless `buf` holds at least `elems` f32 values. */
function checkSize(param: string, buf: GPUBuffer, elems: number, shape: string): void {
  if (buf.size < elems * 4) throw new ShapeError('matmul', param, `${shape} (${elems * 4} bytes)`, `a buffer of ${buf.size} bytes`);
}

/** out [batch, M, N] f32 = op(a) · op(b) (+ bias [N]) on the GPU (see matmulRef for the layouts). */
export function matmul(ctx: GpuContext, out: GPUBuffer, a: GPUBuffer, b: GPUBuffer, bias: GPUBuffer | null, p: MatmulParams): void {
  const { batch, M, N, K, transA, transB } = p;
  checkSize('a', a, batch * M * K, transA ? `[${batch}, K=${K}, M=${M}]` : `[${batch}, M=${M}, K=${K}]`);
  checkSize('b', b, batch * K * N, transB ? `[${batch}, N=${N}, K=${K}]` : `[${batch}, K=${K}, N=${N}]`);
  if (bias) checkSize('bias', bias, N, `[N=${N}]`);
  checkSize('out', out, batch * M * N, `[${batch}, M=${M}, N=${N}]`);
  const maxWg = ctx.limits.maxComputeWorkgroupsPerDimension;
  const tilesM = Math.ceil(M / TILE);
  const tilesN = Math.ceil(N / TILE);
  if (tilesM > maxWg || tilesN > maxWg) {
    throw new ShapeError('matmul', 'out', `M, N ≤ ${maxWg * TILE} (${maxWg} tiles of ${TILE})`, `[${batch}, ${M}, ${N}]`);
  }
  const kernel = ctx.kernel({
    key: { op: 'matmul', transA, transB, bias: bias !== null, tk: TK },
    source,
    uniform: Params,
    bindings: ['read', 'read', 'read', 'rw'],
    constants: { TRANS_A: Number(transA), TRANS_B: Number(transB), HAS_BIAS: Number(bias !== null), TK },
  });
  // batches beyond the z limit go in further dispatches, offset by batch0
  for (let batch0 = 0; batch0 < batch; batch0 += maxWg) {
    kernel.dispatch([a, b, bias ?? a, out], { M, N, K, batch0 }, [tilesN, tilesM, Math.min(maxWg, batch - batch0)]);
  }
}
