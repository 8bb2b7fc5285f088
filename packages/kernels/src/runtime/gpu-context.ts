// One GpuContext per device: adapter + device acquisition, the limits the kernels need, a pipeline cache
// keyed by typed kernel keys (also the GPU labels), buffer pools, and a queue of dispatches submitted in
// one command encoder until something needs the results (readback) or new data (upload).
import { GpuUnavailableError, KernelCompileError } from '../errors.js';
import { BufferPool } from './buffer-pool.js';
import { kernelKey, type KernelKeyParts } from './kernel-key.js';
import type { UniformField, UniformStruct, UniformValues } from './uniform.js';

/** How a kernel uses each storage binding, in binding order after the optional uniform at binding 0. */
export type BindingKind = 'read' | 'rw';

export interface KernelSpec<F extends Record<string, UniformField> = Record<string, UniformField>> {
  key: KernelKeyParts;
  /** WGSL source; the uniform struct's declaration and the libraries are prepended to it. */
  source: string;
  /** Shared WGSL snippets (helper functions) the source calls, e.g. workgroup reductions. */
  libraries?: readonly string[];
  uniform?: UniformStruct<F>;
  bindings: readonly BindingKind[];
  /** Values for the shader's `override` constants. */
  constants?: Record<string, number>;
}

/** A buffer bound with an explicit range (pooled buffers are larger than the tensors they hold). */
export interface BufferRange {
  buffer: GPUBuffer;
  offset?: number;
  size?: number;
}

export interface Kernel<F extends Record<string, UniformField> = Record<string, UniformField>> {
  readonly key: string;
  dispatch(buffers: readonly (GPUBuffer | BufferRange)[], params: UniformValues<F> | null, workgroups: readonly number[]): void;
}

export interface AdapterDescription {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  isFallbackAdapter: boolean;
}

export interface GpuContextOptions {
  powerPreference?: GPUPowerPreference;
  /** Extra Dawn toggles for Node, e.g. `['backend=vulkan']`. */
  dawnOptions?: string[];
}

const UNIFORM_BYTES = 256;
// Dawn frees its native instance when the object returned by create() is garbage-collected, while
// in-flight work still points at it (a native crash). Every live context's instance is pinned here.
const PINNED = Symbol.for('hippo.webgpu.pinned');
type Pinned = { [PINNED]?: Set<unknown> };

export class GpuContext {
  private readonly kernels = new Map<string, Kernel>();
  private readonly layouts = new Map<string, GPUBindGroupLayout>();
  private readonly storage: BufferPool;
  private readonly staging: BufferPool;
  private readonly uniformFree: GPUBuffer[] = [];
  private uniformPending: GPUBuffer[] = [];
  private encoder: GPUCommandEncoder | null = null;
  private pass: GPUComputePassEncoder | null = null;
  private readonly errors: Promise<KernelCompileError | null>[] = [];
  /** Number of dispatches recorded since creation (for tests and benchmarks). */
  dispatchCount = 0;

  private constructor(
    readonly device: GPUDevice,
    readonly adapter: AdapterDescription,
    private readonly instance: unknown,
  ) {
    this.storage = new BufferPool(device, GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST, 'storage');
    this.staging = new BufferPool(device, GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST, 'staging');
    const pinned = globalThis as Pinned;
    (pinned[PINNED] ??= new Set()).add(instance);
    void device.lost.then((info) => {
      if (info.reason !== 'destroyed') console.error(`hippo: WebGPU device lost (${info.reason}): ${info.message}`);
    });
  }

  /** Acquires an adapter and device. Throws GpuUnavailableError (with what to install) when there is none. */
  static async create(opts: GpuContextOptions = {}): Promise<GpuContext> {
    let gpu: GPU;
    let instance: unknown = null;
    const nav = (globalThis as { navigator?: { gpu?: GPU } }).navigator;
    if (nav?.gpu) {
      gpu = nav.gpu;
    } else {
      let mod: { create(opts: string[]): GPU; globals: Record<string, unknown> };
      try {
        const name = 'webgpu'; // a variable keeps browser bundlers from resolving the Node-only package
        mod = await import(/* @vite-ignore */ name);
      } catch (e) {
        throw new GpuUnavailableError(`the 'webgpu' package (Dawn for Node) could not be loaded: ${(e as Error).message}`);
      }
      Object.assign(globalThis, mod.globals);
      gpu = mod.create(opts.dawnOptions ?? []);
      instance = gpu;
    }
    const adapter = await gpu.requestAdapter({ powerPreference: opts.powerPreference ?? 'high-performance' });
    if (!adapter) throw new GpuUnavailableError('requestAdapter() returned null (no Vulkan/Metal/D3D12 driver found)');
    const want: (keyof GPUSupportedLimits)[] = [
      'maxComputeWorkgroupStorageSize',
      'maxStorageBufferBindingSize',
      'maxBufferSize',
      'maxComputeInvocationsPerWorkgroup',
      'maxComputeWorkgroupSizeX',
      'maxComputeWorkgroupSizeY',
      'maxStorageBuffersPerShaderStage',
      'maxComputeWorkgroupsPerDimension',
    ];
    const requiredLimits: Record<string, number> = {};
    for (const k of want) requiredLimits[k] = adapter.limits[k] as number;
    const requiredFeatures = (['timestamp-query', 'shader-f16', 'subgroups'] as GPUFeatureName[]).filter((f) =>
      adapter.features.has(f),
    );
    const device = await adapter.requestDevice({ requiredLimits, requiredFeatures, label: 'hippo' });
    const info = adapter.info;
    const desc: AdapterDescription = {
      vendor: info.vendor,
      architecture: info.architecture,
      device: info.device,
      description: info.description,
      isFallbackAdapter: (info as { isFallbackAdapter?: boolean }).isFallbackAdapter ?? false,
    };
    return new GpuContext(device, desc, instance ?? gpu);
  }

