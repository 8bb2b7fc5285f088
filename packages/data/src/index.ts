// @hippo/data: corpora → GPT-2 token shards (readers, tokenizer pool, ordered resumable writer), loaders for
// training and evaluation, the H3 paper's synthetic tasks and an embedded public-domain corpus.
export { DataError, InputError, UsageError, type InputLocation } from './errors.js';
export { Rng, hashWords, type RngState } from './rng.js';
export { EOT, GPT2_VOCAB_SIZE, TOKENIZER, type SpecialInText } from './tokenizer.js';
export { encodeDoc } from './encode.js';
export { normaliseOwt, pyStrip } from './text/normalise.js';
export { FORMATS, formatOf, listSources, type InputFormat, type SourceFile } from './readers/formats.js';
export { tokenizeCorpus, type ProgressSnapshot, type TokenizeOptions, type TokenizeSummary } from './pipeline/tokenize-corpus.js';
export { DEFAULT_VAL_FRACTION, DEFAULT_VAL_SEED, isVal } from './pipeline/split.js';
export { MANIFEST_FILE, type Manifest, type SplitSummary } from './pipeline/manifest.js';
export type { ShardInfo } from './pipeline/shard-writer.js';
export { mmidxBytes, readMmidx } from './pipeline/mmidx.js';
export { TokenShards } from './loaders/token-shards.js';
export { RandomWindows, SequentialWindows, type RandomWindowsState } from './loaders/windows.js';
export {
  IGNORE_INDEX,
  PAPER_SETTINGS,
  syntheticDataset,
  taskVocab,
  type SyntheticConfig,
  type SyntheticDataset,
  type SyntheticSplit,
  type SyntheticTask,
} from './synthetic/tasks.js';
export { sotuDir, sotuFiles } from './corpus/sotu.js';
