// Layout ops beyond the shared gradient checks (op-cases.ts): values against index maths, int32 tensors,
// writeSlice (the in-place cache write) and the error messages.
import { Rng, ShapeError } from '@hippo/kernels';
import { testSeed } from '@hippo/kernels/testing';
import { describe, expect, it } from 'vitest';
import { Tensor, concat, noGrad, permute, referenceBackend, cpuBackend, slice, transpose, writeSlice } from '../src/index.js';

const seed = testSeed();
const iota = (n: number) => Float32Array.from({ length: n }, (_, i) => i);

for (const [name, backend] of [
  ['reference', referenceBackend()],
  ['cpu', cpuBackend()],
] as const) {
  describe(`layout ops on the ${name} backend`, () => {
    it('permute [2,3,4] by [2,0,1] puts x[i,j,k] at out[k,i,j]', async () => {
      const x = Tensor.fromArray(backend, iota(24), [2, 3, 4]);
      const y = permute(x, [2, 0, 1]);
      expect(y.shape).toEqual([4, 2, 3]);
      const got = await y.toArray();
      for (let i = 0; i < 2; i++) for (let j = 0; j < 3; j++) for (let k = 0; k < 4; k++) expect(got[k * 6 + i * 3 + j]).toBe(i * 12 + j * 4 + k);
    });

    it('transpose, slice and concat of int32 tensors copy exactly; a rank-0 permute is a copy', async () => {
      const ids = Tensor.fromArray(backend, Int32Array.from({ length: 6 }, (_, i) => 100 + i), [2, 3]);
      expect([...(await transpose(ids, 0, -1).toArray())]).toEqual([100, 103, 101, 104, 102, 105]);
      expect([...(await slice(ids, -1, -1).toArray())]).toEqual([102, 105]);
      const joined = concat([ids, slice(ids, 1, 0, 1)], 1);
      expect(joined.dtype).toBe('i32');
      expect([...(await joined.toArray())]).toEqual([100, 101, 102, 100, 103, 104, 105, 103]);
      const s = Tensor.fromArray(backend, [7], []);
      expect([...(await permute(s, []).toArray())]).toEqual([7]);
    });

    it('slice and concat are inverse: concat of the pieces of a random x is x', async () => {
      const rng = new Rng(seed);
      const x = Tensor.fromArray(backend, rng.fillNormal(new Float32Array(2 * 7 * 3)), [2, 7, 3]);
      const pieces = [slice(x, 1, 0, 2), slice(x, 1, 2, 2), slice(x, 1, 2, 6), slice(x, 1, 6)];
      expect(pieces.map((p) => p.shape[1])).toEqual([2, 0, 4, 1]);
      expect([...(await concat(pieces, 1).toArray())]).toEqual([...(await x.toArray())]);
    });

    it('writeSlice writes a window of dst in place and leaves the rest', async () => {
      const cache = Tensor.zeros(backend, [2, 4, 3]);
      const view = cache.reshape([24]);
      const step = Tensor.fromArray(backend, iota(6).map((v) => v + 1), [2, 1, 3]);
      expect(noGrad(() => writeSlice(cache, step, 1, 2))).toBe(cache);
      writeSlice(cache, step, -2, -1); // axis -2 = 1, start -1 = the last position
      const want = new Float32Array(24);
      for (const t of [2, 3]) for (let b = 0; b < 2; b++) for (let c = 0; c < 3; c++) want[b * 12 + t * 3 + c] = b * 3 + c + 1;
      expect([...(await cache.toArray())]).toEqual([...want]);
      // reshapes share the storage, so they see the write
      expect([...(await view.toArray())]).toEqual([...want]);
    });

    it('writeSlice refuses gradients: dst requiring grad, or src requiring grad while recording', () => {
      const dst = Tensor.zeros(backend, [2, 4], 'f32', { requiresGrad: true });
      const src = Tensor.zeros(backend, [2, 1], 'f32', { requiresGrad: true });
      expect(() => noGrad(() => writeSlice(dst, src, 1, 0))).toThrow(/writeSlice: dst Tensor\(\[2,4\].*requires grad/);
      const plain = Tensor.zeros(backend, [2, 4]);
      expect(() => writeSlice(plain, src, 1, 0)).toThrow(/writeSlice: src .* requires grad while grad recording is on/);
      expect(() => noGrad(() => writeSlice(plain, src, 1, 0))).not.toThrow();
      expect(() => writeSlice(plain, plain.reshape([4, 2]), 0, 0)).toThrow(/share storage/);
    });
  });
}

describe('layout ops: ShapeErrors name the op, the argument, expected and got', () => {
  const backend = referenceBackend();
  const x = Tensor.zeros(backend, [2, 3, 4]);
  const shapeError = (fn: () => unknown) => {
    try {
      fn();
    } catch (e) {
      expect(e).toBeInstanceOf(ShapeError);
      return (e as ShapeError).message;
    }
    throw new Error('expected a ShapeError');
  };

  it('permute / transpose', () => {
    expect(shapeError(() => permute(x, [0, 1]))).toBe('permute: perm must have shape a permutation of [0,1,2] for x [2,3,4]; got [0,1]');
    expect(shapeError(() => permute(x, [0, 1, 1]))).toBe('permute: perm must have shape a permutation of [0,1,2] for x [2,3,4]; got [0,1,1]');
    expect(shapeError(() => permute(x, [0, 1, 3]))).toMatch(/^permute: perm .*got \[0,1,3\]$/);
    expect(shapeError(() => transpose(x, 0, 3))).toBe('transpose: dim1 must have shape an integer in [-3, 3) for a rank-3 tensor [2,3,4]; got 3');
  });

  it('slice', () => {
    expect(shapeError(() => slice(x, -4, 0, 1))).toBe('slice: axis must have shape an integer in [-3, 3) for a rank-3 tensor [2,3,4]; got -4');
    expect(shapeError(() => slice(x, 1, 2, 1))).toBe('slice: start/end must have shape 0 ≤ start ≤ end ≤ 3 along axis 1 of x [2,3,4]; got start 2, end 1');
    expect(shapeError(() => slice(x, 2, 0, 5))).toBe('slice: start/end must have shape 0 ≤ start ≤ end ≤ 4 along axis 2 of x [2,3,4]; got start 0, end 5');
  });

  it('concat', () => {
    expect(shapeError(() => concat([], 0))).toBe('concat: xs must have shape at least one tensor; got []');
    expect(shapeError(() => concat([x, Tensor.zeros(backend, [2, 5, 3])], 1))).toBe(
      'concat: xs[1] must have shape [2,*,4] (xs[0] [2,3,4] except along axis 1); got [2,5,3]',
    );
    expect(() => concat([x, Tensor.zeros(backend, [2, 3, 4], 'i32')], 0)).toThrow('concat: xs[1] must be f32 like xs[0]; got i32');
  });

  it('writeSlice', () => {
    expect(shapeError(() => writeSlice(x, Tensor.zeros(backend, [2, 2, 3]), 1, 0))).toBe(
      'writeSlice: src must have shape [2,*,4] (dst [2,3,4] except along axis 1); got [2,2,3]',
    );
    expect(shapeError(() => writeSlice(x, Tensor.zeros(backend, [2, 2, 4]), 1, 2))).toBe(
      'writeSlice: start must have shape an integer with 0 ≤ start and start + 2 ≤ 3 along axis 1 of dst [2,3,4]; got 2',
    );
  });
});
