// `pnpm bench` in any package (`tsx <this file>`): runs every bench/*.bench.ts of the current package in
// name order, one after another in this process; arguments, if any, keep only the files whose names contain
// one of them (`pnpm bench matmul`). Each bench file does its work at import (top-level await) and prints its
// BENCH lines through @hippo/tooling/bench.
import { readdirSync } from 'node:fs';
import { register } from 'node:module';
import { pathToFileURL } from 'node:url';

// before the dynamic imports below: `.wgsl` imports in the sources need the text loader
register('./wgsl-loader.mjs', import.meta.url);

const dir = pathToFileURL(`${process.cwd()}/bench/`);
const only = process.argv.slice(2);
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts') && (only.length === 0 || only.some((s) => f.includes(s))))
  .sort();
for (const f of files) {
  console.log(`\n# ${f}`);
  await import(new URL(f, dir).href);
}
