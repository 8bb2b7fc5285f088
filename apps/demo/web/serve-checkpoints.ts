// A Vite plugin for the dev and preview servers: GET /checkpoints/<path> returns <dir>/<path>, so a checkpoint
// folder (config.json + model.safetensors) is loadable by URL without copying it into the build.
import { createReadStream, statSync } from 'node:fs';
import { resolve, sep } from 'node:path';
import type { Connect, Plugin } from 'vite';

/** Serves the files under `dir` at /checkpoints/ (404 for anything outside it or missing). */
export function serveCheckpoints(dir: string): Plugin {
  const root = resolve(dir);
  const handler: Connect.NextHandleFunction = (req, res, next) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (!url.pathname.startsWith('/checkpoints/')) return next();
    const file = resolve(root, decodeURIComponent(url.pathname.slice('/checkpoints/'.length)));
    const size = file.startsWith(root + sep) ? statSync(file, { throwIfNoEntry: false }) : undefined;
    if (!size?.isFile()) {
      res.statusCode = 404;
      res.end(`no file ${url.pathname} (checkpoints are served from ${root})`);
      return;
    }
    res.setHeader('Content-Length', size.size);
    res.setHeader('Content-Type', file.endsWith('.json') ? 'application/json' : 'application/octet-stream');
    createReadStream(file).pipe(res);
  };
  return {
    name: 'hippo-serve-checkpoints',
    configureServer: (server) => void server.middlewares.use(handler),
    configurePreviewServer: (server) => void server.middlewares.use(handler),
  };
}
