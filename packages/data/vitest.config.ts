import { hippoVitest } from '@hippo/tooling/vitest';

const config = hippoVitest();
// the CLI tests run the built command (dist/), rebuilt first when the sources are newer
config.test!.globalSetup = ['./test/build-dist.ts'];
export default config;
