// Node module-customization hook: `.wgsl` imports load as `export default <source text>`, as tsup and vitest
// load them (tooling/config/wgsl.js). Registered by bench-run.js through module.register().
import { readFile } from 'node:fs/promises';

/** @type {import('node:module').LoadHook} */
export async function load(url, context, nextLoad) {
  if (!new URL(url).pathname.endsWith('.wgsl')) return nextLoad(url, context);
  const text = await readFile(new URL(url), 'utf8');
  return { format: 'module', source: `export default ${JSON.stringify(text)};`, shortCircuit: true };
}
