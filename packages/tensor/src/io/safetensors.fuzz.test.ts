// Mutation fuzzing of the decoder: files derived from valid encodings must decode to a structurally valid
// result or fail with FileFormatError; any other throw, or an inconsistent result, fails with the seed to replay.
import { FileFormatError, Rng } from '@hippo/kernels';
import { testSeed } from '@hippo/kernels/testing';
import { describe, expect, it } from 'vitest';
import {
  decodeSafetensors,
  dtypeBytes,
  encodeSafetensors,
  MAX_HEADER_BYTES,
  SAFETENSORS_DTYPES,
  type RawTensor,
  type SafetensorsFile,
} from './safetensors.js';

const FILES = 4000;

const seed = testSeed();
const rng = new Rng(seed);

const pick = <T>(xs: readonly T[]): T => xs[rng.int(xs.length)];

function validFile(): Uint8Array {
  const tensors: Record<string, RawTensor> = {};
  const count = rng.int(5);
  for (let t = 0; t < count; t++) {
    const dtype = pick(SAFETENSORS_DTYPES);
    const shape = Array.from({ length: rng.int(4) }, () => rng.int(5));
    const n = shape.reduce((a, b) => a * b, 1) * dtypeBytes(dtype);
    const data = new Uint8Array(n);
    for (let i = 0; i < n; i++) data[i] = rng.int(256);
    tensors[pick(['w', 'b', 'emb.weight', 'layers.0.ln', 'ü名', `t${t}`, '9', ''])] = { dtype, shape, data };
  }
  const metadata: Record<string, string> = rng.int(2) === 0 ? {} : { format: 'pt', step: String(rng.int(1000)) };
  return encodeSafetensors(tensors, metadata);
}

const headerLength = (b: Uint8Array): bigint => new DataView(b.buffer, b.byteOffset, 8).getBigUint64(0, true);

function withLength(b: Uint8Array, n: bigint): Uint8Array {
  const out = b.slice();
  new DataView(out.buffer).setBigUint64(0, BigInt.asUintN(64, n), true);
  return out;
}

function splice(b: Uint8Array, at: number, remove: number, insert: ArrayLike<number>): Uint8Array {
  const out = new Uint8Array(b.length - remove + insert.length);
  out.set(b.subarray(0, at), 0);
  out.set(insert, at);
  out.set(b.subarray(at + remove), at + insert.length);
  return out;
}

const randomBytes = (n: number): number[] => Array.from({ length: n }, () => rng.int(256));

