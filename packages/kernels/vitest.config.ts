import { hippoVitest } from '@hippo/tooling/vitest';

export default hippoVitest();
