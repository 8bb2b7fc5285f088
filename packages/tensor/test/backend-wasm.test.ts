// The WebAssembly cpu backend as the engine uses it: chosen by cpuBackend() on Node, worker threads taking
// part through the Tensor API, float64 on the references, memory flat over training steps.
import { WasmRuntime } from '@hippo/kernels';
import { runUntilWorkerHelps } from '@hippo/kernels/testing';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { AdamW, MLP, Rng, Tensor, WasmBackend, cpuBackend, matmul, tidy } from '../src/index.js';

const rt = WasmRuntime.create({ threads: 2 });
const backend = new WasmBackend(rt);
afterAll(() => rt.dispose());

describe('WasmBackend', () => {
  it('is the cpu backend on Node', () => {
    expect(cpuBackend()).toBeInstanceOf(WasmBackend);
    expect(cpuBackend().describe()).toMatch(/^cpu: WebAssembly SIMD, \d+ threads?$/);
  });

  it('runs large ops on both threads through the Tensor API', async () => {
    const rng = new Rng(5);
    const a = Tensor.fromArray(backend, rng.fillNormal(new Float32Array(256 * 384)), [256, 384]);
    const b = Tensor.fromArray(backend, rng.fillNormal(new Float32Array(384 * 320)), [384, 320]);
    expect(runUntilWorkerHelps(rt, () => matmul(a, b).dispose()), 'chunks the worker thread ran').toBeGreaterThan(0);
  });

  it('keeps float64 tensors on the JS heap and computes them with the reference kernels', async () => {
    const x = Tensor.fromArray(backend, Float64Array.from([0.1, 0.2, 0.3]), [3]);
    const y = x.mul(x).sum();
    expect(y.dtype).toBe('f64');
    expect(await y.item()).toBe(0.1 * 0.1 + 0.2 * 0.2 + 0.3 * 0.3); // float64 arithmetic, summed in order
  });

  it('returns to the same memory level after every training step', async () => {
    const rng = new Rng(3);
    const mlp = new MLP(16, { backend, rng, hidden: 32, dropout: 0.1 });
    const opt = new AdamW([{ params: mlp.parameters(), lr: 1e-3, weightDecay: 0.01 }]);
    const x = Tensor.fromArray(backend, rng.fillNormal(new Float32Array(8 * 16)), [8, 16]).keep();
    const levels: number[] = [];
    for (let step = 0; step < 5; step++) {
      const loss = tidy(() => {
        const l = mlp.forward(x).square().mean();
        l.backward();
        return l;
      });
      opt.step();
      opt.zeroGrad();
      await loss.item();
      loss.dispose();
      levels.push(rt.stats().inUse);
    }
    // step 1 allocates the AdamW moments; from then on every block is freed by tidy/backward/zeroGrad
    expect(new Set(levels.slice(1)).size, `bytes in use per step: ${levels.join(', ')}`).toBe(1);
  });
});

describe('cpuBackend() without WebAssembly SIMD', () => {
  it('falls back to the TypeScript CpuBackend and says so once', async () => {
    vi.resetModules(); // a fresh select.ts whose cpu backend is not chosen yet
    const fresh = await import('../src/index.js');
    const kernels = await import('@hippo/kernels'); // the copy the fresh select.ts sees
    const create = vi.spyOn(fresh.WasmBackend, 'create').mockImplementation(() => {
      throw new kernels.WasmUnavailableError('this engine lacks SIMD (test)');
    });
    const log = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      const first = fresh.cpuBackend();
      expect(first).toBeInstanceOf(fresh.CpuBackend);
      expect(fresh.cpuBackend()).toBe(first);
      expect(log).toHaveBeenCalledTimes(1);
      expect(String(log.mock.calls[0][0])).toMatch(/this engine lacks SIMD \(test\).*TypeScript reference kernels/);
    } finally {
      create.mockRestore();
      log.mockRestore();
    }
  });
});