  /** One line naming the adapter, e.g. "mesa llvmpipe (llvmpipe: Mesa 25.0.7 ...) [fallback]". */
  describe(): string {
    const a = this.adapter;
    return `${a.vendor || '?'} ${a.architecture || '?'} (${a.description || a.device || 'no description'})${a.isFallbackAdapter ? ' [fallback adapter]' : ''}`;
  }

  get limits(): GPUSupportedLimits {
    return this.device.limits;
  }

  /** Gets or compiles a kernel; compile/validation errors surface (with the key) at the next flush/read. */
  kernel<F extends Record<string, UniformField>>(spec: KernelSpec<F>): Kernel<F> {
    const key = kernelKey(spec.key);
    const cached = this.kernels.get(key);
    if (cached) return cached as unknown as Kernel<F>;
    const kinds: string[] = spec.uniform ? ['uniform', ...spec.bindings] : [...spec.bindings];
    const layout = this.layout(kinds);
    const code = [spec.uniform?.wgsl ?? '', ...(spec.libraries ?? []), spec.source].join('\n');
    this.device.pushErrorScope('validation');
    const module = this.device.createShaderModule({ code, label: key });
    this.watch(key, 'createShaderModule', module);
    this.device.pushErrorScope('validation');
    const pipeline = this.device.createComputePipeline({
      label: key,
      layout: this.device.createPipelineLayout({ bindGroupLayouts: [layout], label: key }),
      compute: { module, entryPoint: 'main', constants: spec.constants },
    });
    this.watch(key, 'createComputePipeline');
    const ctx = this;
    const hasUniform = !!spec.uniform;
    const kernel: Kernel<F> = {
      key,
      dispatch(buffers, params, workgroups) {
        const entries: GPUBindGroupEntry[] = [];
        if (hasUniform) {
          if (!params) throw new Error(`kernel ${key}: params required`);
          const ubuf = ctx.uniformBuffer();
          ctx.device.queue.writeBuffer(ubuf, 0, spec.uniform!.pack(params));
          entries.push({ binding: 0, resource: { buffer: ubuf, size: spec.uniform!.byteSize } });
        }
        const base = hasUniform ? 1 : 0;
        buffers.forEach((b, i) => {
          const r = 'buffer' in b ? b : { buffer: b };
          entries.push({ binding: base + i, resource: { buffer: r.buffer, offset: r.offset ?? 0, size: r.size } });
        });
        if (entries.length - base !== spec.bindings.length)
          throw new Error(`kernel ${key}: expected ${spec.bindings.length} buffers, got ${entries.length - base}`);
        const bindGroup = ctx.device.createBindGroup({ layout, entries, label: key });
        const pass = ctx.computePass();
        pass.setPipeline(pipeline);
        pass.setBindGroup(0, bindGroup);
        const [x, y = 1, z = 1] = workgroups;
        if (x > 0 && y > 0 && z > 0) pass.dispatchWorkgroups(x, y, z);
        ctx.dispatchCount++;
      },
    };
    this.kernels.set(key, kernel as unknown as Kernel);
    return kernel;
  }

  /** Splits `n` workgroups over x (≤ the per-dimension limit) and y; kernels rebuild the linear index. */
  grid(n: number): [number, number] {
    const maxX = this.device.limits.maxComputeWorkgroupsPerDimension;
    if (n <= maxX) return [Math.max(n, 0), 1];
    const y = Math.ceil(n / maxX);
    return [Math.ceil(n / y), y];
  }

  /** A pooled storage buffer of at least `bytes`. Its contents are undefined. */
  acquire(bytes: number): GPUBuffer {
    return this.storage.acquire(bytes);
  }

  release(buf: GPUBuffer): void {
    this.storage.release(buf);
  }

