// Pipeline throughput against the raw tokenizer loop, in the same run. Corpus: the embedded State of the Union
// addresses four times over, as one JSON-lines file (The Pile's layout: one record per line; 932 documents,
// 43 MB, ~8.3 M tokens).
//   baseline "raw-loop": one fresh worker thread loads gpt-tokenizer and encodes every document, timed from the
//   worker's start (cold merge cache, as in the pipeline's fresh workers);
//   hippo: the built `tokenizeCorpus` end to end with 1 and 2 workers (worker start-up and tokenizer load,
//   reading, JSON parsing, ordering, writing, checkpoints, SHA-256 of input and shards all included).
// Targets (issue 5): 1 worker ≥ 0.9× the raw loop; 2 workers ≥ 1.7×. ratio = raw_ms / pipeline_ms.
// Run: pnpm bench (in packages/data; builds dist/ first). The machine should be otherwise idle: the load
// average is printed before and after, and CPU seconds beside each time.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { benchLine } from '@hippo/tooling/bench';

// the built package (dist/, with its worker.js), typed from the sources; a specifier in a variable keeps
// `tsc` from needing dist/ to exist
const builtPackage = '@hippo/data';
const { sotuFiles, tokenizeCorpus } = (await import(builtPackage)) as typeof import('../src/index.js');

const dir = mkdtempSync(join(tmpdir(), 'hippo-data-bench-'));
const once = sotuFiles().map((f) => readFileSync(f, 'utf8'));
const docs = [...once, ...once, ...once, ...once];
const files = [join(dir, 'sotu-4x.jsonl')];
writeFileSync(files[0], `${docs.map((text) => JSON.stringify({ text })).join('\n')}\n`);
const mb = docs.reduce((n, d) => n + Buffer.byteLength(d), 0) / 1e6;

/** CPU seconds of this process (all threads) since `from` */
const cpuSince = (from: NodeJS.CpuUsage) => {
  const d = process.cpuUsage(from);
  return (d.user + d.system) / 1e6;
};

/** the raw loop in a fresh worker thread, timed from its start (spawn and tokenizer load included, as the pipeline's are) */
function rawLoop(): Promise<{ ms: number; cpu: number; tokens: number }> {
  const tokenizer = import.meta.resolve('gpt-tokenizer/encoding/r50k_base');
  const code = `
    const { parentPort, workerData } = require('node:worker_threads');
    import(${JSON.stringify(tokenizer)}).then(({ encode }) => {
      const opts = { disallowedSpecial: new Set() };
      let tokens = 0;
      for (const d of workerData) tokens += encode(d, opts).length + 1;
      parentPort.postMessage(tokens);
    });`;
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const w = new Worker(code, { eval: true, workerData: docs });
    w.once('message', (tokens: number) => {
      resolve({ ms: performance.now() - t0, cpu: cpuSince(c0), tokens });
      void w.terminate();
    });
    w.once('error', reject);
  });
}

/** median wall time of 3 runs (after one warm-up), with that run's CPU time */
async function pipeline(workers: number): Promise<number> {
  const out = join(dir, `out-${workers}`);
  const runs: { ms: number; cpu: number; tokens: number }[] = [];
  for (let i = 0; i < 4; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const { manifest } = await tokenizeCorpus({ inputs: files, out, workers, force: true, valFraction: 0 });
    if (i > 0) runs.push({ ms: performance.now() - t0, cpu: cpuSince(c0), tokens: manifest.splits.train.tokens });
  }
  runs.sort((a, b) => a.ms - b.ms);
  const { ms, cpu, tokens } = runs[1];
  console.log(`# pipeline, ${workers} worker(s): ${ms.toFixed(0)} ms (CPU ${cpu.toFixed(2)} s), ${(tokens / ms / 1e3).toFixed(2)} M tokens/s, ${(mb / (ms / 1e3)).toFixed(1)} MB/s`);
  return ms;
}

console.log(`# corpus: ${docs.length} documents, ${mb.toFixed(1)} MB; load average ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
const raws: { ms: number; cpu: number; tokens: number }[] = [];
for (let i = 0; i < 3; i++) raws.push(await rawLoop());
raws.sort((a, b) => a.ms - b.ms);
const raw = raws[1];
console.log(`# raw loop: ${raw.ms.toFixed(0)} ms (CPU ${raw.cpu.toFixed(2)} s), ${(raw.tokens / raw.ms / 1e3).toFixed(2)} M tokens/s (median of 3, each a fresh worker)`);
const one = await pipeline(1);
const two = await pipeline(2);
benchLine('data-pipeline-sotu4x-jsonl-1worker', one, 'raw-loop', raw.ms);
benchLine('data-pipeline-sotu4x-jsonl-2workers', two, 'raw-loop', raw.ms);
console.log(`# load average after: ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
rmSync(dir, { recursive: true, force: true });
