// Without an adapter: a typed error that says what to install, and test runs that fail when told a GPU is
// required. Dawn is asked for a backend this OS does not have, so no adapter exists for real.
import { describe, expect, it, vi } from 'vitest';
import { GpuUnavailableError } from '../errors.js';
import { acquireTestGpu } from '../testing/index.js';
import { GpuContext } from './gpu-context.js';

const noAdapter = () => GpuContext.create({ dawnOptions: [process.platform === 'win32' ? 'backend=metal' : 'backend=d3d12'] });

describe('no WebGPU adapter', () => {
  it('GpuContext.create throws GpuUnavailableError naming the drivers to install', async () => {
    const err = await noAdapter().then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(GpuUnavailableError);
    const msg = (err as Error).message;
    expect(msg).toMatch(/requestAdapter\(\) returned null/);
    expect(msg).toMatch(/mesa-vulkan-drivers/);
    expect(msg).toMatch(/HIPPO_BACKEND=cpu/);
  });

  it('test runs fail when HIPPO_REQUIRE_GPU=1, and skip with the reason otherwise', async () => {
    await expect(acquireTestGpu(noAdapter, true)).rejects.toBeInstanceOf(GpuUnavailableError);
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    expect(await acquireTestGpu(noAdapter, false)).toBeNull();
    expect(warn.mock.calls[0][0]).toMatch(/skipping WebGPU tests: no adapter \(requestAdapter\(\) returned null/);
    warn.mockRestore();
  });
});
