// The persistent worker threads of a WasmRuntime. A job is one kernel called on chunks 0..total−1; the
// calling thread and the workers take chunks from a shared counter until none are left, so a worker that is
// slow to start or descheduled never blocks progress. Which thread runs a chunk does not change its result
// (every kernel computes each output element inside one chunk), so results are the same for any thread count.
//
// Control block (one SharedArrayBuffer): i32 [GEN, TOTAL, DONE, KERNEL, NARGS, FAILED, QUIT, READY] at 0; i64
// NEXT at byte 64 = (GEN << 32) | next chunk; f64 args at byte 128; from byte 320 one i32 per worker
// counting the chunks it ran. The generation tag in NEXT stops a worker still holding an old job's
// arguments from taking a chunk of the next job.
import type { Worker as NodeWorker } from 'node:worker_threads';

const GEN = 0;
const TOTAL = 1;
const DONE = 2;
const KERNEL = 3;
const NARGS = 4;
const FAILED = 5;
const QUIT = 6;
const READY = 7;
/** How long the constructor waits for the workers to start (each takes ~30 ms on an idle machine). */
const START_TIMEOUT_MS = 20_000;
/** Most arguments a kernel takes before (chunk, scratch). */
export const MAX_ARGS = 24;
/** i32 index of the first per-worker chunk counter (byte 128 + 8 · MAX_ARGS). */
const RAN = (128 + 8 * MAX_ARGS) / 4;
/** Most worker threads. */
export const MAX_WORKERS = 255;
const CONTROL_BYTES = 4 * (RAN + MAX_WORKERS);

type KernelFn = (...args: number[]) => void;

/**
 * Takes chunks of job `gen` until none are left, calling fn(...args, chunk, scratch); counts them at
 * ctl[ran] when ran > 0. After a chunk throws (its index + 1 goes to FAILED), the remaining chunks are taken
 * and counted but not run, so the job still ends. Runs in the calling thread and, as source text, in every
 * worker (so it may only use its parameters and globals; indices as in the header).
 */
function drainChunks(ctl: Int32Array, next: BigInt64Array, gen: number, fn: KernelFn, args: number[], scratch: number, ran: number): void {
  const total = ctl[1];
  const tag = BigInt(gen) << 32n;
  for (;;) {
    const v = Atomics.load(next, 0);
    if ((v & ~0xffffffffn) !== tag) return;
    const c = Number(v & 0xffffffffn);
    if (c >= total) return;
    if (Atomics.compareExchange(next, 0, v, v + 1n) !== v) continue;
    if (Atomics.load(ctl, 5) === 0) {
      try {
        fn(...args, c, scratch);
      } catch {
        Atomics.compareExchange(ctl, 5, 0, c + 1);
      }
    }
    if (ran > 0) Atomics.add(ctl, ran, 1);
    if (Atomics.add(ctl, 2, 1) + 1 === total) Atomics.notify(ctl, 2);
  }
}

/** A worker's life: instantiate the module over the shared memory, then wait for jobs and drain them. */
function workerMain(data: WorkerData): void {
  const { module, memory, control, scratch, kernels, maxArgs, ran } = data;
  const { exports } = new WebAssembly.Instance(module, { env: { memory } });
  const fns = kernels.map((k) => exports[k] as KernelFn);
  const ctl = new Int32Array(control);
  const next = new BigInt64Array(control, 64, 1);
  const argv = new Float64Array(control, 128, maxArgs);
  Atomics.add(ctl, 7, 1); // READY
  Atomics.notify(ctl, 7);
  let seen = 0;
  for (;;) {
    Atomics.wait(ctl, 0, seen);
    if (Atomics.load(ctl, 6)) return;
    seen = Atomics.load(ctl, 0);
    const args = Array.from(argv.subarray(0, ctl[4]));
    drainChunks(ctl, next, seen, fns[ctl[3]], args, scratch, ran);
  }
}

interface WorkerData {
  module: WebAssembly.Module;
  memory: WebAssembly.Memory;
  control: SharedArrayBuffer;
  scratch: number;
  kernels: readonly string[];
  maxArgs: number;
  /** This worker's chunk counter (i32 index in the control block). */
  ran: number;
}

/**
 * The worker's program. Only the first line is written as text: bundlers rewrite a `require` inside
 * functions, and the functions below must reach the worker unchanged.
 */
