import { describe, expect, it } from 'vitest';
import { Rng } from '../util/rng.js';
import { testSeed } from '../testing/index.js';
import { BLOCK_ALIGN, BlockAllocator, blockSize } from './allocator.js';

const MiB = 1 << 20;
/** An allocator over [0, limit) whose memory can always grow up to the limit. */
const allocator = (limit: number) => new BlockAllocator(0, limit, (end) => end <= limit);

/** The longest stretch of [0, limit) not covered by a live block. */
function largestGap(a: BlockAllocator, live: Map<number, number>, limit: number): number {
  const spans = [...live.keys()].map((p) => [p, p + (a.sizeOf(p) ?? 0)]).sort((x, y) => x[0] - y[0]);
  let end = 0;
  let gap = 0;
  for (const [start, stop] of spans) {
    gap = Math.max(gap, start - end);
    end = stop;
  }
  return Math.max(gap, limit - end);
}

describe('BlockAllocator', () => {
  it('serves a request that only fits once adjacent free blocks of other classes are merged', () => {
    const a = allocator(8 * MiB);
    // fill the memory with blocks of three classes, then free them all: 8 MiB cached, none of it 5 MiB long
    const ptrs: number[] = [];
    for (let used = 0; used + 3 * MiB <= 8 * MiB; used += 3 * MiB) ptrs.push(a.alloc(MiB), a.alloc(1.25 * MiB), a.alloc(0.75 * MiB));
    const top = a.stats().top;
    for (const p of ptrs) a.release(p);
    expect(a.stats()).toMatchObject({ inUse: 0, cached: top, top });
    // nothing is free above the top and no single cached block is 5 MiB: only merging can serve it
    const big = a.alloc(5 * MiB);
    expect(big).toBe(0);
    expect(a.stats().inUse).toBe(5 * MiB);
  });

  it('hands the free end of the heap back to the top, and splits a larger free block', () => {
    const a = allocator(4 * MiB);
    const low = a.alloc(MiB);
    const high = a.alloc(2 * MiB);
    a.release(high);
    // 3 MiB asked with only 1 MiB above the top: the freed 2 MiB at the end goes back to the top first
    const x = a.alloc(3 * MiB);
    expect(x).toBe(MiB);
    a.release(x);
    a.release(low);
    const small = a.alloc(0.5 * MiB); // no 0.5 MiB class block cached: reuse a larger one, split
    expect(a.alloc(0.5 * MiB)).toBe(small + 0.5 * MiB);
  });

  it('never hands out overlapping blocks, whatever the sequence (fuzz)', () => {
    const seed = testSeed();
    const rng = new Rng(seed);
    const limit = 16 * MiB;
    const a = allocator(limit);
    const live = new Map<number, number>(); // ptr → requested bytes
    for (let i = 0; i < 3000; i++) {
      if (live.size > 0 && rng.uniform() < 0.45) {
        const ptrs = [...live.keys()];
        const p = ptrs[rng.int(ptrs.length)];
        a.release(p);
        live.delete(p);
        continue;
      }
      const bytes = 1 + Math.floor(rng.uniform() ** 3 * 2 * MiB);
      let p: number;
      try {
        p = a.alloc(bytes);
      } catch {
        // a refusal is allowed only when no gap between live blocks (or above the last one) could hold it
        expect(largestGap(a, live, limit), `seed ${seed}`).toBeLessThan(blockSize(bytes));
        continue;
      }
      expect(p % BLOCK_ALIGN, `seed ${seed}`).toBe(0);
      expect(p + bytes, `seed ${seed}`).toBeLessThanOrEqual(limit);
      live.set(p, bytes);
    }
    const spans = [...live.keys()].map((p) => [p, p + (a.sizeOf(p) ?? 0)]).sort((x, y) => x[0] - y[0]);
    for (let i = 1; i < spans.length; i++) expect(spans[i][0], `seed ${seed}`).toBeGreaterThanOrEqual(spans[i - 1][1]);
    for (const [p, b] of live) expect(a.sizeOf(p), `seed ${seed}`).toBeGreaterThanOrEqual(b);
    const st = a.stats();
    expect(st.inUse + st.cached, `seed ${seed}`).toBeLessThanOrEqual(st.top);
  });
});
