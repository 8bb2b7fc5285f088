// WasmRuntime: the home of CPU tensors. One shared WebAssembly.Memory holds every tensor's storage (handed
// out as typed-array views by a size-class allocator), one instance of kernels.wasm per thread runs the
// SIMD kernels on it in place, and a pool of worker threads splits large kernels into chunks.
import type * as NodeFs from 'node:fs';
import type * as NodeOs from 'node:os';
import type * as NodeUrl from 'node:url';
import type * as NodeWorkers from 'node:worker_threads';
import { ShapeError } from '../errors.js';
import { BlockAllocator, type AllocatorStats } from './allocator.js';
import { WasmUnavailableError } from './errors.js';
import { WASM_KERNELS, type WasmKernel } from './kernel-names.js';
import { MAX_ARGS, MAX_WORKERS, WorkerPool } from './pool.js';

const PAGE = 65536;
/** The wasm32 ceiling and the module's declared maximum. */
const MAX_PAGES = 65536;
/** Below this address nothing is allocated, so 0 can mean "no buffer" (e.g. no bias). */
const HEAP_BASE = PAGE;
/** Per-thread scratch for kernels: matmul packs a 64 × 256 block of A there (64 KiB), others keep row buffers. */
export const SCRATCH_BYTES = 128 * 1024;
/** Work (in ~1 ns elementwise steps) below which one thread finishes before the workers would wake (~20-50 µs). */
export const PARALLEL_MIN_WORK = 1 << 17;

export interface WasmRuntimeOptions {
  /** Threads including the calling one (default: HIPPO_THREADS, else the available cores). */
  threads?: number;
  /** Memory limit in bytes (default and maximum 4 GiB, the wasm32 limit). */
  maxBytes?: number;
}

export interface WasmMemoryStats extends AllocatorStats {
  /** Current size of the WebAssembly memory in bytes. */
  memoryBytes: number;
  /** Growth limit in bytes. */
  limitBytes: number;
}

type Builtins = { fs: typeof NodeFs; os: typeof NodeOs; url: typeof NodeUrl; workers: typeof NodeWorkers };

/** Node's built-in modules, looked up at run time so that browser bundles of this package never import them. */
function nodeBuiltins(): Builtins | null {
  const get = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process?.getBuiltinModule;
  if (!get) return null;
  return {
    fs: get('node:fs') as typeof NodeFs,
    os: get('node:os') as typeof NodeOs,
    url: get('node:url') as typeof NodeUrl,
    workers: get('node:worker_threads') as typeof NodeWorkers,
  };
}

let compiled: WebAssembly.Module | null = null;

/** kernels.wasm, compiled once per process. It sits next to this file in src/wasm and next to the bundle in dist. */
function kernelsModule(node: Builtins): WebAssembly.Module {
  if (compiled) return compiled;
  const path = node.url.fileURLToPath(new URL('./kernels.wasm', import.meta.url));
  let bytes: Uint8Array<ArrayBuffer>;
  try {
    bytes = new Uint8Array(node.fs.readFileSync(path));
  } catch (e) {
    throw new WasmUnavailableError(`cannot read ${path} (${(e as Error).message}); build it with 'pnpm --filter @hippo/kernels build:wasm'`);
  }
  try {
    compiled = new WebAssembly.Module(bytes);
  } catch (e) {
    throw new WasmUnavailableError(`this engine cannot compile kernels.wasm, which needs WebAssembly SIMD128 and threads: ${(e as Error).message}`);
  }
  const exported = new Set(WebAssembly.Module.exports(compiled).map((d) => d.name));
  const missing = WASM_KERNELS.filter((k) => !exported.has(k));
  if (missing.length > 0) {
    compiled = null;
    throw new WasmUnavailableError(`${path} lacks ${missing.join(', ')} (stale build?); rebuild with 'pnpm --filter @hippo/kernels build:wasm'`);
  }
  return compiled;
}

/** HIPPO_THREADS if set (a positive integer), else the cores this process may use. */
export function defaultThreads(): number {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.HIPPO_THREADS;
  if (env !== undefined && env !== '') {
    const n = Number(env);
    if (!Number.isInteger(n) || n < 1) throw new Error(`HIPPO_THREADS must be a positive integer; got '${env}'`);
    return n;
  }
  return nodeBuiltins()?.os.availableParallelism() ?? 1;
}

let shared: WasmRuntime | null = null;

