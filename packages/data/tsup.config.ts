import { hippoTsup } from '@hippo/tooling/tsup';

// worker.js must be its own file next to the chunks: the pool starts it by URL relative to its own module
export default hippoTsup({
  entry: { index: 'src/index.ts', cli: 'src/cli.ts', worker: 'src/pipeline/worker.ts' },
  banner: '#!/usr/bin/env node',
});
