// Bad input is reported, not crashed on: malformed JSON names file and line (or is skipped and counted with
// skipBad); truncated or corrupt .zst/.xz/tar name the file and a byte offset; an unknown format lists the
// supported ones; the CLI prints one message and no stack trace.
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataError, InputError, UsageError } from '../src/errors.js';
import { tokenizeCorpus } from '../src/pipeline/tokenize-corpus.js';
import { runCli } from './cli.js';
import { jsonlText, zstdFrames } from './fixtures.js';
import { expectedStreams, firstDiff, readOutput, testSeed, tiktokenIds } from './helpers.js';
import { Rng } from '../src/rng.js';
import { EOT } from '../src/tokenizer.js';

const seed = testSeed();
const tag = `(HIPPO_SEED=${seed})`;
let dir: string;
const CRC64_MEMBER = fileURLToPath(new URL('./fixtures/crc64-member.xz', import.meta.url));

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'hippo-data-bad-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let n = 0;
const out = () => join(dir, `out-${n++}`);

/** the error `p` rejects with (fails the test if it resolves) */
async function errorOf(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected an error, got none');
}

/** a jsonl file with malformed lines at the given 1-based line numbers */
function badJsonl(rng: Rng, badLines: number[]): { path: string; good: ReturnType<typeof jsonlText> } {
  const good = jsonlText(rng, 30);
  const lines = good.text.split('\n');
  const garbage = ['{"text": "unterminated', '{"text": 1}', '[1, 2]', '{"meta": {}}', 'not json at all'];
  for (const [i, ln] of badLines.entries()) lines.splice(ln - 1, 0, garbage[i % garbage.length]);
  const path = join(dir, `bad-${n++}.jsonl`);
  writeFileSync(path, lines.join('\n'));
  return { path, good };
}

describe('malformed JSON lines', () => {
  it('stop the run with an error naming the file and line', async () => {
    const { path } = badJsonl(new Rng(seed), [12]);
    const e = await errorOf(tokenizeCorpus({ inputs: [path], out: out(), workers: 2, batchBytes: 512 }));
    expect(e).toBeInstanceOf(InputError);
    const ie = e as InputError;
    expect(ie.where).toMatchObject({ file: path, line: 12 });
    expect(ie.message).toContain(`${path}:12: malformed JSON`);
    expect(ie.message).toContain('--skip-bad');
  });

  it('name the field when the record has the wrong shape', async () => {
    const p = join(dir, 'shape.jsonl');
    writeFileSync(p, '{"text": "fine"}\n{"body": "no text field"}\n');
    const e = (await errorOf(tokenizeCorpus({ inputs: [p], out: out(), workers: 1 }))) as InputError;
    expect(e.where.line).toBe(2);
    expect(e.message).toContain('missing field "text" (fields present: body');
    writeFileSync(p, '{"text": ["a", 3]}\n');
    expect((await errorOf(tokenizeCorpus({ inputs: [p], out: out(), workers: 1 }))).message).toContain('field "text" must be a string or a list of strings; got an array');
  });

  it('are skipped and counted with skipBad, the rest tokenized as without them', async () => {
    const bad = [3, 9, 10, 17, 25];
    const { path, good } = badJsonl(new Rng(seed), bad);
    const notes: string[] = [];
    const dirOut = out();
    const { manifest } = await tokenizeCorpus({ inputs: [path], out: dirOut, workers: 2, skipBad: true, valFraction: 0, batchBytes: 700, log: (l) => notes.push(l) });
    expect(manifest.counts.skippedBad).toBe(bad.length);
    // the good records' line numbers moved; only their order and text matter when nothing goes to val
    const want = expectedStreams([{ path, docs: good.docs }], 0, 0);
    expect(firstDiff(readOutput(dirOut).train, want.train), tag).toBe('equal');
    expect(notes.filter((l) => l.startsWith('skipped a malformed record')).map((l) => Number(/\.jsonl:(\d+)/.exec(l)![1]))).toEqual(bad);
  });
});

