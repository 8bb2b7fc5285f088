import { Rng, ShapeError, s4dKernelRef, shiftKernelRef } from '@hippo/kernels';
import { describe, expect, it } from 'vitest';
import { Tensor, referenceBackend, s4dKernel, shiftKernel } from '../src/index.js';
import { s4dInputs, shiftInputs } from './ssm-kernel-inputs.js';

const cpu = referenceBackend();
const t = (data: Float64Array, shape: number[]) => Tensor.fromArray(cpu, data, shape);

describe('s4dKernel / shiftKernel', () => {
  it('return [H, L] and [H, min(N, L)] equal to the kernels’ references', async () => {
    const [logDt, invAReal, AImag, B, C] = s4dInputs(new Rng(1), 3, 4, 'lin');
    const K = s4dKernel(t(logDt.data, [3]), t(invAReal.data, [3, 4]), t(AImag.data, [3, 4]), t(B.data, [3, 4, 2]), t(C.data, [3, 4, 2]), 10);
    expect(K.shape).toEqual([3, 10]);
    const ref = new Float64Array(30);
    s4dKernelRef(ref, logDt.data, invAReal.data, AImag.data, B.data, C.data, { channels: 3, modes: 4, length: 10 });
    expect(Array.from(await K.toArray())).toEqual(Array.from(ref));

    const [sB, sC] = shiftInputs(new Rng(2), 2, 6);
    for (const L of [4, 6, 20]) {
      const k = shiftKernel(t(sB.data, [2, 6]), t(sC.data, [2, 6]), L);
      expect(k.shape).toEqual([2, Math.min(6, L)]);
      const kRef = new Float64Array(2 * Math.min(6, L));
      shiftKernelRef(kRef, sB.data, sC.data, { channels: 2, state: 6, length: L });
      expect(Array.from(await k.toArray())).toEqual(Array.from(kRef));
    }
  });

  it('refuse wrong shapes and lengths with a ShapeError naming the op, the argument, expected and got', () => {
    const z = (...shape: number[]) => Tensor.zeros(cpu, shape, 'f64');
    const err = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        expect(e).toBeInstanceOf(ShapeError);
        return (e as ShapeError).message;
      }
      throw new Error('expected a ShapeError');
    };
    expect(err(() => s4dKernel(z(3), z(3, 4), z(3, 4), z(3, 4, 2), z(3, 4), 8))).toBe('s4dKernel: C must have shape [3,4,2] (invAReal is [3, 4]); got [3,4]');
    expect(err(() => s4dKernel(z(3), z(2, 4), z(3, 4), z(3, 4, 2), z(3, 4, 2), 8))).toBe(
      's4dKernel: invAReal must have shape [3, N2] with N2 ≥ 1 (logDt is [3]); got [2,4]',
    );
    expect(err(() => s4dKernel(z(3), z(3, 4), z(3, 4), z(3, 4, 2), z(3, 4, 2), 0))).toBe('s4dKernel: length must have shape an integer ≥ 1; got 0');
    expect(err(() => shiftKernel(z(2, 6), z(2, 5), 8))).toBe('shiftKernel: C must have shape [2, 6] (B is [2, 6]); got [2,5]');
    expect(err(() => shiftKernel(z(6), z(6), 8))).toBe('shiftKernel: B must have shape [H, N] with H, N ≥ 1; got [6]');
  });
});
