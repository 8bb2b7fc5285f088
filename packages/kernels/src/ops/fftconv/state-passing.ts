// State passing on WebGPU (see state-passing.ref.ts for the maths): sequences far past the fused limit are
// convolved chunk by chunk with the fused kernel, and the diagonal SSM's state carries everything before a
// chunk into it. Five dispatches for any length: the chunk kernel's spectrum, each chunk's own state
// contribution, a scan over the chunks, the fused convolution of every chunk, and the state's output.
import { ShapeError } from '../../errors.js';
import type { GpuContext } from '../../runtime/gpu-context.js';
import fftRows from './fft-rows.wgsl';
import { fusedConv, fusedSpectrum, plainRows } from './fused.js';
import { FftParams, fftParams, fftTuning, workgroupPoints } from './gpu-common.js';
import { checkDiagSsm, ssmKernelRef, ssmPowers, type DiagSsm } from './state-passing.ref.js';
import chunkStateSource from './ssm-chunk-state.wgsl';
import scanSource from './ssm-state-scan.wgsl';
import outputSource from './ssm-state-output.wgsl';

/** An SSM's GPU tables for one chunk length (prepareStatePassing); reusable across calls, release() frees them. */
export interface StatePassingTables {
  ssm: DiagSsm;
  /** T: the chunk length, a power of two ≥ 64 whose transform fits the fused kernel. */
  chunk: number;
  /** k[h, 0:T] (f32) and D [H]. */
  kernel: GPUBuffer;
  D: GPUBuffer;
  /** Ā^r [H, 64, m] and [H, m, 64], Ā^(64q) [H, m, T/64 + 1], Ā^T [H, m], W [H, m] (complex f32). */
  fineRn: GPUBuffer;
  fineNr: GPUBuffer;
  coarse: GPUBuffer;
  powT: GPUBuffer;
  w: GPUBuffer;
  release(): void;
}

/** The longest chunk this device's fused kernel takes, capped so the per-chunk tables fit workgroup memory. */
export function defaultChunk(ctx: GpuContext, modes: number): number {
  let t = workgroupPoints(ctx); // N = 2T, M = T complex points
  while (t > 64 && modes * (t / 64 + 1) * 8 > ctx.limits.maxComputeWorkgroupStorageSize) t /= 2;
  return t;
}

function uploadF32(ctx: GpuContext, data: Float64Array | number[]): GPUBuffer {
  const f = Float32Array.from(data);
  const buf = ctx.acquire(Math.max(16, f.byteLength));
  ctx.upload(buf, f);
  return buf;
}

/**
 * Computes (in float64) and uploads what state passing needs for this SSM and chunk length: the first T
 * kernel taps and the powers of Ā.
 */
export function prepareStatePassing(ctx: GpuContext, ssm: DiagSsm, chunk = defaultChunk(ctx, ssm.modes)): StatePassingTables {
  checkDiagSsm('prepareStatePassing', ssm);
  const { channels: H, modes: m } = ssm;
  if (!(chunk >= 64 && 2 ** Math.round(Math.log2(chunk)) === chunk && chunk <= workgroupPoints(ctx)))
    throw new ShapeError('prepareStatePassing', 'chunk', `a power of two in [64, ${workgroupPoints(ctx)}]`, String(chunk));
  if (m * (chunk / 64 + 1) * 8 > ctx.limits.maxComputeWorkgroupStorageSize)
    throw new ShapeError('prepareStatePassing', 'ssm.modes', `≤ ${Math.floor(ctx.limits.maxComputeWorkgroupStorageSize / 8 / (chunk / 64 + 1))} for chunk ${chunk}`, String(m));
  const fine = ssmPowers(ssm, 64); // [H, m, 64, 2]
  const fineRn = new Float64Array(fine.length);
  for (let h = 0; h < H; h++)
    for (let n = 0; n < m; n++)
      for (let e = 0; e < 64; e++) {
        fineRn[2 * ((h * 64 + e) * m + n)] = fine[2 * ((h * m + n) * 64 + e)];
        fineRn[2 * ((h * 64 + e) * m + n) + 1] = fine[2 * ((h * m + n) * 64 + e) + 1];
      }
  const powT = ssmPowers(ssm, 2, chunk).filter((_, i) => i % 4 >= 2); // Ā^T of each (h, n)
  const bufs = {
    kernel: uploadF32(ctx, ssmKernelRef(ssm, chunk)),
    D: uploadF32(ctx, ssm.D),
    fineRn: uploadF32(ctx, fineRn),
    fineNr: uploadF32(ctx, fine),
    coarse: uploadF32(ctx, ssmPowers(ssm, chunk / 64 + 1, 64)),
    powT: uploadF32(ctx, powT),
    w: uploadF32(ctx, ssm.W),
  };
  return { ssm, chunk, ...bufs, release: () => Object.values(bufs).forEach((b) => ctx.release(b)) };
}