  /** Bytes of storage in use / held by the pool. */
  memory(): { inUse: number; held: number } {
    return { inUse: this.storage.bytesInUse, held: this.storage.bytesHeld };
  }

  /** Writes data into a buffer; pending work is submitted first so it cannot observe the new contents. */
  upload(buf: GPUBuffer, data: ArrayBufferView, byteOffset = 0): void {
    this.flush();
    let bytes = new Uint8Array(data.buffer as ArrayBuffer, data.byteOffset, data.byteLength);
    // writeBuffer needs a multiple of 4 bytes
    if (bytes.byteLength % 4 !== 0) {
      const padded = new Uint8Array(Math.ceil(bytes.byteLength / 4) * 4);
      padded.set(bytes);
      bytes = padded;
    }
    this.device.queue.writeBuffer(buf, byteOffset, bytes);
  }

  /** Records a buffer-to-buffer copy in the pending encoder. */
  copy(src: GPUBuffer, srcOffset: number, dst: GPUBuffer, dstOffset: number, bytes: number): void {
    this.endPass();
    this.commandEncoder().copyBufferToBuffer(src, srcOffset, dst, dstOffset, bytes);
  }

  /** Submits pending work, then reads `bytes` from `buf` back to the CPU. */
  async read(buf: GPUBuffer, bytes: number, byteOffset = 0): Promise<ArrayBuffer> {
    const size = Math.ceil(bytes / 4) * 4;
    const staging = this.staging.acquire(size);
    this.copy(buf, byteOffset, staging, 0, size);
    this.flush();
    await this.checkErrors();
    await staging.mapAsync(GPUMapMode.READ, 0, size);
    const out = staging.getMappedRange(0, size).slice(0, bytes);
    staging.unmap();
    this.staging.release(staging);
    return out;
  }

  /** Submits everything recorded so far (never waits). */
  flush(): void {
    this.endPass();
    if (!this.encoder) return;
    this.device.pushErrorScope('validation');
    const cmd = this.encoder.finish();
    this.encoder = null;
    this.device.queue.submit([cmd]);
    this.watch('submit', 'queue.submit');
    // queue order makes later writeBuffer calls land after this submission, so the uniforms can be reused
    this.uniformFree.push(...this.uniformPending);
    this.uniformPending = [];
  }

  /** Submits pending work and waits until the device has finished it. */
  async sync(): Promise<void> {
    this.flush();
    await this.device.queue.onSubmittedWorkDone();
    await this.checkErrors();
  }

  /** Throws the first WGSL compile/validation error recorded so far, naming the kernel key. */
  async checkErrors(): Promise<void> {
    const pending = this.errors.splice(0);
    const found = (await Promise.all(pending)).filter((e): e is KernelCompileError => e !== null);
    if (found.length > 0) throw found[0];
  }

  destroy(): void {
    this.endPass();
    this.encoder = null;
    this.storage.destroyAll();
    this.staging.destroyAll();
    for (const b of [...this.uniformFree, ...this.uniformPending]) b.destroy();
    this.device.destroy();
    (globalThis as Pinned)[PINNED]?.delete(this.instance);
  }

  private layout(kinds: string[]): GPUBindGroupLayout {
    const id = kinds.join(',');
    let layout = this.layouts.get(id);
    if (!layout) {
      layout = this.device.createBindGroupLayout({
        label: `layout_${kinds.join('_')}`,
        entries: kinds.map((k, binding) => ({
          binding,
          visibility: GPUShaderStage.COMPUTE,
          buffer: { type: k === 'uniform' ? 'uniform' : k === 'read' ? 'read-only-storage' : 'storage' },
        })),
      });
      this.layouts.set(id, layout);
    }
    return layout;
  }

  private watch(key: string, step: string, module?: GPUShaderModule): void {
    const scope = this.device.popErrorScope();
    this.errors.push(
      scope.then(async (err) => {
        if (!err) return null;
        let detail = err.message;
        if (module) {
          const info = await module.getCompilationInfo();
          const lines = info.messages.map((m) => `  ${m.type} at line ${m.lineNum}:${m.linePos}: ${m.message}`);
          if (lines.length) detail += '\n' + lines.join('\n');
        }
        return new KernelCompileError(key, step, detail);
      }),
    );
  }

  private commandEncoder(): GPUCommandEncoder {
    return (this.encoder ??= this.device.createCommandEncoder({ label: 'hippo' }));
  }

  private computePass(): GPUComputePassEncoder {
    return (this.pass ??= this.commandEncoder().beginComputePass());
  }

  private endPass(): void {
    if (this.pass) {
      this.pass.end();
      this.pass = null;
    }
  }

  private uniformBuffer(): GPUBuffer {
    const buf =
      this.uniformFree.pop() ??
      this.device.createBuffer({ size: UNIFORM_BYTES, usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST, label: 'uniform' });
    this.uniformPending.push(buf);
    return buf;
  }
}
