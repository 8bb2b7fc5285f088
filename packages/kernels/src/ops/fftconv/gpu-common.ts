// What every FFT-convolution kernel shares on the GPU: the uniform struct and its flags, the twiddle tables
// (uploaded once per context and FFT length), and the kernel shape per device.
import type { GpuContext } from '../../runtime/gpu-context.js';
import { uniformStruct } from '../../runtime/uniform.js';
import { twiddleTable } from './plan.js';

/**
 * One uniform for all FFT-convolution kernels. Rows are `chunk_len`-long pieces of a [rows/chunks, length]
 * array (fft-rows.wgsl); `batch` and `out_len` serve the kernel gradient; `scale` multiplies spectra; `flags`
 * are FFT_FLAGS bits (uniform switches rather than pipeline constants: fewer pipelines to compile).
 */
export const FftParams = uniformStruct('Params', {
  rows: 'u32',
  channels: 'u32',
  length: 'u32',
  chunks: 'u32',
  chunk_len: 'u32',
  batch: 'u32',
  out_len: 'u32',
  scale: 'f32',
  flags: 'u32',
});

/** The flag bits of FftParams.flags (fft-rows.wgsl declares the same constants). */
export const FFT_FLAGS = { conj: 1, addD: 2, emit: 4, first: 8, hasK: 16 } as const;

/** The bitmask of the named flags. */
export function fftFlags(on: Partial<Record<keyof typeof FFT_FLAGS, boolean>>): number {
  let bits = 0;
  for (const [name, bit] of Object.entries(FFT_FLAGS)) if (on[name as keyof typeof FFT_FLAGS]) bits |= bit;
  return bits;
}

/** FftParams values for rows of `length` elements (one chunk each); the rest default to neutral values. */
export function fftParams(rows: number, channels: number, length: number, extra: { batch?: number; outLen?: number; scale?: number; flags?: number } = {}) {
  return { rows, channels, length, chunks: 1, chunk_len: length, batch: extra.batch ?? 1, out_len: extra.outLen ?? length, scale: extra.scale ?? 1, flags: extra.flags ?? 0 };
}

const tables = new WeakMap<GpuContext, Map<number, GPUBuffer>>();

/** The f32 twiddle table W_N^t, t < N/2, of an FFT length N on this context (uploaded on first use, then kept). */
export function twiddleBuffer(ctx: GpuContext, n: number): GPUBuffer {
  let perCtx = tables.get(ctx);
  if (!perCtx) tables.set(ctx, (perCtx = new Map()));
  let buf = perCtx.get(n);
  if (!buf) {
    buf = ctx.acquire(n * 4);
    ctx.upload(buf, Float32Array.from(twiddleTable(n)));
    perCtx.set(n, buf);
  }
  return buf;
}

/** How the FFT kernels are shaped on one device. */
export interface FftTuning {
  /** log2 of the register-pass radix: points per group held in registers. */
  radixLog: number;
  /** The most invocations per workgroup. */
  maxWorkgroup: number;
}

/**
 * The FFT kernel shape for this device. GPUs: 16-point register groups (fewest barriers and workgroup-memory
 * round trips) and up to 256 invocations, one group each. CPU adapters (lavapipe, SwiftShader) run a
 * workgroup's invocations as 8-wide coroutines switched at every barrier, so 32 invocations looping over the
 * groups ran 2-3× faster than 256 (measured on lavapipe, L = 1024…4096), and 8-point groups: LLVM compiles a
 * 16-point pass in seconds, an 8-point one in about half a second, and runs them within 25% of each other.
 */
export function fftTuning(ctx: GpuContext): FftTuning {
  const a = ctx.adapter;
  const cpu = a.isFallbackAdapter || /llvmpipe|lavapipe|swiftshader|software/i.test(`${a.architecture} ${a.device} ${a.description}`);
  return cpu ? { radixLog: 3, maxWorkgroup: 32 } : { radixLog: 4, maxWorkgroup: 256 };
}

/** Invocations for transforms over `points` complex values: one register group each, 8 (a CPU vector) to the maximum. */
export function fftWorkgroup(points: number, t: FftTuning): number {
  return Math.min(t.maxWorkgroup, Math.max(8, points >> t.radixLog));
}

/** Complex points that fit in the device's workgroup storage (8 bytes each), a power of two. */
export function workgroupPoints(ctx: GpuContext): number {
  return 2 ** Math.floor(Math.log2(ctx.limits.maxComputeWorkgroupStorageSize / 8));
}
