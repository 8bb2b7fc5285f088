// Writes the demo's tiny test checkpoint to a folder, to try hippo-generate or the web page without training:
//   pnpm --filter @hippo/demo make-fixture -- /tmp/hippo-fixture [--seed N]
import { parseArgs } from 'node:util';
import { countParameters } from '@hippo/models';
import { FIXTURE_CONFIG, writeFixtureCheckpoint } from '../test/fixture.js';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { seed: { type: 'string', default: '1' } } });
const seed = Number(values.seed);
if (positionals.length !== 1 || !Number.isInteger(seed)) {
  console.error('usage: make-fixture OUT_DIR [--seed N]');
  process.exit(2);
}
await writeFixtureCheckpoint(positionals[0], seed);
console.log(`wrote ${positionals[0]}/config.json and model.safetensors (${FIXTURE_CONFIG.name}, ${countParameters(FIXTURE_CONFIG).toLocaleString('en-US')} parameters, seed ${seed})`);
