// Loads `.wgsl` files as text in vitest (vite), mirroring esbuild's `text` loader used by tsup.
import { readFileSync } from 'node:fs';

/** @returns {import('vite').Plugin} */
export function wgslText() {
  return {
    name: 'hippo-wgsl-text',
    enforce: 'pre',
    load(id) {
      if (!id.endsWith('.wgsl')) return null;
      return `export default ${JSON.stringify(readFileSync(id, 'utf8'))};`;
    },
  };
}