describe('damaged compressed input', () => {
  let zst: Buffer;
  beforeAll(async () => {
    zst = await zstdFrames(Buffer.from(jsonlText(new Rng(seed), 200).text), 2);
  });

  it('a truncated .zst names the file and the byte where it ends', async () => {
    const p = join(dir, 'truncated.jsonl.zst');
    const cut = zst.length - 1 - new Rng(seed).int(Math.min(200, zst.length - 20));
    writeFileSync(p, zst.subarray(0, cut));
    const e = (await errorOf(tokenizeCorpus({ inputs: [p], out: out(), workers: 1 }))) as InputError;
    expect(e).toBeInstanceOf(InputError);
    expect(e.where).toMatchObject({ file: p, offset: cut });
    expect(e.message).toContain(`truncated zstd data: the file ends at byte ${cut} inside a frame`);
  });

  it('a corrupt .zst names the file and the exact byte of the damaged frame', async () => {
    // destroy the magic number of the second frame: a decoder must notice at that frame's start
    const magic = Buffer.from([0x28, 0xb5, 0x2f, 0xfd]);
    const second = zst.indexOf(magic, 4);
    expect(second).toBeGreaterThan(0);
    const p = join(dir, 'corrupt.jsonl.zst');
    const bad = Buffer.from(zst);
    bad[second + 1] ^= 0xff;
    writeFileSync(p, bad);
    const e = (await errorOf(tokenizeCorpus({ inputs: [p], out: out(), workers: 1 }))) as InputError;
    expect(e).toBeInstanceOf(InputError);
    expect(e.where).toEqual({ file: p, offset: second });
    expect(e.message).toContain(`corrupt zstd data: no zstd frame starts at byte ${second} (magic number 0x`);
  });

  it('a real xz member with a CRC64 check decodes; its damage is reported with the file, member and byte', async () => {
    const good = join(dir, 'urlsf_subset99-1_data.xz');
    copyFileSync(CRC64_MEMBER, good);
    const o = out();
    const { manifest } = await tokenizeCorpus({ inputs: [good], out: o, valFraction: 0, workers: 1 });
    // the member's two documents, sorted by name, normalised as the HF script does
    const want = [
      ...tiktokenIds('A second document, with leading spaces and a trailing newline.'), EOT,
      ...tiktokenIds('The first document of the member.\n\nIt has a run of newlines.'), EOT,
    ];
    expect(firstDiff(readOutput(o).train, want)).toBe('equal');
    expect(manifest.counts.records).toBe(2);

    const bytes = readFileSync(CRC64_MEMBER);
    const L = bytes.length;
    const indexBytes = (bytes.readUInt32LE(L - 8) + 1) * 4; // stream footer: backward size
    const check = L - 12 - indexBytes - 8; // the block's CRC64 sits just before the index
    const flipCheck = (b: Buffer) => {
      b[check] ^= 0x01;
      return b;
    };
    for (const [name, mutate, message] of [
      ['crc', flipCheck, /corrupt xz data: block 0 at byte 12 \(check CRC64\) fails to decode: .*Invalid block CRC64/],
      ['truncated', (b: Buffer) => b.subarray(0, L - 7), /truncated xz data/],
    ] as const) {
      const p = join(dir, `${name}-member.xz`);
      writeFileSync(p, mutate(Buffer.from(bytes)));
      const e = (await errorOf(tokenizeCorpus({ inputs: [p], out: out(), workers: 1 }))) as InputError;
      expect(e, name).toBeInstanceOf(InputError);
      expect(e.message, name).toMatch(message);
      expect(e.where.file).toBe(p);
      expect(e.where.offset, name).toBeDefined();
    }
  });

  it('a truncated OpenWebText tar names the file and a byte offset', async () => {
    const p = join(dir, 'urlsf_subset98.tar');
    const { pack } = await import('tar-stream');
    const tp = pack();
    tp.entry({ name: 'a_data.xz' }, readFileSync(CRC64_MEMBER));
    tp.entry({ name: 'b_data.xz' }, readFileSync(CRC64_MEMBER));
    tp.finalize();
    const chunks: Buffer[] = [];
    for await (const c of tp) chunks.push(c as Buffer);
    const tar = Buffer.concat(chunks);
    writeFileSync(p, tar.subarray(0, 512 + 512 + 100)); // inside the second member's data
    const e = (await errorOf(tokenizeCorpus({ inputs: [p], out: out(), workers: 1 }))) as InputError;
    expect(e).toBeInstanceOf(InputError);
    expect(e.message).toContain('corrupt or truncated tar archive');
    expect(e.where.offset).toBeTypeOf('number');
  });
});

