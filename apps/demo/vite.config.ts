// The web page: web/ → dist/web. `vite preview` (and `vite` in development) also serve the repository's
// checkpoints/ folder at /checkpoints/, so the page can load the main job's checkpoint by URL; the browser
// test points HIPPO_CHECKPOINTS_DIR at its fixture instead.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { serveCheckpoints } from './web/serve-checkpoints.js';

const here = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root: `${here}web`,
  base: './',
  build: { outDir: `${here}dist/web`, emptyOutDir: true, target: 'es2022', chunkSizeWarningLimit: 4096 },
  worker: { format: 'es' },
  preview: { host: '127.0.0.1', port: 4173 },
  server: { host: '127.0.0.1' },
  plugins: [serveCheckpoints(process.env.HIPPO_CHECKPOINTS_DIR ?? `${here}../../checkpoints`)],
});
