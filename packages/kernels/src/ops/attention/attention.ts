// WebGPU causal attention, forward and backward, flash-style (see attention.ref.ts and the .wgsl files): the
// L×L scores are never stored; the backward rebuilds them from the forward's log-sum-exp.
import type { GpuContext } from '../../runtime/gpu-context.js';
import { uniformStruct } from '../../runtime/uniform.js';
import { checkAttentionParams, type AttentionParams } from './attention.ref.js';
import { attentionTiles, checkHeadDim, checkTiles, type AttentionTiles } from './tiles.js';
import forwardSource from './attention-forward.wgsl';
import deltaSource from './attention-backward-delta.wgsl';
import dqSource from './attention-backward-dq.wgsl';
import dkdvSource from './attention-backward-dkdv.wgsl';
import inputs from './attention-inputs.wgsl';
import backwardInputs from './attention-backward-inputs.wgsl';
import stageKv from './stage-kv.wgsl';

const Params = uniformStruct('Params', { bh: 'u32', length: 'u32', tiles: 'u32', scale: 'f32' });
const DELTA_WG = 64;

function setup(ctx: GpuContext, fn: string, p: AttentionParams, t: AttentionTiles) {
  checkAttentionParams(fn, p);
  checkHeadDim(fn, p.headDim);
  checkTiles(ctx, fn, t);
  const tiles = Math.ceil(p.length / t.br);
  const values = { bh: p.batchHeads, length: p.length, tiles, scale: p.scale };
  const constants = { BR: t.br, BC: t.bc, HD: p.headDim };
  return { t, values, constants, grid: ctx.grid(p.batchHeads * tiles) };
}

/**
 * out [BH, L, hd] = softmax(scale·q kᵀ + causal mask) v and lse [BH, L] (f32; see causalAttentionForwardRef), for
 * q, k, v [BH, L, hd] with hd ≤ 128: one workgroup per (bh, tile of queries), online softmax over key tiles.
 * `tiles` (default attentionTiles(ctx, hd)) is for experiments; bc ≤ 64.
 * @example causalAttentionForward(ctx, out, lse, q, k, v, { batchHeads: 24, length: 1024, headDim: 64, scale: 0.125 })
 */
export function causalAttentionForward(
  ctx: GpuContext,
  out: GPUBuffer,
  lse: GPUBuffer,
  q: GPUBuffer,
  k: GPUBuffer,
  v: GPUBuffer,
  p: AttentionParams,
  tiles: AttentionTiles = attentionTiles(ctx, p.headDim),
): void {
  const { t, values, constants, grid } = setup(ctx, 'causalAttentionForward', p, tiles);
  const kernel = ctx.kernel({
    key: { op: 'attention', fn: 'forward', hd: p.headDim, br: t.br, bc: t.bc },
    source: forwardSource,
    libraries: [inputs, stageKv],
    uniform: Params,
    bindings: ['read', 'read', 'read', 'rw', 'rw'],
    constants,
  });
  kernel.dispatch([q, k, v, out, lse], values, grid);
}

/**
 * Overwrites dq, dk, dv [BH, L, hd] with the gradients of Σ dout·out (f32; see causalAttentionBackwardRef), from
 * the forward's out [BH, L, hd] and lse [BH, L]: D = rowsum(dout ⊙ out) first, then a dq pass over key tiles per
 * query tile and a dk/dv pass over query tiles per key tile, without atomics.
 * @example causalAttentionBackward(ctx, dq, dk, dv, dout, q, k, v, out, lse, p)
 */
export function causalAttentionBackward(
  ctx: GpuContext,
  dq: GPUBuffer,
  dk: GPUBuffer,
  dv: GPUBuffer,
  dout: GPUBuffer,
  q: GPUBuffer,
  k: GPUBuffer,
  v: GPUBuffer,
  out: GPUBuffer,
  lse: GPUBuffer,
  p: AttentionParams,
  tiles: AttentionTiles = attentionTiles(ctx, p.headDim),
): void {
  const { t, values, constants, grid } = setup(ctx, 'causalAttentionBackward', p, tiles);
  const rows = p.batchHeads * p.length;
  const delta = ctx.acquire(rows * 4);
  ctx
    .kernel({
      key: { op: 'attention', fn: 'delta', hd: p.headDim, wg: DELTA_WG },
      source: deltaSource,
      uniform: Params,
      bindings: ['read', 'read', 'rw'],
      constants: { WG: DELTA_WG, HD: p.headDim },
    })
    .dispatch([dout, out, delta], values, ctx.grid(Math.ceil(rows / DELTA_WG)));
  const shared = { uniform: Params, constants };
  const reads = ['read', 'read', 'read', 'read', 'read', 'read'] as const; // q, k, v, dout, lse, delta
  ctx
    .kernel({
      key: { op: 'attention', fn: 'dq', hd: p.headDim, br: t.br, bc: t.bc },
      source: dqSource,
      libraries: [inputs, backwardInputs, stageKv],
      bindings: [...reads, 'rw'],
      ...shared,
    })
    .dispatch([q, k, v, dout, lse, delta, dq], values, grid);
  ctx
    .kernel({
      key: { op: 'attention', fn: 'dkdv', hd: p.headDim, br: t.br, bc: t.bc },
      source: dkdvSource,
      libraries: [inputs, backwardInputs],
      bindings: [...reads, 'rw', 'rw'],
      ...shared,
    })
    .dispatch([q, k, v, dout, lse, delta, dk, dv], values, grid);
  ctx.release(delta); // later users of the pooled buffer are ordered after these dispatches
}