describe('other bad input', () => {
  it('an unknown format is refused with the list of supported ones', async () => {
    const p = join(dir, 'data.csv');
    writeFileSync(p, 'a,b\n');
    const e = await errorOf(tokenizeCorpus({ inputs: [p], out: out() }));
    expect(e).toBeInstanceOf(UsageError);
    for (const f of ['.txt', '.jsonl', '.jsonl.zst', '.tar', '.xz', '.parquet']) expect(e.message).toContain(f);
  });

  it('invalid UTF-8 is decoded with replacement characters and counted, not fatal', async () => {
    const p = join(dir, 'latin1.txt');
    writeFileSync(p, Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x21])); // "café!" in Latin-1
    const o = out();
    const { manifest } = await tokenizeCorpus({ inputs: [p], out: o, valFraction: 0, workers: 1 });
    expect(manifest.counts.invalidUtf8).toBe(1);
    expect(firstDiff(readOutput(o).train, [...tiktokenIds('caf\ufffd!'), EOT])).toBe('equal');
  });

  it('a Parquet file without the text column names the columns it has', async () => {
    const { parquetWriteBuffer } = await import('hyparquet-writer');
    const p = join(dir, 'cols.parquet');
    writeFileSync(p, Buffer.from(parquetWriteBuffer({ columnData: [{ name: 'content', data: ['x'], type: 'STRING' }] })));
    const e = await errorOf(tokenizeCorpus({ inputs: [p], out: out() }));
    expect(e.message).toContain('no column "text" (columns: content)');
  });

  it('a resumed run whose inputs changed is refused instead of mixing two corpora', async () => {
    const p = join(dir, 'grow.jsonl');
    writeFileSync(p, '{"text": "one"}\n');
    const o = out();
    mkdirSync(o, { recursive: true });
    writeFileSync(join(o, 'progress.json'), JSON.stringify({ format: 'hippo-data/progress', version: 1, fingerprint: 'other' }));
    const e = await errorOf(tokenizeCorpus({ inputs: [p], out: o }));
    expect(e).toBeInstanceOf(DataError);
    expect(e.message).toContain('unfinished run of other inputs or options');
  });
});

describe('the CLI on bad input', () => {
  it('prints one message without a stack trace and exits 1 (2 for usage errors)', async () => {
    const { path } = badJsonl(new Rng(seed), [5]);
    const r = await runCli(['tokenize', path, '--out', out(), '--progress', 'none']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${path}:5: malformed JSON`);
    expect(r.stderr).not.toMatch(/\n\s+at /);

    const csv = join(dir, 'x.csv');
    writeFileSync(csv, 'a');
    const u = await runCli(['tokenize', csv, '--out', out()]);
    expect(u.code).toBe(2);
    expect(u.stderr).toContain('unknown input format');
    expect(u.stderr).toContain('jsonl.zst');
    expect(u.stderr).not.toMatch(/\n\s+at /);

    const w = await runCli(['tokenize', '--out', out(), '--workers', 'two']);
    expect(w.code).toBe(2);
    expect(w.stderr).toContain("--workers must be a number; got 'two'");
  });
});
