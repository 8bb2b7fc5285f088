// The allocator of tensor storage in WebAssembly memory: blocks in size classes (four per power of two, so
// at most 25% is wasted), freed blocks kept per class and handed out again, new blocks taken from the top,
// the memory grown on demand up to a limit. Training steps allocate the same shapes again and again, so
// exact-class reuse serves them without splitting or merging. Only when a request finds no room (generation
// with caches that grow through many sizes can leave gigabytes cached in classes nobody asks for again) are
// adjacent free blocks merged, the free end of the heap handed back to the top, and a larger free block split.
// Pure bookkeeping over byte offsets.
import { WasmOutOfMemoryError } from './errors.js';

/** Every block starts on a 64-byte cache line (also the f32x4 alignment the kernels like). */
export const BLOCK_ALIGN = 64;

/** The size class of a request: ≥ bytes, a multiple of 64, one of 2^k · {1, 1.25, 1.5, 1.75}. */
export function blockSize(bytes: number): number {
  if (bytes <= BLOCK_ALIGN) return BLOCK_ALIGN;
  const pow = 2 ** Math.floor(Math.log2(bytes));
  const step = Math.max(BLOCK_ALIGN, pow / 4);
  return Math.ceil(bytes / step) * step;
}

export interface AllocatorStats {
  /** Bytes in live blocks (rounded to their classes). */
  inUse: number;
  /** Bytes in freed blocks waiting for reuse. */
  cached: number;
  /** End of the highest block ever handed out. */
  top: number;
  /** Live blocks. */
  blocks: number;
}

/**
 * Hands out byte ranges [ptr, ptr + size) in [base, limit). `grow(minEnd)` must make the memory at least
 * minEnd bytes long or return false.
 */
export class BlockAllocator {
  private top: number;
  private readonly live = new Map<number, number>(); // ptr → block size
  private readonly free = new Map<number, number[]>(); // block size → ptrs
  private inUse = 0;
  private cached = 0;

  constructor(
    base: number,
    readonly limit: number,
    private readonly grow: (minEnd: number) => boolean,
  ) {
    this.top = Math.ceil(base / BLOCK_ALIGN) * BLOCK_ALIGN;
  }

  /** A block of at least `bytes` bytes, 64-byte aligned; WasmOutOfMemoryError when it cannot fit under the limit. */
  alloc(bytes: number): number {
    const want = blockSize(bytes);
    let block = this.reuse(want) ?? this.fromTop(want) ?? this.reuseLarger(want);
    if (block === null && this.coalesce()) block = this.reuse(want) ?? this.fromTop(want) ?? this.reuseLarger(want);
    if (block === null) throw new WasmOutOfMemoryError(bytes, this.inUse, this.limit);
    const [ptr, size] = block;
    this.live.set(ptr, size);
    this.inUse += size;
    return ptr;
  }

  /** Returns a block for reuse; freeing an address that is not a live block is a bug and throws. */
  release(ptr: number): void {
    const size = this.live.get(ptr);
    if (size === undefined) throw new Error(`WebAssembly memory: free of ${ptr}, which is not a live block (double free?)`);
    this.live.delete(ptr);
    this.inUse -= size;
    this.cached += size;
    this.addFree(ptr, size);
  }

  /** The size of the live block at ptr, or undefined. */
  sizeOf(ptr: number): number | undefined {
    return this.live.get(ptr);
  }

  stats(): AllocatorStats {
    return { inUse: this.inUse, cached: this.cached, top: this.top, blocks: this.live.size };
  }

  private reuse(size: number): [number, number] | null {
    const ptr = this.free.get(size)?.pop();
    if (ptr === undefined) return null;
    this.cached -= size;
    return [ptr, size];
  }

  private addFree(ptr: number, size: number): void {
    const list = this.free.get(size);
    if (list) list.push(ptr);
    else this.free.set(size, [ptr]);
  }

  /**
   * Merges adjacent free blocks and lowers the top past free blocks that end there; true when anything
   * changed. O(free blocks · log), run only when an allocation would otherwise fail.
   */
  private coalesce(): boolean {
    const blocks: [number, number][] = [];
    for (const [size, ptrs] of this.free) for (const ptr of ptrs) blocks.push([ptr, size]);
    if (blocks.length === 0) return false;
    blocks.sort((a, b) => a[0] - b[0]);
    const merged: [number, number][] = [];
    for (const [ptr, size] of blocks) {
      const last = merged[merged.length - 1];
      if (last && last[0] + last[1] === ptr) last[1] += size;
      else merged.push([ptr, size]);
    }
    const tail = merged[merged.length - 1];
    const lowersTop = tail[0] + tail[1] === this.top;
    if (merged.length === blocks.length && !lowersTop) return false;
    if (lowersTop) {
      merged.pop();
      this.top = tail[0];
      this.cached -= tail[1];
    }
    this.free.clear();
    for (const [ptr, size] of merged) this.addFree(ptr, size);
    return true;
  }

  private fromTop(size: number): [number, number] | null {
    const end = this.top + size;
    if (end > this.limit || !this.grow(end)) return null;
    const ptr = this.top;
    this.top = end;
    return [ptr, size];
  }

  /** Last resort before failing: the smallest cached block larger than `size`, split (its rest stays cached). */
  private reuseLarger(size: number): [number, number] | null {
    let best = Infinity;
    for (const [s, list] of this.free) if (s > size && s < best && list.length > 0) best = s;
    const block = best === Infinity ? null : this.reuse(best);
    if (!block) return null;
    const [ptr, whole] = block;
    this.addFree(ptr + size, whole - size); // sizes are multiples of 64, so the rest stays aligned
    this.cached += whole - size;
    return [ptr, size];
  }
}
