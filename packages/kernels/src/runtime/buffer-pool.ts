// Reuses GPU buffers by size class: creating a buffer is expensive in WebGPU and a training step makes
// hundreds of same-sized temporaries. Classes are 2^k, 1.25·2^k, 1.5·2^k, 1.75·2^k bytes (≤ 25% waste).

/** The size class a request of `bytes` is served from (≥ 256, multiple of 256 above that). */
export function sizeClass(bytes: number): number {
  const b = Math.max(256, bytes);
  const pow = 2 ** Math.floor(Math.log2(b));
  for (const f of [1, 1.25, 1.5, 1.75, 2]) {
    const c = Math.ceil((pow * f) / 256) * 256;
    if (c >= b) return c;
  }
  return pow * 2;
}

export class BufferPool {
  private readonly free = new Map<number, GPUBuffer[]>();
  private readonly owned = new Set<GPUBuffer>();
  /** Bytes in buffers handed out and not yet released. */
  bytesInUse = 0;
  /** Bytes held by the pool in total (in use + free). */
  bytesHeld = 0;

  constructor(
    private readonly device: GPUDevice,
    private readonly usage: GPUBufferUsageFlags,
    private readonly label: string,
  ) {}

  acquire(bytes: number): GPUBuffer {
    const size = sizeClass(bytes);
    const list = this.free.get(size);
    let buf = list?.pop();
    if (!buf) {
      buf = this.device.createBuffer({ size, usage: this.usage, label: `${this.label}_${size}` });
      this.owned.add(buf);
      this.bytesHeld += size;
    }
    this.bytesInUse += size;
    return buf;
  }

  release(buf: GPUBuffer): void {
    if (!this.owned.has(buf)) throw new Error(`BufferPool(${this.label}): released a buffer it does not own`);
    const list = this.free.get(buf.size) ?? [];
    list.push(buf);
    this.free.set(buf.size, list);
    this.bytesInUse -= buf.size;
  }

  /** Destroys every free buffer (those in use are kept). */
  trim(): void {
    for (const list of this.free.values()) {
      for (const b of list) {
        this.owned.delete(b);
        this.bytesHeld -= b.size;
        b.destroy();
      }
    }
    this.free.clear();
  }

  destroyAll(): void {
    for (const b of this.owned) b.destroy();
    this.owned.clear();
    this.free.clear();
    this.bytesHeld = 0;
    this.bytesInUse = 0;
  }
}
