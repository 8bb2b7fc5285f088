import { describe, expect, it } from 'vitest';
import { Tensor, cpuBackend, noGrad, tidy } from '../src/index.js';

const cpu = cpuBackend();
const vec = (v: number[], requiresGrad = false) => Tensor.fromArray(cpu, Float64Array.from(v), [v.length], { requiresGrad });

describe('autograd tape', () => {
  it('accumulates the gradient of a tensor used twice', async () => {
    const x = vec([1, 2, 3], true);
    x.mul(x).sum().backward(); // d/dx Σx² = 2x
    expect([...(await x.grad!.toArray())]).toEqual([2, 4, 6]);
  });

  it('accumulates across backward calls until cleared', async () => {
    const x = vec([1, -1], true);
    x.mulScalar(3).sum().backward();
    x.mulScalar(3).sum().backward();
    expect([...(await x.grad!.toArray())]).toEqual([6, 6]);
  });

  it('records nothing under noGrad', () => {
    const x = vec([1, 2], true);
    const y = noGrad(() => x.mul(x));
    expect(y.requiresGrad).toBe(false);
    expect(y.gradFn).toBeNull();
  });

  it('releases the graph after backward', () => {
    const x = vec([1, 2], true);
    const h = x.exp();
    const y = h.sum();
    y.backward();
    expect(h.gradFn).toBeNull();
    expect(y.gradFn).toBeNull();
    expect(() => y.backward()).toThrow(/already freed/);
  });

  it('refuses backward on a non-scalar without a gradient', () => {
    const x = vec([1, 2], true);
    expect(() => x.exp().backward()).toThrow(/backward: grad must have shape given for a non-scalar output \[2\]/);
  });

  it('tidy disposes intermediates but keeps results, parameters and gradients', async () => {
    const w = vec([0.5, 1.5], true).keep();
    let inner: Tensor | null = null;
    const loss = tidy(() => {
      inner = w.exp();
      const l = inner.sum();
      l.backward();
      return l;
    });
    expect(inner!.isDisposed).toBe(true);
    expect(loss.isDisposed).toBe(false);
    expect(w.isDisposed).toBe(false);
    expect(w.grad!.isDisposed).toBe(false);
    expect((await w.grad!.toArray())[1]).toBeCloseTo(Math.exp(1.5), 12);
    expect(() => inner!.exp()).toThrow(/used after dispose/);
  });
});
