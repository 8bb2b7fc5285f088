import { hippoTsup } from '@hippo/tooling/tsup';

export default hippoTsup({ entry: ['src/index.ts'] });
