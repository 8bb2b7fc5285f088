// FlashConv's FFT convolution on the WebAssembly CPU runtime (src/wasm/assembly/fftconv.ts): the kernel
// spectrum once per call (one item per group of 4 channels), then the rows of u in groups of 4 channels per
// SIMD register, spread over the runtime's threads. Twiddles and bit-reversal offsets are built once per FFT
// length in float64 and kept in the runtime's memory.
import { ShapeError } from '../../errors.js';
import { PARALLEL_MIN_WORK, type WasmRuntime } from '../../wasm/runtime.js';
import { checkFftConvParams, fftLength, log2Exact, twiddleTable, type FftConvParams } from './plan.js';
import { reverseBits } from './real-fft.js';

/** Bytes per complex vector of 4 lanes (re f32x4, im f32x4). */
const CV = 32;
/** i32 words before the plan's tables (16 bytes: the tables stay 16-byte aligned). */
const HEADER = 4;
/** Longest FFT: the kernels' byte offsets within a slot (3·M complex vectors in the backward) stay below 2^31. */
const MAX_N = 2 ** 24;
/** FFT lengths whose tables a runtime keeps (a model uses one or two; the oldest is freed beyond this). */
const MAX_PLANS = 8;

/** The tables of one FFT length N = 2M in a runtime's memory (layout: header of assembly/fftconv.ts). */
interface WasmFftPlan {
  m: number;
  /** Byte address of the plan: i32 [M, tw, pw, rv] (addresses of the tables that follow), then the tables. */
  addr: number;
  block: Float32Array;
}

const plans = new WeakMap<WasmRuntime, Map<number, WasmFftPlan>>();

/** W_N^t = exp(−2πi·t/N) for 0 ≤ t < N from the float64 half table (t < M), as [re, im]. */
function twiddle(tw64: Float64Array, m: number, t: number): [number, number] {
  return t < m ? [tw64[2 * t], tw64[2 * t + 1]] : [-tw64[2 * (t - m)], -tw64[2 * (t - m) + 1]];
}

/** The cached tables of the FFT length for p in rt, built on first use; throws (naming fn) past MAX_N. */
function fftPlan(rt: WasmRuntime, p: FftConvParams, fn: string): WasmFftPlan {
  const n = fftLength(p.length, p.kernelLength);
  if (n > MAX_N) throw new ShapeError(fn, 'length', `L + Lk − 1 ≤ ${MAX_N}`, `${p.length} + ${p.kernelLength} − 1`);
  let byN = plans.get(rt);
  if (!byN) plans.set(rt, (byN = new Map()));
  const hit = byN.get(n);
  if (hit) return hit;
  const m = n / 2; // ≥ 2: fftLength is at least 4
  const logM = log2Exact(m);
  const sMin = logM % 2 === 0 ? 1 : 2;
  const stageFloats = m >= 4 ? 2 * (m - sMin) : 0;
  const pairs = m / 2 + 1;
  const block = rt.allocF32(HEADER + stageFloats + 4 * pairs);
  const stage = block.subarray(HEADER, HEADER + stageFloats);
  const tw64 = twiddleTable(n);
  // per quarter-span s at float 2·(s − sMin): for j < s, (w, w², w³) with w = W_{4s}^j = W_N^{j·N/(4s)}
  for (let s = sMin; 4 * s <= m; s *= 4) {
    const base = 2 * (s - sMin);
    for (let j = 0; j < s; j++)
      for (let e = 1; e <= 3; e++) {
        const [re, im] = twiddle(tw64, m, (e * j * n) / (4 * s));
        stage[base + 6 * j + 2 * (e - 1)] = re;
        stage[base + 6 * j + 2 * e - 1] = im;
      }
  }
  const pw = block.subarray(HEADER + stageFloats, HEADER + stageFloats + 2 * pairs);
  const rv = new Int32Array(block.buffer, pw.byteOffset + 8 * pairs, 2 * pairs);
  for (let f = 0; f < pairs; f++) {
    pw[2 * f] = tw64[2 * f];
    pw[2 * f + 1] = tw64[2 * f + 1];
    rv[2 * f] = CV * reverseBits(f, logM);
    rv[2 * f + 1] = CV * reverseBits((m - f) & (m - 1), logM);
  }
  new Int32Array(block.buffer, block.byteOffset, HEADER).set([m, stage.byteOffset, pw.byteOffset, rv.byteOffset]);
  const plan = { m, addr: block.byteOffset, block };
  if (byN.size >= MAX_PLANS) {
    const [oldest, old] = byN.entries().next().value as [number, WasmFftPlan];
    rt.free(old.block);
    byN.delete(oldest);
  }
  byN.set(n, plan);
  return plan;
}

/**
 * Runs kernel(...args, work, workBytes, slots, chunk, scratch) over `items` items with `slots` chunks (chunk c
 * takes items c, c + slots, …), each with its own workBytes of the temporary `work`; serial when small.
 */
