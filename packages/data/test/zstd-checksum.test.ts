// zstd content checksums (RFC 8878 §3.1.1: the low 32 bits of XXH64(content, seed 0), little-endian, after a
// frame's last block) are verified: frames written by the reference zstd tool are accepted, and a flipped
// content or checksum byte is refused with the file and the byte offset of the frame.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import xxhash from 'xxhash-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../src/errors.js';
import { tokenizeCorpus } from '../src/pipeline/tokenize-corpus.js';
import { Rng } from '../src/rng.js';
import { jsonlText } from './fixtures.js';
import { expectedStreams, firstDiff, readOutput, testSeed } from './helpers.js';

const seed = testSeed();
const tag = `(HIPPO_SEED=${seed})`;
const CLI_FIXTURE = fileURLToPath(new URL('./fixtures/checksummed.jsonl.zst', import.meta.url));
const MAGIC = Buffer.from([0x28, 0xb5, 0x2f, 0xfd]);
let dir: string;
let h64: (b: Uint8Array) => bigint;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'hippo-data-zstd-'));
  const api = await xxhash();
  h64 = (b) => api.h64Raw(b, 0n);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** a raw block's body: its offset in the file and its length */
interface RawBlock {
  at: number;
  length: number;
}

/**
 * zstd frames written by hand with stored blocks: Raw blocks (content verbatim, so a flipped byte in the file is
 * a flipped content byte) and RLE blocks for runs of one byte, each frame with the checksum flag and its
 * checksum; a skippable frame between frames. Returns the file and each frame's start.
 */
function storedFrames(contents: Uint8Array[], blockSize: number): { bytes: Buffer; starts: number[]; rawBlocks: RawBlock[] } {
  const parts: Buffer[] = [];
  const starts: number[] = [];
  const rawBlocks: RawBlock[] = [];
  let at = 0;
  const put = (b: Buffer) => {
    parts.push(b);
    at += b.length;
  };
  contents.forEach((content, i) => {
    if (i > 0) put(Buffer.from([0x50, 0x2a, 0x4d, 0x18, 3, 0, 0, 0, 7, 7, 7])); // skippable frame, 3 bytes of payload
    starts.push(at);
    // Frame_Header_Descriptor 0x04: checksum flag, no FCS, no dictionary; window descriptor 0x38: 2^(10+7) = 128 KiB
    put(Buffer.concat([MAGIC, Buffer.from([0x04, 0x38])]));
    for (let o = 0; o < content.length; o += blockSize) {
      const body = content.subarray(o, Math.min(content.length, o + blockSize));
      const last = o + blockSize >= content.length ? 1 : 0;
      const rle = body.every((x) => x === body[0]);
      const h = last | ((rle ? 1 : 0) << 1) | (body.length << 3);
      put(Buffer.from([h & 0xff, (h >> 8) & 0xff, (h >> 16) & 0xff]));
      if (rle) put(Buffer.from([body[0]]));
      else {
        rawBlocks.push({ at, length: body.length });
        put(Buffer.from(body));
      }
    }
    const sum = Buffer.alloc(4);
    sum.writeUInt32LE(Number(h64(content) & 0xffffffffn));
    put(sum);
  });
  return { bytes: Buffer.concat(parts), starts, rawBlocks };
}

async function errorOf(p: Promise<unknown>): Promise<InputError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return e as InputError;
  }
  throw new Error('expected an error, got none');
}

let n = 0;
const out = () => join(dir, `out-${n++}`);

describe('zstd frame checksums', () => {
  it('frames written by the zstd tool (checksum flag set) are accepted and decode to their records', async () => {
    const bytes = readFileSync(CLI_FIXTURE);
    const second = bytes.indexOf(MAGIC, 4);
    expect(bytes[4] & 0x04).toBe(0x04); // both frames carry a checksum, so acceptance means it matched
    expect(bytes[second + 4] & 0x04).toBe(0x04);
    const o = out();
    const { manifest } = await tokenizeCorpus({ inputs: [CLI_FIXTURE], out: o, valFraction: 0, workers: 1 });
    expect(manifest.counts.records).toBe(3);
    expect(manifest.pileSets).toMatchObject({ 'Pile-CC': { docs: 1 }, Github: { docs: 1 }, ArXiv: { docs: 1 } });
  });

  it('a flipped checksum byte in the zstd tool\'s second frame is refused naming the file and that frame', async () => {
    const bytes = Buffer.from(readFileSync(CLI_FIXTURE));
    const second = bytes.indexOf(MAGIC, 4);
    bytes[bytes.length - 2] ^= 0x10; // the second frame's checksum is the file's last 4 bytes
    const p = join(dir, 'cli-bad-sum.jsonl.zst');
    writeFileSync(p, bytes);
    const e = await errorOf(tokenizeCorpus({ inputs: [p], out: out(), workers: 1 }));
    expect(e.where).toEqual({ file: p, offset: second });
    expect(e.message).toContain(`${p} at byte ${second}: zstd frame checksum mismatch: the frame at byte ${second} stores`);
  });

  it('stored frames (raw and RLE blocks, a skippable frame) are accepted; one flipped content byte is refused with its frame', async () => {
    const rng = new Rng(seed);
    // > 64 KiB per frame, so frames straddle the reader's slices; a run of x's makes RLE blocks
    const a = jsonlText(rng, 150);
    const b = jsonlText(rng, 150);
    const run = JSON.stringify({ text: 'x'.repeat(9000) });
    const contents = [Buffer.from(`${a.text}\n`), Buffer.from(`${run}\n${b.text}`)];
    const blockSize = 1000 + rng.int(3000);
    const { bytes, starts, rawBlocks } = storedFrames(contents, blockSize);
    expect(contents[0].length, tag).toBeGreaterThan(1 << 16);

    const good = join(dir, 'stored.jsonl.zst');
    writeFileSync(good, bytes);
    const o = out();
    await tokenizeCorpus({ inputs: [good], out: o, valFraction: 0, workers: 2, batchBytes: 4096 });
    const lines = contents.map((c) => c.toString()).join('').split('\n');
    const docs = lines.map((l, i) => ({ l, i })).filter(({ l }) => l.trim() !== '').map(({ l, i }) => {
      const v = JSON.parse(l) as string | { text: string | string[] };
      const text = typeof v === 'string' ? v : Array.isArray(v.text) ? v.text.join('\n\n') : v.text;
      return { text, a: i, b: 0 };
    });
    expect(firstDiff(readOutput(o).train, expectedStreams([{ path: good, docs }], 0, 0).train), tag).toBe('equal');

    // one content byte in a random raw block of each frame, turned into another printable ASCII byte (the JSON
    // usually stays valid, so only the checksum can tell)
    for (const f of [0, 1]) {
      const inFrame = rawBlocks.filter((r) => r.at > starts[f] && (f === 1 || r.at < starts[1]));
      const block = inFrame[rng.int(inFrame.length)];
      const at = block.at + rng.int(Math.min(100, block.length)); // a frame's last block can be shorter than 100
      const bad = Buffer.from(bytes);
      bad[at] = bad[at] === 0x61 ? 0x62 : 0x61;
      const p = join(dir, `stored-flip-${f}.jsonl.zst`);
      writeFileSync(p, bad);
      const e = await errorOf(tokenizeCorpus({ inputs: [p], out: out(), workers: 1, skipBad: true }));
      expect(e.where, `${tag} flipped byte ${at}`).toEqual({ file: p, offset: starts[f] });
      expect(e.message).toContain(`zstd frame checksum mismatch: the frame at byte ${starts[f]}`);
    }
  });
});
