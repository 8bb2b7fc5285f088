// The vitest preset: one forked process per test file (isolates dawn.node's native state),
// `.wgsl` as text, and --expose-gc so tests can force collection. Benchmarks run through tsx, not vitest.
import { defineConfig } from 'vitest/config';
import { wgslText } from './wgsl.js';

/** @param {{ testTimeout?: number }} [opts] */
export function hippoVitest(opts = {}) {
  return defineConfig({
    plugins: [wgslText()],
    test: {
      pool: 'forks',
      include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
      testTimeout: opts.testTimeout ?? 120_000,
      hookTimeout: 120_000,
      execArgv: ['--expose-gc'],
    },
  });
}
