// Tile sizes of the flash-style attention kernels (one invocation per query row, or per key row in the dk/dv
// pass). BR rows per workgroup: each staged key/value element is reused BR times from workgroup memory, so
// bigger is better on GPUs (64 = two NVIDIA warps or one AMD wave64); on a CPU adapter (lavapipe) a workgroup
// runs on one core in SIMD-8 steps and causal tiles leave rows idle past the diagonal, so 32 wastes less at
// short lengths. BC keys per staged tile: two BC×hd float tiles take at most half the workgroup storage (16 KiB
// of the 32 KiB WebGPU default), leaving room for a second resident workgroup on real GPUs.
// Measured on lavapipe (2 cores, [BH 4, L 512, hd 64], bench/attention.bench.ts): BR 32 and 64 run the forward
// in the same time, BR 16 takes 1.9× as long; BC 64 at hd 64 would not fit the dk/dv pass's 32 KiB.
import type { GpuContext } from '../../runtime/gpu-context.js';

/** Largest head dim the kernels support (private arrays of this size per invocation). */
export const MAX_HEAD_DIM = 128;
/** Largest key tile (the forward's private score array). */
export const MAX_BC = 64;

export interface AttentionTiles {
  /** Query (or key) rows per workgroup = invocations. */
  br: number;
  /** Rows per staged tile of the other operand. */
  bc: number;
}

/** The tiles for head dim `hd` on this adapter. */
export function attentionTiles(ctx: GpuContext, hd: number): AttentionTiles {
  const br = ctx.adapter.isFallbackAdapter ? 32 : 64;
  const budget = ctx.limits.maxComputeWorkgroupStorageSize / 2;
  const rowBytes = Math.ceil(hd / 4) * 16; // rows are zero-padded vec4s
  const bc = Math.max(1, Math.min(MAX_BC, Math.floor(budget / (2 * rowBytes))));
  return { br, bc };
}

/** Throws a RangeError naming `fn` unless bc ≤ 64 and br fits a workgroup (tiles given for experiments). */
export function checkTiles(ctx: GpuContext, fn: string, t: AttentionTiles): void {
  const maxBr = ctx.limits.maxComputeInvocationsPerWorkgroup;
  if (!(Number.isInteger(t.bc) && t.bc >= 1 && t.bc <= MAX_BC)) throw new RangeError(`${fn}: tiles.bc must be an integer in [1, ${MAX_BC}]; got ${t.bc}`);
  if (!(Number.isInteger(t.br) && t.br >= 1 && t.br <= maxBr)) throw new RangeError(`${fn}: tiles.br must be an integer in [1, ${maxBr}]; got ${t.br}`);
}

/** Throws a RangeError naming `fn` when hd exceeds what the WGSL kernels hold per invocation. */
export function checkHeadDim(fn: string, hd: number): void {
  if (hd > MAX_HEAD_DIM) throw new RangeError(`${fn}: headDim ${hd} > ${MAX_HEAD_DIM}, the largest the WebGPU kernels support (the released H3 models use 64 and 128)`);
}