const WORKER_SOURCE = `const { workerData } = require('node:worker_threads');
${drainChunks.toString()}
(${workerMain.toString()})(workerData);`;

export interface PoolInit {
  module: WebAssembly.Module;
  memory: WebAssembly.Memory;
  /** Export names, indexed by kernel id. */
  kernels: readonly string[];
  /** One scratch pointer per worker. */
  scratch: readonly number[];
  Worker: typeof NodeWorker;
}

/** Worker threads that help the calling thread drain jobs. */
export class WorkerPool {
  private readonly ctl: Int32Array;
  private readonly next: BigInt64Array;
  private readonly argv: Float64Array;
  private readonly workers: NodeWorker[];
  private gen = 0;
  private failure: Error | null = null;

  constructor(init: PoolInit) {
    const control = new SharedArrayBuffer(CONTROL_BYTES);
    this.ctl = new Int32Array(control);
    this.next = new BigInt64Array(control, 64, 1);
    this.argv = new Float64Array(control, 128, MAX_ARGS);
    if (init.scratch.length > MAX_WORKERS) throw new Error(`WorkerPool: at most ${MAX_WORKERS} workers; asked for ${init.scratch.length}`);
    this.workers = init.scratch.map((scratch, i) => {
      const workerData: WorkerData = {
        module: init.module,
        memory: init.memory,
        control,
        scratch,
        kernels: init.kernels,
        maxArgs: MAX_ARGS,
        ran: RAN + i,
      };
      const w = new init.Worker(WORKER_SOURCE, { eval: true, workerData });
      // the calling thread would quietly do all the work: remember the failure and report it on the next job
      w.on('error', (e) => (this.failure ??= new Error(`WebAssembly worker thread ${i + 1} failed: ${e.message}`)));
      w.unref(); // idle workers never keep the process alive
      return w;
    });
    // wait until every worker has instantiated the module, so the first kernels already run on all threads
    const deadline = performance.now() + START_TIMEOUT_MS;
    for (let ready = Atomics.load(this.ctl, READY); ready < this.workers.length; ready = Atomics.load(this.ctl, READY)) {
      const left = deadline - performance.now();
      if (left <= 0 || Atomics.wait(this.ctl, READY, ready, left) === 'timed-out') {
        void this.terminate();
        throw new Error(`WorkerPool: ${this.workers.length - ready} of ${this.workers.length} worker threads did not start within ${START_TIMEOUT_MS / 1000} s`);
      }
    }
  }

  /** Chunks each worker has run so far (the calling thread's are not counted). */
  chunksRun(): number[] {
    return this.workers.map((_, i) => Atomics.load(this.ctl, RAN + i));
  }

  /** Number of worker threads (the calling thread is not counted). */
  get size(): number {
    return this.workers.length;
  }

  /**
   * Runs fn(...args, chunk, scratch) for every chunk in [0, total), on the calling thread (with `scratch`)
   * and the workers (kernel id `kernel`, their own scratch); returns when all chunks are done. Returns the
   * first chunk that threw (+1) in any thread, else 0.
   */
  run(kernel: number, fn: KernelFn, args: readonly number[], total: number, scratch: number): number {
    if (this.failure) throw this.failure;
    const gen = (this.gen = (this.gen + 1) | 0);
    // order matters: retag NEXT before touching the arguments, publish GEN last
    Atomics.store(this.next, 0, BigInt(gen) << 32n);
    Atomics.store(this.ctl, TOTAL, total);
    Atomics.store(this.ctl, DONE, 0);
    Atomics.store(this.ctl, FAILED, 0);
    Atomics.store(this.ctl, KERNEL, kernel);
    Atomics.store(this.ctl, NARGS, args.length);
    this.argv.set(args);
    Atomics.store(this.ctl, GEN, gen);
    Atomics.notify(this.ctl, GEN, Math.min(this.workers.length, total - 1));
    drainChunks(this.ctl, this.next, gen, fn, [...args], scratch, 0);
    for (let done = Atomics.load(this.ctl, DONE); done < total; done = Atomics.load(this.ctl, DONE)) Atomics.wait(this.ctl, DONE, done);
    return Atomics.load(this.ctl, FAILED);
  }

  /** Stops the workers. */
  async terminate(): Promise<void> {
    Atomics.store(this.ctl, QUIT, 1);
    Atomics.store(this.ctl, GEN, (this.gen + 1) | 0);
    Atomics.notify(this.ctl, GEN);
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