/** The header JSON parsed as a plain object, or null when the file no longer has a parseable header. */
function headerOf(b: Uint8Array): Record<string, unknown> | null {
  if (b.length < 8) return null;
  const n = headerLength(b);
  if (n > BigInt(b.length - 8)) return null;
  try {
    const h: unknown = JSON.parse(new TextDecoder().decode(b.subarray(8, 8 + Number(n))));
    return typeof h === 'object' && h !== null && !Array.isArray(h) ? (h as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** Rewrites the header with new JSON text; the length prefix is corrected (usually) and the data kept. */
function withHeader(b: Uint8Array, json: string): Uint8Array {
  const old = Number(headerLength(b));
  let text = json;
  if (rng.int(2) === 0) text += ' '.repeat((8 - (new TextEncoder().encode(text).length % 8)) % 8);
  const enc = new TextEncoder().encode(text);
  const out = splice(b, 8, old, enc);
  return rng.int(10) === 0 ? out : withLength(out, BigInt(enc.length));
}

const ODD_VALUES: unknown[] = [0, 1, 2, 3, 4, 7, 64, -1, 1.5, 2 ** 53, 2 ** 53 - 1, 1e300, '3', null, [], {}, true];
const DTYPES: unknown[] = [...SAFETENSORS_DTYPES, ...SAFETENSORS_DTYPES, 'F8_E4M3', 'U32', 'f32', '', 5, null, ['F32']];

/** One structured edit of a tensor entry or the metadata; returns a description. */
function editJson(h: Record<string, unknown>): string {
  const names = Object.keys(h).filter((k) => k !== '__metadata__');
  const name = names.length > 0 ? pick(names) : null;
  const e = name === null ? null : (h[name] as Record<string, unknown>);
  const isEntry = e !== null && typeof e === 'object' && !Array.isArray(e);
  const kind = rng.int(12);
  if (isEntry && kind === 0) {
    e.dtype = pick(DTYPES);
    return `dtype of ${name} → ${JSON.stringify(e.dtype)}`;
  }
  if (isEntry && kind <= 2 && Array.isArray(e.shape)) {
    const s = e.shape as unknown[];
    const op = rng.int(4);
    if (op === 0) s.reverse();
    else if (op === 1 && s.length > 0) s[rng.int(s.length)] = pick(ODD_VALUES);
    else if (op === 2) s.push(pick([1, 1, 0, 2]));
    else s.pop();
    return `shape of ${name} → ${JSON.stringify(s)}`;
  }
  if (isEntry && kind <= 4 && Array.isArray(e.data_offsets)) {
    const o = e.data_offsets as unknown[];
    const other = h[pick(names)] as Record<string, unknown> | undefined;
    const op = rng.int(6);
    if (op === 0) o.reverse();
    else if (op === 1 && other && typeof other === 'object') e.data_offsets = other.data_offsets;
    else if (op === 2) o[rng.int(2)] = pick([2 ** 53, 2 ** 53 - 1, 2 ** 32, 1e300, -1, 0.5]);
    else if (op === 3) e.data_offsets = o.map((x) => (typeof x === 'number' ? x + pick([-2, -1, 1, 2, 8]) : x));
    else if (op === 4) o.push(0);
    else o.pop();
    return `data_offsets of ${name} → ${JSON.stringify(e.data_offsets)}`;
  }
  if (isEntry && kind === 5) {
    const key = pick(['dtype', 'shape', 'data_offsets', 'offset', 'extra']);
    if (key in e) delete e[key];
    else e[key] = pick(ODD_VALUES);
    return `toggled key ${key} of ${name}`;
  }
  if (name !== null && kind === 6) {
    const to = pick(['__metadata__', ...names, 'fresh']);
    const v = h[name];
    delete h[name];
    h[to] = v;
    return `renamed ${name} → ${to}`;
  }
  if (kind <= 8) {
    const meta = pick<unknown>([{ format: 'pt' }, { a: 'b', c: '' }, { n: 5 }, null, ['x'], 'x', { k: { k: 'v' } }]);
    h.__metadata__ = meta;
    return `metadata → ${JSON.stringify(meta)}`;
  }
  if (name !== null && isEntry && kind === 9) {
    h[name] = pick(ODD_VALUES);
    return `entry ${name} → ${JSON.stringify(h[name])}`;
  }
  const v = { dtype: pick(DTYPES), shape: [rng.int(3)], data_offsets: [rng.int(8), rng.int(16)] };
  h[`new${rng.int(3)}`] = v;
  return `added ${JSON.stringify(v)}`;
}

/** Text-level header edits JSON.stringify cannot express: duplicate keys, odd literals, stray characters. */
function editText(b: Uint8Array): [Uint8Array, string] {
  const n = Number(headerLength(b));
  const text = new TextDecoder().decode(b.subarray(8, 8 + n));
  const op = rng.int(5);
  let out = text;
  if (op === 0) {
    // duplicate the first member: either a tensor name or __metadata__ appears twice
    const m = /^\{("(?:[^"\\]|\\.)*":\{[^{}]*\})/.exec(text) ?? /^\{("__metadata__":\{[^{}]*\})/.exec(text);
    out = m ? `{${m[1]},${text.slice(1)}` : text;
  } else if (op === 1) {
    const digits = [...text.matchAll(/[0-9]+/g)];
    if (digits.length > 0) {
      const d = pick(digits);
      const lit = pick(['1.0', '1e1', '-0', '01', '99999999999999999999', '0x1', `${d[0]}0`, ' 7 ']);
      out = text.slice(0, d.index) + lit + text.slice((d.index ?? 0) + d[0].length);
    }
  } else if (op === 2) {
    const at = rng.int(text.length + 1);
    out = text.slice(0, at) + pick(['"', '\\', ',', ':', '{', '}', '[', ']', '\u0000', '\uFEFF', ' ', '\\ud800', '\\u0041']) + text.slice(at);
  } else if (op === 3) {
    out = text.replace(/"dtype"/, '"dtype":"F32","dtype"');
  } else {
    out = `${pick(['', ' ', '\uFEFF', '\n'])}${text.trimEnd()}${pick(['', ' ', '\n', 'x', '}', '{}'])}`;
  }
  const enc = new TextEncoder().encode(out);
  return [withLength(splice(b, 8, n, enc), BigInt(enc.length)), `text edit ${op}`];
}

function mutate(b: Uint8Array): [Uint8Array, string] {
  const n = b.length >= 8 ? Number(BigInt.asUintN(52, headerLength(b))) : 0;
  switch (rng.int(10)) {
    case 0: {
      const out = b.slice();
      const flips = 1 + rng.int(4);
      // half the flips land in the prefix or header, where they matter most
      for (let i = 0; i < flips && out.length > 0; i++) {
        const at = rng.int(2) === 0 ? rng.int(Math.min(out.length, 8 + n)) : rng.int(out.length);
        out[at] = rng.int(2) === 0 ? rng.int(256) : out[at] ^ (1 << rng.int(8));
      }
      return [out, `flipped ${flips} bytes`];
    }
    case 1: {
      const at = rng.int(b.length + 1);
      return [b.subarray(0, at), `truncated to ${at}`];
    }
    case 2: {
      if (b.length < 8) return [b, 'too short for a header length'];
      const len = BigInt(b.length - 8);
      const to = pick([2n ** 53n, 2n ** 53n + 1n, 2n ** 64n - 1n, 2n ** 63n, len + 1n, len, len - 1n, BigInt(n - 1), BigInt(n + 8), 0n, BigInt(rng.nextU32()), BigInt(MAX_HEADER_BYTES + 1)]);
      return [withLength(b, to), `header length → ${to}`];
    }
    case 3:
    case 4: {
      const h = headerOf(b);
      if (h === null) return [b, 'no header to edit'];
      const what = editJson(h);
      return [withHeader(b, JSON.stringify(h)), what];
    }
    case 5:
      return headerOf(b) === null ? [b, 'no header to edit'] : editText(b);
    case 6: {
      const at = rng.int(b.length + 1);
      const k = 1 + rng.int(8);
      return [splice(b, at, 0, randomBytes(k)), `inserted ${k} bytes at ${at}`];
    }
    case 7: {
      const at = rng.int(b.length + 1);
      const k = Math.min(1 + rng.int(8), b.length - at);
      return [splice(b, at, k, []), `deleted ${k} bytes at ${at}`];
    }
    default: {
      // cases 8 and 9 touch the data region only, so the file stays valid
      const out = b.slice();
      if (out.length > 8 + n) out[8 + n + rng.int(out.length - 8 - n)] ^= 0xff;
      return [out, 'flipped a data byte'];
    }
  }
}

/** Problems when `f` (decoded from `bytes`) is not structurally valid; empty when it is. */
function inconsistencies(bytes: Uint8Array, f: SafetensorsFile): string[] {
  const bad: string[] = [];
  const dataStart = 8 + Number(headerLength(bytes));
  const views: [number, number, string][] = [];
  for (const [name, t] of f.tensors) {
    if (!SAFETENSORS_DTYPES.includes(t.dtype)) bad.push(`${name}: dtype ${String(t.dtype)}`);
    if (!t.shape.every((d) => Number.isSafeInteger(d) && d >= 0)) bad.push(`${name}: shape ${String(t.shape)}`);
    const numel = t.shape.reduce((a, b) => a * b, 1);
    if (t.data.length !== numel * dtypeBytes(t.dtype)) bad.push(`${name}: ${t.data.length} bytes for ${t.shape}`);
    if (t.data.buffer !== bytes.buffer) bad.push(`${name}: not a view of the input`);
    const begin = t.data.byteOffset - bytes.byteOffset;
    views.push([begin, begin + t.data.length, name]);
  }
  views.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let at = dataStart;
  for (const [begin, end, name] of views) {
    if (begin !== at) bad.push(`${name} starts at ${begin}, expected ${at}`);
    at = end;
  }
  if (at !== bytes.length) bad.push(`tensors end at ${at}, file at ${bytes.length}`);
  for (const [k, v] of Object.entries(f.metadata)) if (typeof v !== 'string') bad.push(`metadata ${k}: ${typeof v}`);
  // what decoded must survive a re-encode unchanged
  if (bad.length === 0) {
    const again = decodeSafetensors(encodeSafetensors(f.tensors, f.metadata));
    if (!deepEqual(again, f)) bad.push('re-encoding changed the result');
  }
  return bad;
}

function deepEqual(a: SafetensorsFile, b: SafetensorsFile): boolean {
  const sorted = (m: Record<string, string>) => JSON.stringify(Object.entries(m).sort(([x], [y]) => (x < y ? -1 : 1)));
  if (sorted(a.metadata) !== sorted(b.metadata) || a.tensors.size !== b.tensors.size) return false;
  for (const [name, t] of a.tensors) {
    const u = b.tensors.get(name);
    if (!u || u.dtype !== t.dtype || u.shape.join() !== t.shape.join() || !u.data.every((x, i) => x === t.data[i])) return false;
  }
  return true;
}

describe('decoder fuzz', () => {
  it(`${FILES} mutated files decode consistently or fail with FileFormatError (seed ${seed})`, () => {
    let decoded = 0;
    let refused = 0;
    const kinds = new Set<string>();
    for (let i = 0; i < FILES; i++) {
      let bytes = validFile();
      const steps: string[] = [];
      // mostly one mutation, so valid results stay common; sometimes two or three compound
      const count = rng.int(3) === 0 ? 2 + rng.int(2) : 1;
      for (let s = 0; s < count; s++) {
        const [next, what] = mutate(bytes);
        bytes = next;
        steps.push(what);
      }
      const where = `file ${i} after [${steps.join('; ')}] — replay with HIPPO_SEED=${seed}`;
      let result: SafetensorsFile;
      try {
        result = decodeSafetensors(bytes, 'fuzz.safetensors');
      } catch (e) {
        if (!(e instanceof FileFormatError)) throw new Error(`${where}: threw ${String(e)}`);
        expect(e.path).toBe('fuzz.safetensors');
        expect(e.problem.length, where).toBeGreaterThan(0);
        // the problem's wording without its numbers and quoted names, to count distinct kinds of refusal
        kinds.add(e.problem.replace(/"(?:[^"\\]|\\.)*"/g, '"…"').replace(/[0-9]+/g, '#'));
        refused++;
        continue;
      }
      expect(inconsistencies(bytes, result), where).toEqual([]);
      decoded++;
    }
    expect(decoded + refused).toBe(FILES);
    // both outcomes in meaningful proportions, and the refusals spread over many different problems
    expect(decoded, `only ${decoded} of ${FILES} decoded (seed ${seed})`).toBeGreaterThan(FILES * 0.1);
    expect(refused, `only ${refused} of ${FILES} refused (seed ${seed})`).toBeGreaterThan(FILES * 0.5);
    expect(kinds.size, `only ${kinds.size} kinds of refusal (seed ${seed})`).toBeGreaterThan(50);
  });
});
