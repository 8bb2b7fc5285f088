import { describe, expect, it } from 'vitest';
import { sizeClass } from './buffer-pool.js';
import { kernelKey } from './kernel-key.js';
import { uniformStruct } from './uniform.js';

describe('uniformStruct', () => {
  it('lays fields out by WGSL alignment rules and packs them there', () => {
    const S = uniformStruct('Params', { n: 'u32', alpha: 'f32', dims: 'vec4u', k: 'i32' });
    expect(S.offsets).toEqual({ n: 0, alpha: 4, dims: 16, k: 32 });
    expect(S.byteSize).toBe(48);
    expect(S.wgsl).toBe('struct Params {\n  n: u32,\n  alpha: f32,\n  dims: vec4<u32>,\n  k: i32,\n}\n');
    const v = new DataView(S.pack({ n: 7, alpha: 0.5, dims: [1, 2, 3, 4], k: -3 }));
    expect([v.getUint32(0, true), v.getFloat32(4, true), v.getUint32(28, true), v.getInt32(32, true)]).toEqual([7, 0.5, 4, -3]);
  });
});

describe('kernelKey and sizeClass', () => {
  it('renders typed keys op-first', () => {
    expect(kernelKey({ op: 'matmul', tile: 64, transA: true })).toBe('matmul_tile64_transAtrue');
  });
  it('rounds sizes up by at most 25% (min 256 bytes)', () => {
    expect(sizeClass(1)).toBe(256);
    for (const b of [257, 1000, 4097, 123457, 10_000_000]) {
      const c = sizeClass(b);
      expect(c).toBeGreaterThanOrEqual(b);
      expect(c).toBeLessThanOrEqual(Math.max(b * 1.25 + 256, 512));
    }
  });
});
