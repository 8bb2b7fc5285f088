import { afterAll, describe, expect, it } from 'vitest';
import { runUntilWorkerHelps, testSeed } from '../testing/index.js';
import { matmulRef } from '../ops/matmul/matmul.ref.js';
import { matmulWasm } from '../ops/matmul/matmul.wasm.js';
import { Rng } from '../util/rng.js';
import { blockSize } from './allocator.js';
import { WasmOutOfMemoryError } from './errors.js';
import { WasmRuntime, defaultThreads } from './runtime.js';
import { expectSameBits, inWasm, normal } from './test-helpers.js';

const seed = testSeed();
const made: WasmRuntime[] = [];
const runtime = (threads: number, maxBytes?: number) => {
  const rt = WasmRuntime.create({ threads, maxBytes });
  made.push(rt);
  return rt;
};
afterAll(() => Promise.all(made.map((rt) => rt.dispose())));

describe('WasmRuntime', () => {
  it('worker threads take part in large kernels and give the single-thread bits', () => {
    const rng = new Rng(seed);
    const [rt1, rt2] = [runtime(1), runtime(2)];
    const p = { batch: 1, M: 300, N: 520, K: 200, transA: false, transB: true };
    const a = normal(rng, p.M * p.K);
    const b = normal(rng, p.N * p.K);
    const ref = new Float32Array(p.M * p.N);
    matmulRef(ref, a, b, null, p);
    const out1 = rt1.allocF32(p.M * p.N);
    matmulWasm(rt1, out1, inWasm(rt1, a), inWasm(rt1, b), null, p);
    const [a2, b2, out2] = [inWasm(rt2, a), inWasm(rt2, b), rt2.allocF32(p.M * p.N)];
    expect(runUntilWorkerHelps(rt2, () => matmulWasm(rt2, out2, a2, b2, null, p)), 'chunks run by the worker thread').toBeGreaterThan(0);
    expectSameBits(out2, out1, 'matmul 2 threads vs 1', seed);
  });

  it('reuses freed blocks of the same size class and keeps views valid across memory growth', () => {
    const rt = runtime(1);
    const x = rt.allocF32(1000).fill(7);
    const before = rt.stats().memoryBytes;
    const big = rt.allocF32(4 << 20); // 16 MiB: grows the memory
    expect(rt.stats().memoryBytes).toBeGreaterThan(before);
    expect(x[999], 'a view made before growth still reads its data').toBe(7);
    big[big.length - 1] = 3;
    rt.free(big);
    const again = rt.allocF32((4 << 20) - 5); // same size class
    expect(again.byteOffset).toBe(big.byteOffset);
    expect(rt.stats().cached).toBe(0);
    expect(blockSize(100)).toBe(128);
    expect(blockSize(5000)).toBe(5120); // 4096·1.25
  });

  it('refuses a double free', () => {
    const rt = runtime(1);
    const x = rt.allocF32(10);
    rt.free(x);
    expect(() => rt.free(x)).toThrow(/not a live block/);
  });

  it('names the size it cannot allocate under the limit', () => {
    const rt = runtime(1, 64 << 20);
    rt.allocF32(8 << 20); // 32 MiB of 64
    let err: unknown = null;
    try {
      rt.allocF32(10 << 20); // 40 MiB more
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(WasmOutOfMemoryError);
    expect((err as WasmOutOfMemoryError).requestedBytes).toBe(40 << 20);
    expect((err as Error).message).toMatch(/cannot allocate 40.0 MiB \(41943040 bytes\).*limit 64.0 MiB/);
  });

  it('refuses arrays that are not in its memory, and too short arrays', () => {
    const rt = runtime(1);
    const p = { batch: 1, M: 2, N: 2, K: 2, transA: false, transB: false };
    expect(() => matmulWasm(rt, new Float32Array(4), rt.allocF32(4), rt.allocF32(4), null, p)).toThrow(/matmul: out is not in this WasmRuntime's memory/);
    expect(() => matmulWasm(rt, rt.allocF32(3), rt.allocF32(4), rt.allocF32(4), null, p)).toThrow(/out must have shape at least 4 elements; got 3/);
  });

  it('reports a kernel that traps, in any thread, with its name and chunk', () => {
    const rt = runtime(2);
    const out = rt.allocF32(1 << 16);
    // x points past the end of the memory: every chunk traps, in whichever thread takes it
    const beyond = rt.stats().memoryBytes;
    expect(() => rt.run('unaryF32', [0, out.byteOffset, beyond, 1 << 16, 0, 0, 1 << 12], 16)).toThrow(
      /WebAssembly kernel unaryF32 failed on chunk \d+: memory access out of bounds/,
    );
  });

  it('reads HIPPO_THREADS', () => {
    const saved = process.env.HIPPO_THREADS;
    try {
      process.env.HIPPO_THREADS = '3';
      expect(defaultThreads()).toBe(3);
      process.env.HIPPO_THREADS = 'two';
      expect(() => defaultThreads()).toThrow(/HIPPO_THREADS must be a positive integer; got 'two'/);
    } finally {
      if (saved === undefined) delete process.env.HIPPO_THREADS;
      else process.env.HIPPO_THREADS = saved;
    }
  });
});
