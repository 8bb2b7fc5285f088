import { hippoTsup } from '@hippo/tooling/tsup';

// the CLI only; the web page is bundled by Vite (vite.config.ts) into dist/web
export default hippoTsup({ entry: ['src/cli.ts'], dts: false, banner: '#!/usr/bin/env node' });
