import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DTypeError, FileFormatError, Rng, ShapeError } from '@hippo/kernels';
import { testSeed } from '@hippo/kernels/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  decodeSafetensors,
  dtypeBytes,
  encodeSafetensors,
  fromFloat32,
  fromInt32,
  MAX_HEADER_BYTES,
  readSafetensors,
  SAFETENSORS_DTYPES,
  toFloat32,
  toInt32,
  writeSafetensors,
  type RawTensor,
  type SafetensorsDType,
} from './safetensors.js';

const seed = testSeed();
const rng = new Rng(seed);
const replay = `replay with HIPPO_SEED=${seed}`;

function randomTensor(dtype: SafetensorsDType, shape: number[]): RawTensor {
  const n = shape.reduce((a, b) => a * b, 1) * dtypeBytes(dtype);
  const data = new Uint8Array(n);
  for (let i = 0; i < n; i++) data[i] = rng.int(256);
  return { dtype, shape, data };
}

/** A file from a hand-written header: the u64 length (the JSON's byte length unless given), the JSON, the data. */
function fileOf(header: string, data: ArrayLike<number> = [], length?: bigint): Uint8Array {
  const json = new TextEncoder().encode(header);
  const out = new Uint8Array(8 + json.length + data.length);
  new DataView(out.buffer).setBigUint64(0, length ?? BigInt(json.length), true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}

/** One tensor entry's JSON. */
function ent(dtype: string, shape: string, offsets: string): string {
  return `{"dtype":"${dtype}","shape":${shape},"data_offsets":${offsets}}`;
}

/** The FileFormatError decoding `bytes` throws; anything else (or no error) fails the test. */
function refusal(bytes: Uint8Array): FileFormatError {
  try {
    decodeSafetensors(bytes, 'bad.safetensors');
  } catch (e) {
    if (e instanceof FileFormatError) return e;
    throw new Error(`expected FileFormatError, got ${String(e)}`);
  }
  throw new Error('expected FileFormatError, but the file decoded');
}

describe('round trip', () => {
  const shapes = [[], [0], [1], [3, 5]];
  for (const dtype of SAFETENSORS_DTYPES) {
    it(`keeps ${dtype} tensors of shapes [], [0], [1], [3,5] byte-exact`, () => {
      const tensors = new Map(shapes.map((s, i) => [`t${i}`, randomTensor(dtype, s)] as const));
      const back = decodeSafetensors(encodeSafetensors(tensors));
      expect(back.tensors.size).toBe(shapes.length);
      for (const [name, t] of tensors) {
        const got = back.tensors.get(name);
        expect(got?.dtype, replay).toBe(dtype);
        expect(got?.shape, replay).toEqual(t.shape);
        expect(got?.data, replay).toEqual(t.data);
      }
      expect(back.metadata).toEqual({});
    });
  }

  it('keeps mixed dtypes, odd names and metadata (including a "__proto__" key)', () => {
    const tensors = {
      'layers.0.attn.w': randomTensor('F32', [4, 3]),
      'ü"\\\n名前🦛': randomTensor('BF16', [2]),
      '': randomTensor('U8', [5]),
      '10': randomTensor('I64', [1]),
      '9': randomTensor('F16', [3]),
    };
    const metadata = JSON.parse('{"format":"pt","__proto__":"not a prototype","note":"μ \\"quoted\\" 🦛"}') as Record<string, string>;
    const back = decodeSafetensors(encodeSafetensors(tensors, metadata));
    expect(Object.getPrototypeOf(back.metadata)).toBe(Object.prototype);
    expect(Object.keys(back.metadata).sort()).toEqual(['__proto__', 'format', 'note']);
    expect(back.metadata.note).toBe('μ "quoted" 🦛');
    expect(Object.getOwnPropertyDescriptor(back.metadata, '__proto__')?.value).toBe('not a prototype');
    expect(new Map(Object.entries(tensors))).toEqual(back.tensors);
  });

  it('is deterministic: a Map and a Record in any order give the same bytes, names sorted, data in that order', () => {
    const a = randomTensor('F32', [2]);
    const b = randomTensor('U8', [3]);
    const one = encodeSafetensors({ b, a }, { y: '2', x: '1' });
    const two = encodeSafetensors(new Map([['a', a], ['b', b]]), { x: '1', y: '2' });
    expect(one).toEqual(two);
    const text = new TextDecoder().decode(one.subarray(8, one.length - 11));
    expect(text.trimEnd()).toBe(`{"__metadata__":{"x":"1","y":"2"},"a":${ent('F32', '[2]', '[0,8]')},"b":${ent('U8', '[3]', '[8,11]')}}`);
    expect([...decodeSafetensors(one).tensors.keys()]).toEqual(['a', 'b']);
  });

  it('pads the header with spaces so the data region starts at a multiple of 8', () => {
    for (let len = 0; len < 10; len++) {
      const bytes = encodeSafetensors({ ['n'.repeat(len)]: randomTensor('U8', [1]) });
      const n = Number(new DataView(bytes.buffer).getBigUint64(0, true));
      expect(n % 8).toBe(0);
      expect(bytes[8 + n - 1] === 0x20 || bytes[8 + n - 1] === 0x7d).toBe(true);
    }
  });

  it('writes an empty file as "{}" padded to 8 bytes', () => {
    expect(encodeSafetensors({})).toEqual(fileOf('{}      '));
    expect(decodeSafetensors(encodeSafetensors({})).tensors.size).toBe(0);
  });

  it('accepts JSON whitespace around the header object, as the reference does', () => {
    const data = [1, 2];
    const { tensors } = decodeSafetensors(fileOf(`\n\t {"a":${ent('U8', '[2]', '[0,2]')}}\r\n  `, data));
    expect([...(tensors.get('a')?.data ?? [])]).toEqual(data);
  });

  it('returns zero-copy views into the input bytes', () => {
    const bytes = encodeSafetensors({ w: randomTensor('F32', [2]) });
    const w = decodeSafetensors(bytes).tensors.get('w');
    expect(w?.data.buffer).toBe(bytes.buffer);
    bytes[bytes.length - 1] ^= 0xff;
    expect(w?.data[7]).toBe(bytes[bytes.length - 1]);
  });
});

describe('golden file', () => {
  // Byte-identical to what the reference (safetensors 0.8.0, `safetensors.numpy.save`) writes for
  // {a: float32 [1, -2], b: uint8 scalar 7} with metadata {k: "v"}.
  const golden = new Uint8Array([
    0x88, 0, 0, 0, 0, 0, 0, 0, // header length 136
    ...new TextEncoder().encode(
      '{"__metadata__":{"k":"v"},"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},' +
        '"b":{"dtype":"U8","shape":[],"data_offsets":[8,9]}}      ',
    ),
    0x00, 0x00, 0x80, 0x3f, // 1.0f
    0x00, 0x00, 0x00, 0xc0, // -2.0f
    0x07,
  ]);

  it('decodes to the expected tensors', () => {
    expect(golden.length).toBe(153);
    const { tensors, metadata } = decodeSafetensors(golden);
    expect(metadata).toEqual({ k: 'v' });
    expect([...tensors.keys()]).toEqual(['a', 'b']);
    const a = tensors.get('a') as RawTensor;
    expect(a.dtype).toBe('F32');
    expect(a.shape).toEqual([2]);
    expect([...toFloat32(a)]).toEqual([1, -2]);
    const b = tensors.get('b') as RawTensor;
    expect(b.dtype).toBe('U8');
    expect(b.shape).toEqual([]);
    expect([...toInt32(b)]).toEqual([7]);
  });

  it('is what the encoder writes, byte for byte', () => {
    const a = fromFloat32(new Float32Array([1, -2]), [2]);
    const b: RawTensor = { dtype: 'U8', shape: [], data: new Uint8Array([7]) };
    expect(encodeSafetensors({ b, a }, { k: 'v' })).toEqual(golden);
  });
});

describe('decoder refuses malformed files with FileFormatError', () => {
  const u8 = (name: string, b: number, e: number) => `"${name}":${ent('U8', `[${e - b}]`, `[${b},${e}]`)}`;
  const one = (entry: string, data: ArrayLike<number> = [0, 0, 0, 0]) => fileOf(`{"a":${entry}}`, data);
  const cases: [string, () => Uint8Array, string][] = [
    ['an empty file', () => new Uint8Array(0), 'file is 0 bytes'],
    ['a file shorter than 8 bytes', () => new Uint8Array(7), 'file is 7 bytes'],
    ['a header length one past the end', () => fileOf('{}', [], 3n), 'header length 3 runs past the end of the file: only 2 bytes'],
    ['a header length of 2^53', () => fileOf('{}', [], 2n ** 53n), 'header length 9007199254740992 runs past'],
    ['a header length of 2^64 − 1', () => fileOf('{}', [], 2n ** 64n - 1n), 'header length 18446744073709551615 runs past'],
    ['an empty header', () => fileOf(''), 'header is empty'],
    ['a header that is not UTF-8', () => fileOf('{}', [0xff, 0xfe], 4n), 'header (4 bytes) is not valid UTF-8'],
    ['a header with a byte-order mark', () => fileOf('\uFEFF{}'), "must be a JSON object starting with '{'"],
    ['a header that is a JSON array', () => fileOf('[]'), "starting with '{'; got an array"],
    ['a header that is a JSON string', () => fileOf('"x"'), 'got string "x"'],
    ['a header of whitespace only', () => fileOf('        '), 'header is empty'],
    ['truncated JSON', () => fileOf('{"a":'), 'tensor "a": entry must be an object with dtype, shape and data_offsets; got the end of the header'],
    ['a missing comma', () => fileOf(`{${u8('a', 0, 1)} ${u8('b', 1, 2)}}`, [0, 0]), 'header JSON: expected \',\' or \'}\' in the header at character 53; got character "\\""'],
    ['a trailing comma', () => fileOf(`{${u8('a', 0, 1)},}`, [0]), 'expected a string key in the header'],
    ['text after the header object', () => fileOf('{} x'), 'after the header object'],
    ['an entry that is not an object', () => fileOf('{"a":5}'), 'tensor "a": entry must be an object'],
    ['an unknown dtype', () => one(ent('F8_E4M3', '[4]', '[0,4]')), 'tensor "a": unknown dtype "F8_E4M3"'],
    ['a lower-case dtype', () => one(ent('f32', '[1]', '[0,4]')), 'unknown dtype "f32"'],
    ['a dtype that is not a string', () => one('{"dtype":4,"shape":[4],"data_offsets":[0,4]}'), 'tensor "a": dtype must be a string; got number 4'],
    ['a shape that is not an array', () => one(ent('U8', '"4"', '[0,4]')), 'tensor "a": shape must be an array of non-negative integers; got string "4"'],
    ['a negative dim', () => one(ent('U8', '[-4]', '[0,4]')), 'tensor "a": shape[0] must be a non-negative integer; got -4'],
    ['a fractional dim', () => one(ent('U8', '[2,2.0]', '[0,4]')), 'tensor "a": shape[1] must be a non-negative integer; got 2.0'],
    ['an exponent dim', () => one(ent('U8', '[4e0]', '[0,4]')), 'shape[0] must be a non-negative integer; got 4e0'],
    ['a dim beyond 2^53 − 1', () => one(ent('U8', '[9007199254740992]', '[0,4]')), 'shape[0] = 9007199254740992 is beyond 2^53 − 1'],
    ['a nested shape', () => one(ent('U8', '[[4]]', '[0,4]')), 'shape[0] must be a non-negative integer; got an array'],
    ['a string dim', () => one(ent('U8', '["4"]', '[0,4]')), 'shape[0] must be a non-negative integer; got string "4"'],
    ['data_offsets with one number', () => one(ent('U8', '[4]', '[4]')), 'tensor "a": data_offsets must be [begin, end]; got 1 numbers'],
    ['data_offsets with three numbers', () => one(ent('U8', '[4]', '[0,4,4]')), 'got 3 numbers'],
    ['data_offsets with begin after end', () => one(ent('U8', '[0]', '[4,0]')), 'tensor "a": data_offsets [4,0] has begin after end'],
    ['a negative offset', () => one(ent('U8', '[4]', '[-1,3]')), 'tensor "a": data_offsets[0] must be a non-negative integer; got -1'],
    ['data_offsets as an object', () => one(ent('U8', '[4]', '{"0":0}')), 'data_offsets must be an array of non-negative integers; got an object'],
    ['offsets beyond the data region', () => one(ent('U8', '[8]', '[0,8]')), 'tensor "a": data_offsets [0,8] run past the 4-byte data region'],
    ['huge offsets', () => one(ent('U8', '[4]', '[9007199254740990,9007199254740991]')), 'run past the 4-byte data region'],
    ['overlapping tensors', () => fileOf(`{${u8('a', 0, 3)},${u8('b', 2, 4)}}`, [0, 0, 0, 0]), 'tensors "a" [0,3] and "b" [2,4] overlap'],
    ['the same range twice', () => fileOf(`{${u8('a', 0, 4)},${u8('b', 0, 4)}}`, [0, 0, 0, 0]), 'overlap'],
    ['an empty tensor inside another', () => fileOf(`{${u8('a', 0, 4)},${u8('z', 2, 2)}}`, [0, 0, 0, 0]), 'tensors "a" [0,4] and "z" [2,2] overlap'],
    ['shape and byte size disagreeing', () => one(ent('F32', '[2]', '[0,4]')), 'tensor "a": shape [2] of F32 needs 8 bytes, but data_offsets [0,4] span 4'],
    ['huge dims whose product overflows', () => one(ent('F32', '[4503599627370496,4503599627370496]', '[0,4]')), 'needs more than 2^53 − 1 bytes, but data_offsets [0,4] span 4'],
    ['huge dims with a zero', () => one(ent('F32', '[4503599627370496,0]', '[0,4]')), 'needs 0 bytes, but data_offsets [0,4] span 4'],
    ['a gap between tensors', () => fileOf(`{${u8('a', 0, 1)},${u8('b', 2, 4)}}`, [0, 0, 0, 0]), 'bytes [1,2) of the data region belong to no tensor'],
    ['a gap at the start', () => fileOf(`{${u8('a', 1, 4)}}`, [0, 0, 0, 0]), 'bytes [0,1) of the data region belong to no tensor (before tensor "a")'],
    ['trailing bytes', () => fileOf(`{${u8('a', 0, 3)}}`, [0, 0, 0, 0]), 'data region has 4 bytes but the tensors cover only 3: 1 trailing bytes'],
    ['data but no tensors', () => fileOf('{}', [1]), 'data region has 1 bytes but the tensors cover only 0'],
    ['__metadata__ that is null', () => fileOf('{"__metadata__":null}'), '__metadata__ must be an object mapping strings to strings; got null'],
    ['__metadata__ that is an array', () => fileOf('{"__metadata__":["a"]}'), '__metadata__ must be an object mapping strings to strings; got an array'],
    ['a number in __metadata__', () => fileOf('{"__metadata__":{"step":5}}'), '__metadata__: value of "step" must be a string; got number 5'],
    ['an object in __metadata__', () => fileOf('{"__metadata__":{"cfg":{"a":"b"}}}'), 'value of "cfg" must be a string; got an object'],
    ['a duplicate __metadata__ key', () => fileOf('{"__metadata__":{"k":"1","k":"2"}}'), '__metadata__: duplicate key "k"'],
    ['two __metadata__ entries', () => fileOf('{"__metadata__":{},"__metadata__":{}}'), 'two "__metadata__" entries'],
    ['an unknown key in an entry', () => one('{"dtype":"U8","shape":[4],"data_offsets":[0,4],"offset":0}'), 'tensor "a": unknown key "offset"'],
    ['a missing dtype', () => one('{"shape":[4],"data_offsets":[0,4]}'), 'tensor "a": missing "dtype"'],
    ['a missing shape', () => one('{"dtype":"U8","data_offsets":[0,4]}'), 'tensor "a": missing "shape"'],
    ['missing data_offsets', () => one('{"dtype":"U8","shape":[4]}'), 'tensor "a": missing "data_offsets"'],
    ['a duplicate key in an entry', () => one('{"dtype":"U8","dtype":"I8","shape":[4],"data_offsets":[0,4]}'), 'tensor "a": duplicate key "dtype"'],
    ['a duplicate tensor name', () => fileOf(`{${u8('a', 0, 2)},${u8('a', 2, 4)}}`, [0, 0, 0, 0]), 'duplicate tensor name "a"'],
    ['a duplicate name spelled with an escape', () => fileOf(`{${u8('a', 0, 2)},${u8('\\u0061', 2, 4)}}`, [0, 0, 0, 0]), 'duplicate tensor name "a"'],
    ['a lone surrogate in a name', () => fileOf(`{${u8('\\ud800', 0, 1)}}`, [0]), 'lone surrogate \\uD800'],
    ['a raw control character in a name', () => fileOf(`{${u8('a\tb', 0, 1)}}`, [0]), 'raw control character U+0009'],
    ['an invalid escape', () => fileOf(`{${u8('a\\xb', 0, 1)}}`, [0]), 'invalid escape "\\\\x"'],
    ['a bad \\u escape', () => fileOf(`{${u8('\\u12g4', 0, 1)}}`, [0]), '\\u must be followed by 4 hex digits'],
    ['an unterminated string', () => fileOf('{"abc'), 'unterminated string starting at character 1'],
    ['deep nesting in a shape', () => fileOf(`{"a":{"dtype":"U8","shape":${'['.repeat(1_000_000)}`), 'shape[0] must be a non-negative integer; got an array'],
    ['deep nesting in metadata', () => fileOf(`{"__metadata__":{"k":${'{"k":'.repeat(100_000)}`), 'value of "k" must be a string; got an object'],
  ];

  it.each(cases)('refuses %s', (_label, make, fragment) => {
    const err = refusal(make());
    expect(err.path).toBe('bad.safetensors');
    expect(err.problem).toContain(fragment);
    expect(err.message).toBe(`bad.safetensors: ${err.problem}`);
  });

  it('refuses a header over the reference 100 MB limit even when the file is that long', () => {
    const bytes = new Uint8Array(8 + MAX_HEADER_BYTES + 1);
    new DataView(bytes.buffer).setBigUint64(0, BigInt(MAX_HEADER_BYTES + 1), true);
    expect(refusal(bytes).problem).toContain(`exceeds the ${MAX_HEADER_BYTES}-byte limit`);
  });

  it('refuses every truncation of a valid file', () => {
    const bytes = encodeSafetensors({ a: randomTensor('F32', [3]), b: randomTensor('I16', [2, 2]) }, { k: 'v' });
    for (let n = 0; n < bytes.length; n++) expect(refusal(bytes.subarray(0, n))).toBeInstanceOf(FileFormatError);
  });

  it('decodes from an unaligned view, and defaults the path to <buffer>', () => {
    const bytes = encodeSafetensors({ w: fromFloat32(new Float32Array([0.5, 3]), [2]) });
    const shifted = new Uint8Array(bytes.length + 1);
    shifted.set(bytes, 1);
    const w = decodeSafetensors(shifted.subarray(1)).tensors.get('w') as RawTensor;
    expect([...toFloat32(w)]).toEqual([0.5, 3]);
    expect(() => decodeSafetensors(shifted)).toThrow(/^<buffer>: /);
  });
});

describe('encoder refuses inconsistent input', () => {
  it('names the tensor whose data length does not match its shape', () => {
    const bad = { w: { dtype: 'F32' as const, shape: [2, 3], data: new Uint8Array(20) } };
    expect(() => encodeSafetensors(bad)).toThrow(ShapeError);
    expect(() => encodeSafetensors(bad)).toThrow('tensor "w" data must have shape 24 bytes for F32 [2,3]; got 20 bytes');
  });
  it('refuses bad dims and unknown dtypes', () => {
    expect(() => encodeSafetensors({ w: { dtype: 'U8', shape: [-1], data: new Uint8Array(0) } })).toThrow(ShapeError);
    expect(() => encodeSafetensors({ w: { dtype: 'U8', shape: [1.5], data: new Uint8Array(0) } })).toThrow(ShapeError);
    const f8 = { dtype: 'F8_E4M3', shape: [1], data: new Uint8Array(1) } as unknown as RawTensor;
    expect(() => encodeSafetensors({ w: f8 })).toThrow(DTypeError);
  });
  it('refuses the reserved name, lone surrogates and non-string metadata', () => {
    const t = randomTensor('U8', [1]);
    expect(() => encodeSafetensors({ __metadata__: t })).toThrow('"__metadata__" is reserved');
    expect(() => encodeSafetensors({ ['a\ud800']: t })).toThrow('lone surrogate');
    expect(() => encodeSafetensors({ t }, { step: 5 } as unknown as Record<string, string>)).toThrow('metadata value of "step" must be a string');
  });
});

describe('conversions', () => {
  const raw = (dtype: SafetensorsDType, bytes: number[]): RawTensor => ({
    dtype,
    shape: [bytes.length / dtypeBytes(dtype)],
    data: new Uint8Array(bytes),
  });
  it('widens F16 exactly, including subnormals, ±0, ±inf and NaN', () => {
    // 1, -2, 65504 (max), 2^-24 (smallest subnormal), 2^-14 (smallest normal), -0, inf, -inf, NaN
    const halves = [0x3c00, 0xc000, 0x7bff, 0x0001, 0x0400, 0x8000, 0x7c00, 0xfc00, 0x7e00];
    const got = toFloat32(raw('F16', halves.flatMap((h) => [h & 0xff, h >> 8])));
    expect([...got]).toEqual([1, -2, 65504, 2 ** -24, 2 ** -14, -0, Infinity, -Infinity, NaN]);
    expect(Object.is(got[5], -0)).toBe(true);
  });
  it('widens BF16 by bit shift and rounds F64 to nearest', () => {
    expect([...toFloat32(raw('BF16', [0x80, 0x3f, 0x49, 0x40, 0x80, 0xff]))]).toEqual([1, 3.140625, -Infinity]);
    const f64 = new Uint8Array(new Float64Array([0.1, -1e300]).buffer);
    expect([...toFloat32(raw('F64', [...f64]))]).toEqual([Math.fround(0.1), -Infinity]);
  });
  it('round-trips float32 and int32 through little-endian bytes', () => {
    const f = new Float32Array([1.5, -0, 3e-41, Infinity]);
    const rf = fromFloat32(f, [2, 2]);
    expect(rf.dtype).toBe('F32');
    expect([...rf.data.subarray(0, 4)]).toEqual([0, 0, 0xc0, 0x3f]);
    expect(toFloat32(rf)).toEqual(f);
    const i = new Int32Array([-2147483648, 2147483647, -1]);
    const ri = fromInt32(i, [3]);
    expect(ri.dtype).toBe('I32');
    expect([...ri.data.subarray(8)]).toEqual([0xff, 0xff, 0xff, 0xff]);
    expect(toInt32(ri)).toEqual(i);
  });
  it('reads every integer dtype as int32, refusing I64 values outside int32', () => {
    expect([...toInt32(raw('I16', [0xff, 0xff, 0x02, 0x01]))]).toEqual([-1, 258]);
    expect([...toInt32(raw('I8', [0xff, 0x7f]))]).toEqual([-1, 127]);
    expect([...toInt32(raw('U8', [0xff, 0x7f]))]).toEqual([255, 127]);
    expect([...toInt32(raw('BOOL', [0, 1, 2]))]).toEqual([0, 1, 1]);
    const i64 = new Uint8Array(new BigInt64Array([-5n, 2147483647n]).buffer);
    expect([...toInt32(raw('I64', [...i64]))]).toEqual([-5, 2147483647]);
    const big = new Uint8Array(new BigInt64Array([1n, 2147483648n]).buffer);
    expect(() => toInt32(raw('I64', [...big]))).toThrow('element 1 of the I64 tensor is 2147483648');
  });
  it('refuses the wrong kind of dtype and data that disagree with the shape', () => {
    expect(() => toFloat32(raw('I32', [0, 0, 0, 0]))).toThrow(TypeError);
    expect(() => toInt32(raw('BF16', [0, 0]))).toThrow(TypeError);
    expect(() => toFloat32({ dtype: 'F32', shape: [2], data: new Uint8Array(4) })).toThrow(ShapeError);
    expect(() => fromFloat32(new Float32Array(6), [4, 2])).toThrow(ShapeError);
    expect(() => fromInt32(new Int32Array(1), [-1, -1])).toThrow(ShapeError);
  });
});

describe('files', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hippo-safetensors-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes and reads back what it wrote', async () => {
    const path = join(dir, 'rt.safetensors');
    const tensors = { w: randomTensor('F32', [3, 5]), ids: randomTensor('I64', [7]) };
    await writeSafetensors(path, tensors, { step: '10' });
    expect(new Uint8Array(await readFile(path))).toEqual(encodeSafetensors(tensors, { step: '10' }));
    const back = await readSafetensors(path);
    expect(back.metadata).toEqual({ step: '10' });
    expect(back.tensors).toEqual(new Map(Object.entries(tensors).sort(([a], [b]) => (a < b ? -1 : 1))));
    expect(await readdir(dir)).toEqual(['rt.safetensors']);
  });

  it('replaces an existing file atomically: concurrent readers see the old or the new file, never a mix', async () => {
    const path = join(dir, 'atomic.safetensors');
    const old = { w: randomTensor('U8', [1 << 16]) };
    const next = { w: randomTensor('U8', [1 << 16]), v: randomTensor('F16', [9]) };
    const oldBytes = encodeSafetensors(old);
    const nextBytes = encodeSafetensors(next);
    await writeSafetensors(path, old);
    let writing = true;
    const write = writeSafetensors(path, next).finally(() => {
      writing = false;
    });
    let reads = 0;
    do {
      const seen = new Uint8Array(await readFile(path));
      const same = (b: Uint8Array) => seen.length === b.length && seen.every((x, i) => x === b[i]);
      expect(same(oldBytes) || same(nextBytes)).toBe(true);
      reads++;
    } while (writing);
    await write;
    expect(reads).toBeGreaterThan(0);
    expect(new Uint8Array(await readFile(path))).toEqual(nextBytes);
    expect((await readdir(dir)).filter((f) => f.includes('.tmp-'))).toEqual([]);
  });

  it('leaves the old file and no temporary file when the input is invalid or the directory is missing', async () => {
    const path = join(dir, 'keep.safetensors');
    const good = { w: randomTensor('U8', [3]) };
    await writeSafetensors(path, good);
    const bad = { w: { dtype: 'F32' as const, shape: [2], data: new Uint8Array(3) } };
    await expect(writeSafetensors(path, bad)).rejects.toThrow(ShapeError);
    await expect(writeSafetensors(join(dir, 'missing', 'x.safetensors'), good)).rejects.toThrow(/ENOENT/);
    expect(new Uint8Array(await readFile(path))).toEqual(encodeSafetensors(good));
    expect((await readdir(dir)).filter((f) => f.includes('.tmp-'))).toEqual([]);
  });

  it('names the path in format errors and passes filesystem errors through', async () => {
    const path = join(dir, 'truncated.safetensors');
    await writeFile(path, encodeSafetensors({ w: randomTensor('F32', [4]) }).subarray(0, 30));
    const err = await readSafetensors(path).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FileFormatError);
    expect((err as FileFormatError).path).toBe(path);
    expect((err as FileFormatError).problem).toContain('runs past the end of the file');
    await expect(readSafetensors(join(dir, 'nope.safetensors'))).rejects.toThrow(/ENOENT/);
  });
});