/**
 * y [B,H,L] = causal_conv(u [B,H,L], k) + D·u for the diagonal SSM's kernel k[h,s] = 2·Re Σ_n W·Ā^s over the
 * whole length L, by state passing over chunks of T (see ssmConvStatePassingRef); L is unbounded (u and y
 * must fit one storage binding).
 * @example
 * const tables = prepareStatePassing(ctx, ssm);             // once per SSM parameters
 * ssmConvStatePassing(ctx, y, u, tables, { batch: 1, length: 262144 });
 */
export function ssmConvStatePassing(ctx: GpuContext, y: GPUBuffer, u: GPUBuffer, t: StatePassingTables, p: { batch: number; length: number }): void {
  const { channels: H, modes: m } = t.ssm;
  const { batch: B, length: L } = p;
  const T = t.chunk;
  const chunks = Math.ceil(L / T);
  const rows = B * H * chunks;
  for (const [name, buf] of [['u', u], ['y', y]] as const)
    if (buf.size < B * H * L * 4) throw new ShapeError('ssmConvStatePassing', name, `[${B}, ${H}, ${L}] f32 (${B * H * L * 4} bytes)`, `a buffer of ${buf.size} bytes`);
  const plan = { n: 2 * T, ...fftTuning(ctx) };
  const layout = { rows, channels: H, length: L, chunks, chunkLen: T };
  const blocks = T / 64;
  const z = ctx.acquire(rows * m * 8);
  const g = ctx.acquire(rows * m * 8);
  const spec = ctx.acquire(H * (T + 1) * 8);
  const params = { ...fftParams(rows, H, L), chunks, chunk_len: T };
  fusedSpectrum(ctx, spec, t.kernel, t.D, plainRows(1, H, T), plan, 1 / T);
  ctx
    .kernel({
      key: { op: 'fftconv', fn: 'ssmChunkState', modes: m, blocks },
      source: chunkStateSource,
      libraries: [fftRows],
      uniform: FftParams,
      bindings: ['read', 'read', 'read', 'rw'],
      constants: { MODES: m, BLOCKS: blocks, QTILES: Math.ceil(blocks / 4) },
    })
    .dispatch([u, t.fineRn, t.coarse, z], params, ctx.grid(rows));
  ctx
    .kernel({
      key: { op: 'fftconv', fn: 'ssmStateScan', modes: m },
      source: scanSource,
      uniform: FftParams,
      bindings: ['read', 'read', 'read', 'rw'],
      constants: { MODES: m },
    })
    .dispatch([z, t.w, t.powT, g], { ...params, rows: B * H }, ctx.grid(Math.ceil((B * H * m) / 64)));
  fusedConv(ctx, y, u, spec, layout, plan);
  ctx
    .kernel({
      key: { op: 'fftconv', fn: 'ssmStateOutput', modes: m, blocks },
      source: outputSource,
      libraries: [fftRows],
      uniform: FftParams,
      bindings: ['read', 'read', 'read', 'rw'],
      constants: { MODES: m, BLOCKS: blocks },
    })
    .dispatch([g, t.fineNr, t.coarse, y], params, ctx.grid(rows));
  for (const b of [z, g, spec]) ctx.release(b);
}
