// A strict parser for the safetensors JSON header. It reads only the shape the format allows
// (an object of tensor entries plus "__metadata__"), so excess nesting, duplicate keys, unknown keys and
// non-integer literals are refused where they occur, and nothing is built that the format has no use for.
// JSON.parse is not used: it keeps the last of duplicate keys silently and reads "1e2" or "2.0" as integers.
// Accepts exactly what the reference (safetensors 0.8.0, serde_json into usize fields) accepts, except that it
// also refuses, on purpose, so a file has one meaning: duplicate keys (the reference keeps the last), unknown keys
// in a tensor entry (ignored there), "__metadata__": null (read there as absent), dtypes outside
// SAFETENSORS_DTYPES, and integers above 2^53 − 1 (JavaScript numbers cannot hold them exactly).
import { isSafetensorsDType, SAFETENSORS_DTYPES, type SafetensorsDType } from './dtypes.js';

/** One tensor entry as written in the header; offsets are relative to the start of the data region. */
export interface HeaderEntry {
  name: string;
  dtype: SafetensorsDType;
  shape: number[];
  begin: number;
  end: number;
}

export interface ParsedHeader {
  /** In header order. */
  entries: HeaderEntry[];
  metadata: Record<string, string>;
}

/** Reports a problem by throwing; the caller wraps it with the file's path. */
export type Fail = (problem: string) => never;

const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
const NON_NEGATIVE_INTEGER = /^(?:0|[1-9][0-9]*)$/;
const HEX4 = /^[0-9a-fA-F]{4}$/;
const ESCAPES: Readonly<Record<string, string>> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

/** Parses the header text; every problem goes to `fail` with the tensor name where there is one. */
export function parseHeader(text: string, fail: Fail): ParsedHeader {
  return new HeaderParser(text, fail).parse();
}

/** A string as messages quote it, cut to 60 characters. */
export function quote(s: string): string {
  return JSON.stringify(s.length <= 60 ? s : `${s.slice(0, 60)}…`);
}

class HeaderParser {
  private pos = 0;

  constructor(
    private readonly text: string,
    private readonly fail: Fail,
  ) {}

  parse(): ParsedHeader {
    // Like the reference (serde_json), JSON whitespace may surround the object; a BOM may not.
    this.skipWhitespace();
    if (this.pos === this.text.length) this.fail('header is empty; expected a JSON object');
    if (this.peek() !== '{') this.fail(`header must be a JSON object starting with '{'; got ${this.describeValue()}`);
    this.pos++;
    const entries: HeaderEntry[] = [];
    let metadata: Record<string, string> = {};
    const names = new Set<string>();
    this.members('the header', (key) => {
      if (names.has(key)) {
        this.fail(
          key === '__metadata__'
            ? 'header has two "__metadata__" entries'
            : `duplicate tensor name ${quote(key)} in the header (JSON.parse would silently keep the last)`,
        );
      }
      names.add(key);
      if (key === '__metadata__') metadata = this.metadata();
      else entries.push(this.entry(key));
    });
    this.skipWhitespace();
    if (this.pos < this.text.length) {
      this.fail(`unexpected ${this.describeChar()} after the header object at character ${this.pos}; only whitespace padding may follow it`);
    }
    return { entries, metadata };
  }

  /** `{ "k": v, ... }` after the '{'; `onMember` parses each value. */
  private members(where: string, onMember: (key: string) => void): void {
    this.skipWhitespace();
    if (this.peek() === '}') {
      this.pos++;
      return;
    }
    for (;;) {
      this.skipWhitespace();
      if (this.peek() !== '"') this.syntax(`a string key in ${where}`);
      const key = this.string();
      this.skipWhitespace();
      if (this.peek() !== ':') this.syntax(`':' after key ${quote(key)} in ${where}`);
      this.pos++;
      this.skipWhitespace();
      onMember(key);
      this.skipWhitespace();
      const c = this.peek();
      this.pos++;
      if (c === '}') return;
      if (c !== ',') {
        this.pos--;
        this.syntax(`',' or '}' in ${where}`);
      }
    }
  }

