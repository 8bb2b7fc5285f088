// Test helpers shared by every package's tests ("@hippo/kernels/testing"): replayable seeds, random inputs,
// relative-L2 comparison with diagnostics, and the GPU context that fails (not skips) when a GPU is required.
import { GpuUnavailableError } from '../errors.js';
import { GpuContext } from '../runtime/gpu-context.js';
import { Rng } from '../util/rng.js';
import type { FloatArray } from '../util/types.js';
import type { WasmRuntime } from '../wasm/runtime.js';
import { reportMargin } from './margin-report.js';

export { reportMargin } from './margin-report.js';

/** Sizes that catch indexing bugs: 1, odd, prime, power of two, not a multiple of a 64/256 workgroup. */
export const AWKWARD_SIZES = [1, 3, 7, 13, 31, 64, 97, 257] as const;

/**
 * A fresh seed per run, or HIPPO_SEED to replay one. Tests put it in their failure messages.
 * @example const seed = testSeed(); const rng = new Rng(seed);
 */
export function testSeed(): number {
  const env = process.env.HIPPO_SEED;
  if (env !== undefined && env !== '') return Number(env) >>> 0;
  return (Math.random() * 2 ** 32) >>> 0;
}

/** `n` standard-normal float32 values (or float64 with `f64`). */
export function randn(rng: Rng, n: number, f64 = false): FloatArray {
  return rng.fillNormal(f64 ? new Float64Array(n) : new Float32Array(n));
}

/** `n` integers in [0, hi). */
export function randint(rng: Rng, n: number, hi: number): Int32Array {
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = rng.int(hi);
  return out;
}

/**
 * Central finite differences (f(v+h) − f(v−h)) / 2h of a scalar f with respect to every entry of v (float64),
 * for gradient checks of reference backward passes. v is restored after each entry.
 * @example const num = numericGrad(() => loss(), x, 1e-6); // compare with the analytic gradient by relL2
 */
export function numericGrad(f: () => number, v: Float64Array, h = 1e-6): Float64Array {
  const grad = new Float64Array(v.length);
  for (let i = 0; i < v.length; i++) {
    const v0 = v[i];
    v[i] = v0 + h;
    const up = f();
    v[i] = v0 - h;
    const down = f();
    v[i] = v0;
    grad[i] = (up - down) / (2 * h);
  }
  return grad;
}

/** ‖got − ref‖₂ / ‖ref‖₂ (absolute error when ref is all zeros). */
export function relL2(got: ArrayLike<number>, ref: ArrayLike<number>): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < ref.length; i++) {
    const d = got[i] - ref[i];
    num += d * d;
    den += ref[i] * ref[i];
  }
  return den === 0 ? Math.sqrt(num) : Math.sqrt(num / den);
}

/**
 * Throws unless ‖got − ref‖ ≤ tol·‖ref‖ + atol·√n (so relL2 ≤ tol when atol = 0), lengths match and got has no
 * NaN. `atol` covers outputs that cancel to near zero (a sum of values of both signs), whose relative error says
 * nothing. The message names the case, the error, the largest absolute difference and where it is, the first
 * pairs, and how to replay the seed. Returns relL2.
 */
export function expectClose(
  got: ArrayLike<number>,
  ref: ArrayLike<number>,
  tol: number,
  label: string,
  seed?: number,
  atol = 0,
): number {
  if (got.length !== ref.length) throw new Error(`${label}: length ${got.length} != reference length ${ref.length}`);
  const err = relL2(got, ref);
  let worst = 0;
  let at = 0;
  let nan = false;
  for (let i = 0; i < ref.length; i++) {
    if (Number.isNaN(got[i])) nan = true;
    const d = Math.abs(got[i] - ref[i]);
    if (d > worst) {
      worst = d;
      at = i;
    }
  }
  let refNorm = 0;
  let diffNorm = 0;
  for (let i = 0; i < ref.length; i++) {
    refNorm += ref[i] * ref[i];
    diffNorm += (got[i] - ref[i]) ** 2;
  }
  const bound = tol * Math.sqrt(refNorm) + atol * Math.sqrt(ref.length);
  reportMargin(label, Math.sqrt(diffNorm), bound);
  const ok = Math.sqrt(diffNorm) <= bound;
  if (!ok || nan) {
    const pairs = Array.from({ length: Math.min(4, ref.length) }, (_, i) => `(${got[i]}, ${ref[i]})`).join(' ');
    const replay = seed === undefined ? '' : ` — replay with HIPPO_SEED=${seed}`;
    throw new Error(
      `${label}: relative L2 error ${err.toExponential(3)} > ${tol.toExponential(1)}${atol ? ` (+ atol ${atol})` : ''}${nan ? ' (NaN in result)' : ''}; ` +
        `max |diff| ${worst.toExponential(3)} at ${at} (got ${got[at]}, ref ${ref[at]}); first pairs ${pairs}${replay}`,
    );
  }
  return err;
}

/**
 * Calls `call` until rt's worker thread has run a chunk of it, for up to `ms`, and returns the chunks it ran: the
 * worker wakes within ~0.1 ms, but on a busy machine the calling thread may finish a whole call first.
 * @example expect(runUntilWorkerHelps(rt2, () => matmulWasm(rt2, out, a, b, null, p))).toBeGreaterThan(0);
 */
export function runUntilWorkerHelps(rt: WasmRuntime, call: () => void, ms = 5000): number {
  const before = rt.workerChunks()[0];
  const t0 = performance.now();
  do call();
  while (rt.workerChunks()[0] === before && performance.now() - t0 < ms);
  return rt.workerChunks()[0] - before;
}

let shared: Promise<GpuContext | null> | null = null;

/**
 * The GPU context for a test file, created once. Without an adapter: throws GpuUnavailableError when
 * HIPPO_REQUIRE_GPU=1 (CI), else returns null and says once why the GPU tests will be skipped.
 * Prints the adapter it uses, so logs name it.
 */
export function gpuForTests(): Promise<GpuContext | null> {
  shared ??= acquireTestGpu(() => GpuContext.create(), process.env.HIPPO_REQUIRE_GPU === '1');
  return shared;
}

/** gpuForTests' policy, with the context factory injectable (tested with one that finds no adapter). */
export async function acquireTestGpu(create: () => Promise<GpuContext>, requireGpu: boolean): Promise<GpuContext | null> {
  try {
    const ctx = await create();
    console.log(`[hippo] WebGPU adapter: ${ctx.describe()}`);
    return ctx;
  } catch (e) {
    if (requireGpu) throw e;
    const why = e instanceof GpuUnavailableError ? e.reason : String(e);
    console.warn(`[hippo] skipping WebGPU tests: no adapter (${why}); set HIPPO_REQUIRE_GPU=1 to make this an error`);
    return null;
  }
}

/** Reads `n` float32 values back from a GPU buffer. */
export async function readF32(ctx: GpuContext, buf: GPUBuffer, n: number): Promise<Float32Array> {
  return new Float32Array(await ctx.read(buf, n * 4));
}

/** Uploads values (as float32, or int32 for Int32Array) into a fresh pooled GPU buffer. */
export function upload(ctx: GpuContext, data: ArrayLike<number> | Int32Array): GPUBuffer {
  const arr = data instanceof Int32Array || data instanceof Float32Array ? data : Float32Array.from(data);
  const buf = ctx.acquire(Math.max(4, arr.byteLength));
  ctx.upload(buf, arr);
  return buf;
}

export { Rng };
