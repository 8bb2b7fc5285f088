// A corrupt .xz is reported with the first byte of the block that fails to decode (and the check type when the
// check is what failed): for a lone member as a byte of the file, for OpenWebText's tar → xz → tar as the
// member's name and a byte of that member. Block layouts come from `xz --robot --list -vv` (the reference
// tool, recorded beside the fixture) or, for @napi-rs/lzma's one-block output, from the format's fixed header.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { xz } from '@napi-rs/lzma';
import { pack } from 'tar-stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../src/errors.js';
import { tokenizeCorpus } from '../src/pipeline/tokenize-corpus.js';
import { locateXzFailure } from '../src/readers/xz-blocks.js';
import { Rng } from '../src/rng.js';
import { testSeed } from './helpers.js';

const seed = testSeed();
const tag = `(HIPPO_SEED=${seed})`;
const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
const MULTI = readFileSync(fixture('multiblock-member.xz'));
/** per block: offset of its header, header bytes, compressed data bytes (xz's own listing) */
const BLOCKS = readFileSync(fixture('multiblock-member.blocks.tsv'), 'utf8')
  .trim()
  .split('\n')
  .map((l) => {
    const [offset, header, data] = l.split('\t').map(Number);
    return { offset, header, data };
  });
const decode = (s: Uint8Array) => xz.decompressSync(s);
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'hippo-data-xz-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function errorOf(p: Promise<unknown>): Promise<InputError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return e as InputError;
  }
  throw new Error('expected an error, got none');
}

async function tarOf(files: { name: string; data: Uint8Array }[]): Promise<Buffer> {
  const p = pack();
  for (const f of files) p.entry({ name: f.name, mtime: new Date(0) }, Buffer.from(f.data));
  p.finalize();
  const chunks: Buffer[] = [];
  for await (const c of p) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

/** a copy of `bytes` with the byte at `at` changed */
function flip(bytes: Uint8Array, at: number, mask = 0x20): Buffer {
  const b = Buffer.from(bytes);
  b[at] ^= mask;
  return b;
}

let n = 0;
const out = () => join(dir, `out-${n++}`);

describe('locating the failing part of an xz stream', () => {
  it('names the block holding a flipped byte of compressed data or check, for every block of a multi-block stream', () => {
    expect(BLOCKS.length).toBeGreaterThanOrEqual(4);
    expect(locateXzFailure(MULTI, decode)).toBeUndefined(); // intact: nothing to blame
    const rng = new Rng(seed);
    for (const b of BLOCKS) {
      // a flipped byte may leave the decoded data unchanged (LZMA's range coder ignores its first byte, some
      // control bits are redundant; 7 of the 14 bytes of the last, short block): then the stream still decodes
      // and nothing is to blame. Random positions are tried until 4 are caught (32 at most: 2^-32 to miss all)
      let caught = 0;
      for (let t = 0; t < 32 && caught < 4; t++) {
        const inData = b.offset + b.header + rng.int(b.data);
        const bad = flip(MULTI, inData);
        const f = locateXzFailure(bad, decode);
        if (f === undefined) {
          expect(() => decode(bad), `${tag} flipped byte ${inData}: the stream decodes, so no block is to blame`).not.toThrow();
          continue;
        }
        caught++;
        expect(f, `${tag} flipped byte ${inData}`).toMatchObject({ part: 'block', offset: b.offset, check: 'CRC64' });
      }
      expect(caught, `${tag} block at ${b.offset}`).toBeGreaterThan(0);
      const inCheck = b.offset + ((b.header + b.data + 3) & ~3) + rng.int(8); // the CRC64 after the padded data
      const c = locateXzFailure(flip(MULTI, inCheck, 0x01), decode);
      expect(c, `${tag} flipped check byte ${inCheck}`).toMatchObject({ part: 'block', offset: b.offset });
      expect(c!.message).toMatch(/CRC64/);
    }
  });

  it('names the stream header, a damaged block header and the index', () => {
    expect(locateXzFailure(flip(MULTI, 9), decode)).toMatchObject({ part: 'stream header', offset: 0 });
    const b = BLOCKS[2];
    expect(locateXzFailure(flip(MULTI, b.offset + 1), decode)).toMatchObject({ part: 'block', offset: b.offset });
    const last = BLOCKS[BLOCKS.length - 1];
    const index = last.offset + ((last.header + last.data + 3) & ~3) + 8;
    const i = locateXzFailure(flip(MULTI, index + 2), decode);
    expect(i!.offset).toBe(index);
    expect(i!.part).toBe('index');
  });
});

describe('corrupt .xz input in the pipeline', () => {
  it('a lone multi-block member: the error names the file and the failing block as a byte of the file', async () => {
    const good = join(dir, 'multi_data.xz');
    writeFileSync(good, MULTI);
    const { manifest } = await tokenizeCorpus({ inputs: [good], out: out(), valFraction: 0, workers: 1 });
    expect(manifest.counts.records).toBe(3);

    const b = BLOCKS[1 + new Rng(seed).int(BLOCKS.length - 1)];
    const p = join(dir, 'multi-bad_data.xz');
    writeFileSync(p, flip(MULTI, b.offset + b.header + 5));
    const e = await errorOf(tokenizeCorpus({ inputs: [p], out: out(), workers: 1 }));
    expect(e.where, tag).toEqual({ file: p, member: 'multi-bad_data.xz', offset: b.offset });
    expect(e.message).toContain(`corrupt xz data: block ${BLOCKS.indexOf(b)} at byte ${b.offset} (check CRC64) fails to decode`);
  });

  it('OpenWebText tar → xz → tar: the error names the tar, the member and the block inside the member', async () => {
    // @napi-rs/lzma writes one block with no check, right after the 12-byte stream header
    const inner = await tarOf([{ name: '0000000-a.txt', data: Buffer.from('A document that decodes fine.') }]);
    const napiMember = xz.compressSync(inner);
    expect(napiMember[12]).toBeGreaterThan(0); // a block header, not an empty stream's index
    const members = [
      { name: 'openwebtext/urlsf_subset07-1_data.xz', data: napiMember },
      { name: 'openwebtext/urlsf_subset07-2_data.xz', data: MULTI },
    ];
    const good = join(dir, 'urlsf_subset07.tar');
    writeFileSync(good, await tarOf(members));
    const { manifest } = await tokenizeCorpus({ inputs: [good], out: out(), valFraction: 0, workers: 2 });
    expect(manifest.counts.records).toBe(4);

    const b = BLOCKS[new Rng(seed).int(BLOCKS.length)];
    const cases = [
      // the block header's flags of the one-block member: its header CRC32 catches it
      { member: 0, data: flip(napiMember, 13), block: 12 },
      { member: 1, data: flip(MULTI, b.offset + b.header + 1), block: b.offset },
    ];
    for (const c of cases) {
      const files = members.map((m, i) => (i === c.member ? { ...m, data: c.data } : m));
      const p = join(dir, `urlsf_subset08-${c.member}.tar`);
      writeFileSync(p, await tarOf(files));
      const e = await errorOf(tokenizeCorpus({ inputs: [p], out: out(), workers: 2 }));
      expect(e.where, tag).toEqual({ file: p, member: members[c.member].name, memberOffset: c.block });
      expect(e.message).toContain(`${p}, member ${members[c.member].name}, byte ${c.block} of the member: corrupt xz data: block `);
    }
  });
});
