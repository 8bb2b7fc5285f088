// A fixed pool of tokenizer worker threads. Each worker holds up to two units (the one it tokenizes and the next,
// already in its message queue, so it never waits for the main thread between units); the rest wait in a FIFO.
// `run` never rejects: a worker crash comes back as `{ ok: false }`, so results awaited out of order cannot
// become unhandled rejections. Ordering is the writer's job, not the pool's.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { UnitResult, WorkUnit, WorkerConfig } from './unit.js';

/** What one unit came back as. */
export type PoolOutcome = { ok: true; result: UnitResult } | { ok: false; message: string };

interface Slot {
  worker: Worker;
  /** the units posted to this worker, oldest first (a worker answers in order) */
  pending: ((o: PoolOutcome) => void)[];
}

/** Units posted to one worker at a time. */
const DEPTH = 2;

/** A pool of `size` tokenizer workers configured by `cfg`. */
export class TokenizerPool {
  private readonly slots: Slot[] = [];
  private readonly queue: { unit: WorkUnit; resolve: (o: PoolOutcome) => void }[] = [];
  private broken: string | null = null;

  constructor(
    readonly size: number,
    cfg: WorkerConfig,
  ) {
    for (let i = 0; i < size; i++) {
      const slot: Slot = { worker: spawnWorker(cfg), pending: [] };
      slot.worker.on('message', (m: PoolOutcome) => this.done(slot, m));
      slot.worker.on('error', (e) => this.fail(`tokenizer worker ${i} crashed: ${e.stack ?? e.message}`));
      slot.worker.on('exit', (code) => {
        if (code !== 0) this.fail(`tokenizer worker ${i} exited with code ${code}`);
      });
      this.slots.push(slot);
    }
  }

  /** workers holding a unit now */
  get busy(): number {
    return this.slots.reduce((n, s) => n + (s.pending.length > 0 ? 1 : 0), 0);
  }

  /** Tokenizes one unit; its byte buffers are transferred (unusable by the caller afterwards). */
  run(unit: WorkUnit): Promise<PoolOutcome> {
    if (this.broken) return Promise.resolve({ ok: false, message: this.broken });
    return new Promise((resolve) => {
      this.queue.push({ unit, resolve });
      this.pump();
    });
  }

  async close(): Promise<void> {
    this.broken ??= 'pool closed';
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }

  private pump(): void {
    // fill the emptiest worker first, so that both of two workers start at once
    for (let depth = 0; depth < DEPTH; depth++)
      for (const slot of this.slots) {
        if (slot.pending.length > depth || this.queue.length === 0) continue;
        const { unit, resolve } = this.queue.shift()!;
        slot.pending.push(resolve);
        slot.worker.postMessage(unit, transferList(unit));
      }
  }

  private done(slot: Slot, m: PoolOutcome): void {
    slot.pending.shift()?.(m);
    this.pump();
  }

  private fail(message: string): void {
    if (this.broken === 'pool closed') return;
    this.broken ??= message;
    for (const s of this.slots) for (const resolve of s.pending.splice(0)) resolve({ ok: false, message });
    for (const q of this.queue.splice(0)) q.resolve({ ok: false, message });
  }
}

function transferList(unit: WorkUnit): ArrayBuffer[] {
  const b = unit.body;
  return b.kind === 'rows' ? [] : [b.bytes.buffer as ArrayBuffer];
}

/**
 * The built package runs dist/worker.js (tsup emits it next to the chunk holding this code); from the sources
 * (vitest, tsx) there is only worker.ts, which a plain worker thread cannot load, so it goes through tsx's API.
 */
function spawnWorker(cfg: WorkerConfig): Worker {
  const built = new URL('./worker.js', import.meta.url);
  if (existsSync(fileURLToPath(built))) return new Worker(built, { workerData: cfg });
  const source = new URL('./worker.ts', import.meta.url).href;
  const tsx = tsxEsmApi();
  const boot = `import(${JSON.stringify(tsx)}).then((m) => m.tsImport(${JSON.stringify(source)}, ${JSON.stringify(source)}))`;
  return new Worker(boot, { eval: true, workerData: cfg });
}

/** file URL of tsx's ESM API (its `import` export; `require.resolve` would give the CommonJS build) */
function tsxEsmApi(): string {
  const pkgJson = createRequire(import.meta.url).resolve('tsx/package.json');
  const pkg = JSON.parse(readFileSync(pkgJson, 'utf8')) as { exports: Record<string, { import: { default: string } }> };
  return pathToFileURL(join(dirname(pkgJson), pkg.exports['./esm/api'].import.default)).href;
}