/**
 * Shared WebAssembly memory, its allocator, and the threads that run the SIMD kernels of kernels.wasm on it.
 * Storage is handed out as Float32Array / Int32Array views; kernels take such views and run without copies.
 *
 * @example
 * const rt = WasmRuntime.create({ threads: 2 });
 * const x = rt.allocF32(1024);        // a Float32Array view into WebAssembly memory, zero-filled on first use
 * x.fill(1);
 * rt.free(x);                         // the block is reused by the next allocation of its size class
 */
export class WasmRuntime {
  /** Threads that run kernels, including the calling thread. */
  readonly threads: number;
  readonly memory: WebAssembly.Memory;
  private readonly allocator: BlockAllocator;
  private readonly fns: ((...args: number[]) => void)[];
  private readonly pool: WorkerPool | null;
  private readonly scratch: number[];
  private readonly buffers = new WeakSet<ArrayBufferLike>();
  private disposed = false;

  private constructor(node: Builtins, opts: WasmRuntimeOptions) {
    const module = kernelsModule(node);
    const threads = opts.threads ?? defaultThreads();
    if (!Number.isInteger(threads) || threads < 1 || threads > MAX_WORKERS + 1)
      throw new Error(`WasmRuntime: threads must be an integer in [1, ${MAX_WORKERS + 1}]; got ${threads}`);
    const maxBytes = Math.min(opts.maxBytes ?? MAX_PAGES * PAGE, MAX_PAGES * PAGE);
    const maximum = Math.floor(maxBytes / PAGE);
    if (maximum < 2) throw new Error(`WasmRuntime: maxBytes must be at least ${2 * PAGE}; got ${opts.maxBytes}`);
    try {
      this.memory = new WebAssembly.Memory({ initial: 2, maximum, shared: true });
    } catch (e) {
      throw new WasmUnavailableError(`shared WebAssembly memory is not available: ${(e as Error).message}`);
    }
    this.threads = threads;
    this.allocator = new BlockAllocator(HEAP_BASE, maximum * PAGE, (end) => this.growTo(end));
    const { exports } = new WebAssembly.Instance(module, { env: { memory: this.memory } });
    this.fns = WASM_KERNELS.map((k) => exports[k] as (...args: number[]) => void);
    this.scratch = Array.from({ length: threads }, () => this.allocator.alloc(SCRATCH_BYTES));
    this.pool =
      threads > 1
        ? new WorkerPool({ module, memory: this.memory, kernels: WASM_KERNELS, scratch: this.scratch.slice(1), Worker: node.workers.Worker })
        : null;
  }

  /**
   * A runtime of its own (tests compare thread counts this way); returns once its worker threads have started
   * (~30 ms). Throws WasmUnavailableError where it cannot run.
   */
  static create(opts: WasmRuntimeOptions = {}): WasmRuntime {
    const node = nodeBuiltins();
    if (!node) throw new WasmUnavailableError('it needs Node.js ≥ 20.16 (process.getBuiltinModule) to load kernels.wasm and start worker threads');
    return new WasmRuntime(node, opts);
  }

  /** The process-wide runtime with HIPPO_THREADS threads (default: available cores), created on first use. */
  static shared(): WasmRuntime {
    return (shared ??= WasmRuntime.create());
  }

  /** A zero-filled-on-growth, 64-byte-aligned float32 view of n elements (contents of a reused block are stale). */
  allocF32(n: number): Float32Array {
    const ptr = this.allocBytes(n * 4);
    return new Float32Array(this.buffer(), ptr, n);
  }

  /** An int32 view of n elements (see allocF32). */
  allocI32(n: number): Int32Array {
    const ptr = this.allocBytes(n * 4);
    return new Int32Array(this.buffer(), ptr, n);
  }

  /** A copy of `data` in this runtime's memory (a fresh block of its type). */
  copyIn<T extends Float32Array | Int32Array>(data: T): T {
    const view = (data instanceof Int32Array ? this.allocI32(data.length) : this.allocF32(data.length)) as T;
    view.set(data);
    return view;
  }

  /** Returns a view's block for reuse. The view must come from allocF32/allocI32 of this runtime and not be used again. */
  free(view: Float32Array | Int32Array): void {
    this.arg(view, 0, 'free', 'view');
    if (view.length > 0) this.allocator.release(view.byteOffset);
  }

  /** Whether a view lies in this runtime's memory. */
  owns(view: ArrayBufferView): boolean {
    return this.buffers.has(view.buffer);
  }

