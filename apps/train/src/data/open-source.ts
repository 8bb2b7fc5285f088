// Opens the data source a spec names.
import { CORPUS_VAL_FRACTION, corpusSource } from './corpus-source.js';
import { shardsSource } from './shards-source.js';
import type { DataSource, SourceSettings } from './source.js';
import { syntheticSource } from './synthetic-source.js';

export async function openDataSource(s: SourceSettings): Promise<DataSource> {
  const common = { batchSize: s.batchSize, seqLen: s.seqLen, evalBatches: s.evalBatches, seed: s.seed };
  switch (s.spec.kind) {
    case 'corpus':
      return corpusSource({ ...common, valFraction: s.spec.valFraction ?? CORPUS_VAL_FRACTION, tokensDir: s.corpusTokensDir, log: s.log });
    case 'shards':
      return shardsSource(s.spec.dir, common);
    case 'synthetic':
      return syntheticSource({ ...s.spec, batchSize: s.batchSize, seed: s.seed });
  }
}