  private entry(name: string): HeaderEntry {
    const where = `tensor ${quote(name)}`;
    if (this.peek() !== '{') this.fail(`${where}: entry must be an object with dtype, shape and data_offsets; got ${this.describeValue()}`);
    this.pos++;
    let dtype: SafetensorsDType | undefined;
    let shape: number[] | undefined;
    let offsets: number[] | undefined;
    const seen = new Set<string>();
    this.members(where, (key) => {
      if (seen.has(key)) this.fail(`${where}: duplicate key ${quote(key)}`);
      seen.add(key);
      if (key === 'dtype') dtype = this.dtype(where);
      else if (key === 'shape') shape = this.indexArray(where, 'shape');
      else if (key === 'data_offsets') offsets = this.indexArray(where, 'data_offsets');
      else this.fail(`${where}: unknown key ${quote(key)}; an entry has exactly dtype, shape and data_offsets`);
    });
    if (dtype === undefined) this.fail(`${where}: missing "dtype"`);
    if (shape === undefined) this.fail(`${where}: missing "shape"`);
    if (offsets === undefined) this.fail(`${where}: missing "data_offsets"`);
    if (offsets.length !== 2) this.fail(`${where}: data_offsets must be [begin, end]; got ${offsets.length} numbers`);
    const [begin, end] = offsets;
    if (begin > end) this.fail(`${where}: data_offsets [${begin},${end}] has begin after end`);
    return { name, dtype, shape, begin, end };
  }

  private dtype(where: string): SafetensorsDType {
    if (this.peek() !== '"') this.fail(`${where}: dtype must be a string; got ${this.describeValue()}`);
    const s = this.string();
    if (!isSafetensorsDType(s)) this.fail(`${where}: unknown dtype ${quote(s)}; supported: ${SAFETENSORS_DTYPES.join(', ')}`);
    return s;
  }

  /** An array of non-negative safe integers written as integer literals (shape, data_offsets). */
  private indexArray(where: string, field: string): number[] {
    if (this.peek() !== '[') this.fail(`${where}: ${field} must be an array of non-negative integers; got ${this.describeValue()}`);
    this.pos++;
    const out: number[] = [];
    this.skipWhitespace();
    if (this.peek() === ']') {
      this.pos++;
      return out;
    }
    for (;;) {
      this.skipWhitespace();
      const at = `${where}: ${field}[${out.length}]`;
      const c = this.peek();
      if (c !== '-' && !(c >= '0' && c <= '9')) this.fail(`${at} must be a non-negative integer; got ${this.describeValue()}`);
      const literal = this.number();
      if (!NON_NEGATIVE_INTEGER.test(literal)) this.fail(`${at} must be a non-negative integer; got ${cut(literal)}`);
      const v = Number(literal);
      if (!Number.isSafeInteger(v)) this.fail(`${at} = ${cut(literal)} is beyond 2^53 − 1`);
      out.push(v);
      this.skipWhitespace();
      const d = this.peek();
      this.pos++;
      if (d === ']') return out;
      if (d !== ',') {
        this.pos--;
        this.syntax(`',' or ']' in ${where} ${field}`);
      }
    }
  }

  private metadata(): Record<string, string> {
    if (this.peek() !== '{') this.fail(`__metadata__ must be an object mapping strings to strings; got ${this.describeValue()}`);
    this.pos++;
    const pairs: [string, string][] = [];
    const seen = new Set<string>();
    this.members('__metadata__', (key) => {
      if (seen.has(key)) this.fail(`__metadata__: duplicate key ${quote(key)}`);
      seen.add(key);
      if (this.peek() !== '"') this.fail(`__metadata__: value of ${quote(key)} must be a string; got ${this.describeValue()}`);
      pairs.push([key, this.string()]);
    });
    // fromEntries defines own properties, so a "__proto__" key stays data and never sets the prototype
    return Object.fromEntries(pairs);
  }

