// Compiles the AssemblyScript kernels (src/wasm/assembly/) to src/wasm/kernels.wasm with SIMD128 and
// threads, for `pnpm build` (before tsup, which copies the .wasm into dist) and for tests run from src.
// `--if-stale` skips the build when the .wasm is newer than every source (tsup, test and bench use it);
// `--wat` also writes the text form next to it. The file is written to a temporary name and renamed, so an
// interrupted build never leaves a truncated module behind.
import { existsSync, readFileSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const out = 'src/wasm/kernels.wasm';
const tmp = `${out}.${process.pid}.tmp`;
const sources = `${root}/src/wasm/assembly`;

if (process.argv.includes('--if-stale') && existsSync(`${root}/${out}`)) {
  const built = statSync(`${root}/${out}`).mtimeMs;
  const inputs = [...readdirSync(sources).map((f) => `${sources}/${f}`), fileURLToPath(import.meta.url)];
  if (inputs.every((f) => statSync(f).mtimeMs < built)) process.exit(0);
}

const argv = [
  'src/wasm/assembly/index.ts',
  '--outFile', tmp,
  '-O3', '--noAssert',
  '--enable', 'simd',
  '--enable', 'threads',
  // no allocator or GC: every buffer is owned by the JS-side allocator of WasmRuntime
  '--runtime', 'stub',
  // the one shared memory of the runtime, imported by every worker's instance; maximum = the wasm32 limit
  '--importMemory', '--noExportMemory', '--sharedMemory', '--initialMemory', '1', '--maximumMemory', '65536',
  // kernels never trap on purpose, so no abort import (and no message strings in a data segment)
  '--use', 'abort=',
  '--baseDir', root,
];
if (process.argv.includes('--wat')) argv.push('--textFile', 'src/wasm/kernels.wat');

const { default: asc } = await import('assemblyscript/asc'); // after the staleness check: it loads slowly
const { error, stderr } = await asc.main(argv, { stdout: process.stdout, stderr: process.stderr });
if (error) {
  rmSync(`${root}/${tmp}`, { force: true });
  console.error(`build-wasm: asc failed: ${error.message}\n${stderr.toString()}`);
  process.exit(1);
}
assertNoDataSegments(`${root}/${tmp}`);
renameSync(`${root}/${tmp}`, `${root}/${out}`);
console.log(`build-wasm: wrote ${out}`);

/**
 * Every worker instantiates the module over the same shared memory, and instantiation re-applies active
 * data segments: a kernel with static data would have it rewritten under running threads. Refuse any.
 */
function assertNoDataSegments(file) {
  const bytes = readFileSync(file);
  const leb = (at) => {
    let value = 0;
    let p = at;
    for (let shift = 0; ; shift += 7) {
      const b = bytes[p++];
      value += (b & 0x7f) * 2 ** shift;
      if (b < 0x80) return [value, p];
    }
  };
  // top-level sections after the 8-byte header: id, size, payload; the data section (11) and the data
  // count section (12) both start with the number of segments
  for (let p = 8; p < bytes.length; ) {
    const id = bytes[p];
    const [size, payload] = leb(p + 1);
    if ((id === 11 || id === 12) && leb(payload)[0] > 0) {
      rmSync(file, { force: true });
      throw new Error(`build-wasm: ${out} would have data segments: kernels must not use static data (see above)`);
    }
    p = payload + size;
  }
}
