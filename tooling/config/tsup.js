// The tsup preset every package builds with: ESM + .d.ts, node20 target, `.wgsl` bundled as text.
import { defineConfig } from 'tsup';

/**
 * @param {{ entry?: Record<string,string> | string[], dts?: boolean, external?: string[], banner?: string }} [opts]
 */
export function hippoTsup(opts = {}) {
  return defineConfig({
    entry: opts.entry ?? ['src/index.ts'],
    format: ['esm'],
    dts: opts.dts ?? true,
    clean: true,
    sourcemap: true,
    target: 'node20',
    external: ['webgpu', ...(opts.external ?? [])],
    loader: { '.wgsl': 'text' },
    banner: opts.banner ? { js: opts.banner } : undefined,
  });
}
