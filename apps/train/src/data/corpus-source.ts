// The embedded corpus (233 State of the Union addresses, public domain; shipped with @hippo/data, so nothing
// is downloaded): tokenized once with the data pipeline into a folder that later runs reuse, then read as shards.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MANIFEST_FILE, sotuFiles, tokenizeCorpus } from '@hippo/data';
import { shardsSource } from './shards-source.js';
import type { DataSource } from './source.js';

/** Default fraction of the addresses held out for validation. */
export const CORPUS_VAL_FRACTION = 0.05;

export async function corpusSource(opts: {
  valFraction: number;
  tokensDir: string | null;
  batchSize: number;
  seqLen: number;
  evalBatches: number;
  seed: number;
  log: (line: string) => void;
}): Promise<DataSource> {
  const temp = opts.tokensDir === null ? mkdtempSync(join(tmpdir(), 'hippo-corpus-')) : null;
  const dir = opts.tokensDir ?? join(temp!, 'tokens');
  // a finished folder is reused as it is; an interrupted one is completed by the pipeline's own resume
  if (!existsSync(join(dir, MANIFEST_FILE))) {
    const r = await tokenizeCorpus({ inputs: sotuFiles(), out: dir, valFraction: opts.valFraction, log: opts.log });
    opts.log(`tokenized the embedded corpus into ${dir} in ${r.seconds.toFixed(1)} s`);
  }
  const src = shardsSource(dir, { ...opts, label: 'embedded corpus (State of the Union addresses)' });
  return {
    ...src,
    get position() {
      return src.position;
    },
    close() {
      src.close();
      if (temp) rmSync(temp, { recursive: true, force: true });
    },
  };
}