function runSlots(rt: WasmRuntime, kernel: 'fftConvSpectrumF32' | 'fftConvForwardF32' | 'fftConvBackwardF32', args: number[], items: number, workBytes: number, cost: number): void {
  const serial = items * cost < PARALLEL_MIN_WORK;
  const slots = serial || rt.threads === 1 ? 1 : Math.min(items, 4 * rt.threads);
  rt.withTemp(slots * workBytes, (work) => rt.run(kernel, [...args, work, workBytes, slots], slots, serial));
}

/** ≈ ns for one real FFT of one 4-channel group (measured ~0.8·M·log2 M ns at M = 1024 on one core). */
const fftCost = (m: number) => m * Math.log2(m);

/** Computes the kernel spectrum KS [G, M+1] of k, D into a temporary block and calls fn with its address. */
function withSpectrum(rt: WasmRuntime, plan: WasmFftPlan, k: number, D: number, p: FftConvParams, fn: (ks: number) => void): void {
  const { m } = plan;
  const groups = Math.ceil(p.channels / 4);
  rt.withTemp(groups * (m + 1) * CV, (ks) => {
    const args = [ks, k, D, p.channels, p.kernelLength, plan.addr];
    runSlots(rt, 'fftConvSpectrumF32', args, groups, m * CV, fftCost(m));
    fn(ks);
  });
}

/** Element counts of a call's arrays: rows [B,H,L], kernels [H,Lk], per channel [H]. */
const SIZES = {
  rows: (p: FftConvParams) => p.batch * p.channels * p.length,
  kernels: (p: FftConvParams) => p.channels * p.kernelLength,
  channels: (p: FftConvParams) => p.channels,
};

/** Checks p and every array (named, with its kind of size), finds the plan, and returns the arrays' addresses. */
function prepare(rt: WasmRuntime, fn: string, p: FftConvParams, arrays: [string, Float32Array, keyof typeof SIZES][]) {
  checkFftConvParams(fn, p);
  const plan = fftPlan(rt, p, fn);
  return { plan, ptrs: arrays.map(([name, view, size]) => rt.arg(view, SIZES[size](p), fn, name)) };
}

/**
 * y [B,H,L] = causal_conv(u [B,H,L], k [H,Lk]) + D [H]·u in float32 by real FFTs of length N = fftLength(L, Lk)
 * on rt's threads, as fftConvForwardRef (relative error ~ε_f32·log2 N; bit-identical for any thread count).
 * @example fftConvForwardWasm(rt, y, u, k, D, { batch: 2, channels: 64, length: 1024, kernelLength: 1024 });
 */
export function fftConvForwardWasm(rt: WasmRuntime, y: Float32Array, u: Float32Array, k: Float32Array, D: Float32Array, p: FftConvParams): void {
  const { plan, ptrs } = prepare(rt, 'fftConvForwardWasm', p, [
    ['y', y, 'rows'],
    ['u', u, 'rows'],
    ['k', k, 'kernels'],
    ['D', D, 'channels'],
  ]);
  const { batch: B, channels: H, length: L } = p;
  withSpectrum(rt, plan, ptrs[2], ptrs[3], p, (ks) => {
    const args = [ptrs[0], ptrs[1], ks, B, H, L, plan.addr];
    runSlots(rt, 'fftConvForwardF32', args, B * Math.ceil(H / 4), plan.m * CV, 2 * fftCost(plan.m));
  });
}

/**
 * Gradients of Σ dy·y for fftConvForwardWasm, overwriting du [B,H,L], dk [H,Lk] and dD [H] (as
 * fftConvBackwardRef: du = k ⋆ dy + D·dy, dk = Σ_b dy_b ⋆ u_b, dD = dk[:, 0]). dk and dD add the batch in
 * order inside one thread per group of 4 channels, so they too are bit-identical for any thread count.
 * @example fftConvBackwardWasm(rt, du, dk, dD, dy, u, k, D, { batch: 2, channels: 64, length: 1024, kernelLength: 64 });
 */
export function fftConvBackwardWasm(
  rt: WasmRuntime,
  du: Float32Array,
  dk: Float32Array,
  dD: Float32Array,
  dy: Float32Array,
  u: Float32Array,
  k: Float32Array,
  D: Float32Array,
  p: FftConvParams,
): void {
  const { plan, ptrs } = prepare(rt, 'fftConvBackwardWasm', p, [
    ['du', du, 'rows'],
    ['dk', dk, 'kernels'],
    ['dD', dD, 'channels'],
    ['dy', dy, 'rows'],
    ['u', u, 'rows'],
    ['k', k, 'kernels'],
    ['D', D, 'channels'],
  ]);
  const { batch: B, channels: H, length: L, kernelLength: Lk } = p;
  withSpectrum(rt, plan, ptrs[5], ptrs[6], p, (ks) => {
    const args = [...ptrs.slice(0, 5), ks, B, H, L, Lk, plan.addr];
    // a slot: zu, zd [M] and the batch sum [M+1]
    runSlots(rt, 'fftConvBackwardF32', args, Math.ceil(H / 4), (3 * plan.m + 1) * CV, 3 * B * fftCost(plan.m));
  });
}
