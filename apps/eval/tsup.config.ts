import { hippoTsup } from '@hippo/tooling/tsup';

export default hippoTsup({ entry: ['src/cli.ts'], dts: false, banner: '#!/usr/bin/env node' });
