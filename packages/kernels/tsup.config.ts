import { execFileSync } from 'node:child_process';
import { copyFileSync } from 'node:fs';
import { hippoTsup } from '@hippo/tooling/tsup';

export default {
  ...hippoTsup({ entry: { index: 'src/index.ts', 'testing/index': 'src/testing/index.ts' } }),
  // the runtime loads kernels.wasm next to the bundle: (re)build it if its sources changed, then ship it
  async onSuccess() {
    execFileSync(process.execPath, ['scripts/build-wasm.mjs', '--if-stale'], { stdio: 'inherit' });
    copyFileSync('src/wasm/kernels.wasm', 'dist/kernels.wasm');
  },
};
