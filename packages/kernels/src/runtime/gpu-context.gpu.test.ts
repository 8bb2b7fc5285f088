// The runtime under stress: dawn.node frees its native instance if the object returned by create() is
// collected (../shared/notes/webgpu-cpu.md); these tests force GC between many dispatches and readbacks.
import { describe, expect, it } from 'vitest';
import { binary } from '../ops/binary/binary.js';
import { planBroadcast } from '../ops/binary/broadcast.js';
import { gpuForTests, readF32, upload } from '../testing/index.js';
import { KernelCompileError } from '../errors.js';
import { GpuContext } from './gpu-context.js';
import { uniformStruct } from './uniform.js';

const ctx = await gpuForTests();
const gc = (globalThis as { gc?: () => void }).gc;

describe.skipIf(!ctx)('GpuContext', () => {
  it('survives thousands of dispatches with forced garbage collection', async () => {
    expect(gc, 'run with node --expose-gc (the vitest preset passes it)').toBeTypeOf('function');
    // a fresh context whose only strong reference is this local: the runtime must pin Dawn's instance itself
    let fresh: GpuContext | null = await GpuContext.create();
    const n = 4096;
    const plan = planBroadcast('add', [n], [n]);
    const ones = new Float32Array(n).fill(1);
    let acc = upload(fresh, new Float32Array(n));
    const one = upload(fresh, ones);
    for (let round = 0; round < 20; round++) {
      for (let i = 0; i < 100; i++) {
        const next = fresh.acquire(n * 4);
        binary(fresh, 'add', next, acc, one, plan);
        fresh.release(acc);
        acc = next;
      }
      gc!();
      await fresh.sync();
      gc!();
    }
    const got = await readF32(fresh, acc, n);
    expect(got.every((v) => v === 2000)).toBe(true);
    expect(fresh.dispatchCount).toBe(2000);
    fresh.destroy();
    fresh = null;
    gc!();
    // the shared context still works after another one was destroyed and collected
    const a = upload(ctx!, [1, 2, 3]);
    const out = ctx!.acquire(12);
    binary(ctx!, 'mul', out, a, a, planBroadcast('mul', [3], [3]));
    expect([...(await readF32(ctx!, out, 3))]).toEqual([1, 4, 9]);
  });

  it('names the kernel and the failing step when WGSL does not compile', async () => {
    const P = uniformStruct('Params', { n: 'u32' });
    ctx!.kernel({
      key: { op: 'broken', variant: 'test' },
      source: '@compute @workgroup_size(1) fn main() { let x: u32 = p.nope; }',
      uniform: P,
      bindings: [],
    });
    const err = await ctx!.checkErrors().then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(KernelCompileError);
    expect((err as KernelCompileError).key).toBe('broken_varianttest');
    expect((err as KernelCompileError).message).toMatch(/broken_varianttest/);
  });

  it('reuses pooled buffers by size class', () => {
    const before = ctx!.memory().held;
    const a = ctx!.acquire(1000);
    ctx!.release(a);
    const b = ctx!.acquire(900);
    expect(b).toBe(a);
    ctx!.release(b);
    expect(ctx!.memory().held - before).toBeLessThanOrEqual(1024);
  });
});
