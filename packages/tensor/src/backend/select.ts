// Backend choice: webgpu when an adapter exists, else cpu — said once. HIPPO_BACKEND=cpu|webgpu overrides.
// The cpu backend is WebAssembly SIMD with threads where the engine has them, else the TypeScript reference.
import { WasmUnavailableError } from '@hippo/kernels';
import type { Backend, BackendName } from './backend.js';
import { CpuBackend } from './cpu.js';
import { WasmBackend } from './wasm.js';
import { WebGpuBackend } from './webgpu.js';

let cpu: Backend | null = null;
let reference: CpuBackend | null = null;
let webgpu: Promise<WebGpuBackend> | null = null;
let announced = false;

/**
 * The process-wide cpu backend: WasmBackend (WebAssembly SIMD kernels on HIPPO_THREADS threads, float64 on
 * the references), or, where WebAssembly SIMD or shared memory is missing, the TypeScript CpuBackend (said once).
 */
export function cpuBackend(): Backend {
  if (cpu) return cpu;
  try {
    cpu = WasmBackend.create();
  } catch (e) {
    if (!(e instanceof WasmUnavailableError)) throw e;
    console.error(`hippo: ${e.message} — the cpu backend runs the TypeScript reference kernels instead (about 10× slower)`);
    cpu = referenceBackend();
  }
  return cpu;
}

/** The process-wide TypeScript reference backend (CpuBackend): the oracle the other backends are tested against. */
export function referenceBackend(): CpuBackend {
  return (reference ??= new CpuBackend());
}

/** The process-wide webgpu backend (throws GpuUnavailableError with what to install when there is no adapter). */
export function webgpuBackend(): Promise<WebGpuBackend> {
  webgpu ??= WebGpuBackend.create();
  webgpu.catch(() => {
    webgpu = null;
  });
  return webgpu;
}

/** A backend by name. */
export async function getBackend(name: BackendName): Promise<Backend> {
  return name === 'cpu' ? cpuBackend() : webgpuBackend();
}

/**
 * The default backend: HIPPO_BACKEND if set; else webgpu on a hardware adapter; else cpu — also when the only
 * adapter is a software fallback (Mesa lavapipe, SwiftShader), which runs WGSL on the CPU far slower than the
 * cpu backend's WebAssembly kernels (h3-tiny training on 2 cores: 26 tok/s on lavapipe vs ~450 on cpu). Logs
 * its choice once (pass `log: null` to stay silent).
 */
export async function defaultBackend(log: ((line: string) => void) | null = console.error): Promise<Backend> {
  const env = typeof process !== 'undefined' ? process.env.HIPPO_BACKEND : undefined;
  let backend: Backend;
  let why: string;
  if (env === 'cpu' || env === 'webgpu') {
    backend = await getBackend(env);
    why = 'HIPPO_BACKEND';
  } else {
    if (env) throw new Error(`HIPPO_BACKEND must be 'cpu' or 'webgpu'; got '${env}'`);
    try {
      const gpu = await webgpuBackend();
      if (gpu.ctx.adapter.isFallbackAdapter) {
        backend = cpuBackend();
        why = `the WebGPU adapter is a software fallback (${gpu.ctx.describe()}), slower than the cpu backend; HIPPO_BACKEND=webgpu uses it anyway`;
      } else {
        backend = gpu;
        why = 'a WebGPU adapter was found';
      }
    } catch (e) {
      backend = cpuBackend();
      why = `no WebGPU adapter (${(e as Error).message.split('\n')[0]})`;
    }
  }
  if (!announced && log) log(`hippo: backend ${backend.describe()} — ${why}`);
  announced = true;
  return backend;
}
