// vitest globalSetup: the CLI tests spawn the built `hippo-data` (dist/cli.js, with dist/worker.js), so build it
// when it is missing or older than any source file. `pnpm test` does not build a package before its own tests.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const pkg = fileURLToPath(new URL('..', import.meta.url));

function newestSource(dir: string): number {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newestSource(p) : statSync(p).mtimeMs);
  }
  return t;
}

export default function setup(): void {
  const built = ['cli.js', 'worker.js', 'index.js'].map((f) => join(pkg, 'dist', f));
  const oldest = built.every(existsSync) ? Math.min(...built.map((f) => statSync(f).mtimeMs)) : 0;
  const sources = Math.max(newestSource(join(pkg, 'src')), statSync(join(pkg, 'tsup.config.ts')).mtimeMs, statSync(join(pkg, 'package.json')).mtimeMs);
  if (oldest >= sources) return;
  console.log('[hippo] building @hippo/data (dist/ is missing or older than src/) for the CLI tests');
  execFileSync('npx', ['tsup'], { cwd: pkg, stdio: ['ignore', 'ignore', 'inherit'] });
}