  /**
   * The byte address of `view` for a kernel that touches its first n elements. Throws (naming fn and param)
   * unless the view is in this runtime's memory and has at least n elements.
   */
  arg(view: Float32Array | Int32Array, n: number, fn: string, param: string): number {
    if (!this.owns(view)) throw new Error(`${fn}: ${param} is not in this WasmRuntime's memory (allocate it with allocF32/allocI32)`);
    if (view.length < n) throw new ShapeError(fn, param, `at least ${n} elements`, `${view.length}`);
    return view.byteOffset;
  }

  /**
   * A temporary block of `bytes` for the duration of fn (e.g. packed operands), freed afterwards.
   */
  withTemp<T>(bytes: number, fn: (ptr: number) => T): T {
    const ptr = this.allocBytes(bytes);
    try {
      return fn(ptr);
    } finally {
      if (bytes > 0) this.allocator.release(ptr);
    }
  }

  /**
   * Calls kernel(...args, chunk, scratch) for chunk = 0..chunks−1: on this thread alone when there is one
   * chunk, one thread, or `serial` (work too small to pay for waking the workers, ~20-50 µs), else shared
   * with the workers. Returns when every chunk is done.
   */
  run(kernel: WasmKernel, args: readonly number[], chunks: number, serial = false): void {
    if (this.disposed) throw new Error(`WasmRuntime.run(${kernel}): the runtime was disposed`);
    if (args.length > MAX_ARGS) throw new Error(`WasmRuntime.run(${kernel}): ${args.length} arguments, at most ${MAX_ARGS}`);
    const id = WASM_KERNELS.indexOf(kernel);
    const fn = this.fns[id];
    const scratch = this.scratch[0];
    if (chunks <= 1 || serial || !this.pool) {
      for (let c = 0; c < chunks; c++) fn(...args, c, scratch);
      return;
    }
    const failed = this.pool.run(id, fn, args, chunks, scratch);
    if (failed) {
      // rerun the failing chunk here so its own error (a trap message) surfaces with the kernel's name
      try {
        fn(...args, failed - 1, scratch);
      } catch (e) {
        throw new Error(`WebAssembly kernel ${kernel} failed on chunk ${failed - 1}: ${(e as Error).message}`);
      }
      throw new Error(`WebAssembly kernel ${kernel} failed on chunk ${failed - 1} in a worker thread`);
    }
  }

  /**
   * Runs kernel(...args, per, chunk, scratch) over `items` items, `per` to a chunk (the kernel maps chunk c to
   * items c·per ..), in parallel when items · cost (≈ ns per item) pays for waking the workers.
   */
  runItems(kernel: WasmKernel, args: readonly number[], items: number, per: number, cost = 1): void {
    this.run(kernel, [...args, per], Math.ceil(items / per), items * cost < PARALLEL_MIN_WORK);
  }

  /** Chunks each worker thread has run (for tests and diagnostics; the calling thread is not counted). */
  workerChunks(): number[] {
    return this.pool?.chunksRun() ?? [];
  }

  stats(): WasmMemoryStats {
    return { ...this.allocator.stats(), memoryBytes: this.memory.buffer.byteLength, limitBytes: this.allocator.limit };
  }

  /** Stops the worker threads; the runtime cannot run kernels afterwards. */
  async dispose(): Promise<void> {
    this.disposed = true;
    if (shared === this) shared = null;
    await this.pool?.terminate();
  }

  private allocBytes(bytes: number): number {
    if (this.disposed) throw new Error('WasmRuntime: allocation after dispose()');
    return bytes === 0 ? HEAP_BASE : this.allocator.alloc(bytes);
  }

  /** The memory's current buffer; views made from older buffers (before a grow) stay valid. */
  private buffer(): SharedArrayBuffer {
    const b = this.memory.buffer as unknown as SharedArrayBuffer;
    this.buffers.add(b);
    return b;
  }

  /** Grows the memory to at least `end` bytes (by a quarter more, to grow rarely), within the limit. */
  private growTo(end: number): boolean {
    const have = this.memory.buffer.byteLength;
    if (end <= have) return true;
    const limit = this.allocator.limit;
    const want = Math.min(limit, Math.max(end, have + have / 4));
    try {
      this.memory.grow(Math.ceil((want - have) / PAGE));
      return true;
    } catch {
      return false;
    }
  }
}
