// Shared by the WebAssembly kernel tests: one runtime per thread count, arrays copied into its memory, and
// the bit-for-bit comparison that proves results do not depend on the thread count.
import { afterAll, expect } from 'vitest';
import { Rng } from '../util/rng.js';
import { WasmRuntime } from './runtime.js';

/** Runtimes with 1 and 2 threads, disposed after the file's tests. */
export function testRuntimes(): { rt1: WasmRuntime; rt2: WasmRuntime } {
  const rt1 = WasmRuntime.create({ threads: 1 });
  const rt2 = WasmRuntime.create({ threads: 2 });
  afterAll(async () => {
    await rt1.dispose();
    await rt2.dispose();
  });
  return { rt1, rt2 };
}

/** A copy of data in rt's memory. */
export function inWasm<T extends Float32Array | Int32Array>(rt: WasmRuntime, data: T): T {
  return rt.copyIn(data);
}

/** n standard-normal float32 values. */
export function normal(rng: Rng, n: number, std = 1): Float32Array {
  return rng.fillNormal(new Float32Array(n), 0, std);
}

/** Asserts a and b hold the same bits everywhere (NaNs included), naming the first difference. */
export function expectSameBits(a: Float32Array, b: Float32Array, label: string, seed: number): void {
  expect(a.length, `${label}: lengths`).toBe(b.length);
  const ua = new Uint32Array(a.buffer, a.byteOffset, a.length);
  const ub = new Uint32Array(b.buffer, b.byteOffset, b.length);
  let first = -1;
  for (let i = 0; i < ua.length && first < 0; i++) if (ua[i] !== ub[i]) first = i;
  expect(first, `${label}: first differing element ${first} (${a[first]} vs ${b[first]}) — replay with HIPPO_SEED=${seed}`).toBe(-1);
}
