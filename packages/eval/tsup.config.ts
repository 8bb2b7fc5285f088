import { hippoTsup } from '@hippo/tooling/tsup';

export default hippoTsup({ entry: { index: 'src/index.ts', testing: 'src/testing/index.ts' } });