  /** A JSON string starting at pos (which holds '"'), decoded; lone surrogates are refused. */
  private string(): string {
    const t = this.text;
    const start = this.pos;
    let i = start + 1;
    let run = i;
    let out = '';
    for (;;) {
      if (i >= t.length) this.fail(`header JSON: unterminated string starting at character ${start}`);
      const c = t.charCodeAt(i);
      if (c === 0x22) {
        this.pos = i + 1;
        return out + t.slice(run, i);
      }
      if (c < 0x20) this.fail(`header JSON: raw control character U+${hex4(c)} inside a string at character ${i}`);
      if (c !== 0x5c) {
        i++;
        continue;
      }
      out += t.slice(run, i);
      const e = t[i + 1];
      if (e === 'u') {
        const unit = this.hexUnit(i);
        i += 6;
        if (unit >= 0xdc00 && unit <= 0xdfff) this.loneSurrogate(unit, i - 6);
        if (unit >= 0xd800 && unit <= 0xdbff) {
          if (t[i] !== '\\' || t[i + 1] !== 'u') this.loneSurrogate(unit, i - 6);
          const low = this.hexUnit(i);
          if (low < 0xdc00 || low > 0xdfff) this.loneSurrogate(unit, i - 6);
          out += String.fromCharCode(unit, low);
          i += 6;
        } else {
          out += String.fromCharCode(unit);
        }
      } else if (e !== undefined && Object.prototype.hasOwnProperty.call(ESCAPES, e)) {
        out += ESCAPES[e];
        i += 2;
      } else {
        this.fail(`header JSON: invalid escape ${e === undefined ? 'at the end' : quote(`\\${e}`)} at character ${i}`);
      }
      run = i;
    }
  }

  /** The code unit of the `\uXXXX` escape at i. */
  private hexUnit(i: number): number {
    const digits = this.text.slice(i + 2, i + 6);
    if (!HEX4.test(digits)) this.fail(`header JSON: \\u must be followed by 4 hex digits at character ${i}`);
    return parseInt(digits, 16);
  }

  private loneSurrogate(unit: number, at: number): never {
    return this.fail(`header JSON: lone surrogate \\u${hex4(unit)} at character ${at}; strings must be valid Unicode`);
  }

  /** A JSON number token at pos, as written. */
  private number(): string {
    NUMBER.lastIndex = this.pos;
    const m = NUMBER.exec(this.text);
    if (m === null) this.syntax('a number');
    this.pos += m[0].length;
    return m[0];
  }

  /** What the value at pos is, for messages; parses only flat tokens (strings, numbers). */
  private describeValue(): string {
    const c = this.peek();
    if (c === '"') return `string ${quote(this.string())}`;
    if (c === '-' || (c >= '0' && c <= '9')) return `number ${cut(this.number())}`;
    if (c === '[') return 'an array';
    if (c === '{') return 'an object';
    if (this.text.startsWith('null', this.pos)) return 'null';
    if (this.text.startsWith('true', this.pos) || this.text.startsWith('false', this.pos)) return 'a boolean';
    return this.describeChar();
  }

  private describeChar(): string {
    return this.pos >= this.text.length ? 'the end of the header' : `character ${JSON.stringify(this.text[this.pos])}`;
  }

  private syntax(expected: string): never {
    return this.fail(`header JSON: expected ${expected} at character ${this.pos}; got ${this.describeChar()}`);
  }

  private peek(): string {
    return this.pos < this.text.length ? this.text[this.pos] : '';
  }

  private skipWhitespace(): void {
    const t = this.text;
    let c = t.charCodeAt(this.pos);
    while (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) c = t.charCodeAt(++this.pos);
  }
}

function hex4(n: number): string {
  return n.toString(16).toUpperCase().padStart(4, '0');
}

function cut(literal: string): string {
  return literal.length <= 30 ? literal : `${literal.slice(0, 30)}…`;
}
