// Small inputs of every format, generated at test time from a seeded Rng, each with the documents (and split
// keys) a correct reader must produce, so tests can rebuild the expected token stream independently.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { compress as zstdCompress, init as zstdInit } from '@bokuweb/zstd-wasm';
import { xz } from '@napi-rs/lzma';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { pack } from 'tar-stream';
import { Rng } from '../src/rng.js';
import { sotuFiles } from '../src/corpus/sotu.js';
import { normaliseOwt } from '../src/text/normalise.js';

/** A document a reader must yield: its text (after any normalisation) and its split key (a, b). */
export interface ExpectedDoc {
  text: string;
  a: number;
  b: number;
}

/** One generated input file and what it holds, in order. */
export interface Fixture {
  path: string;
  docs: ExpectedDoc[];
}

/** Text that exercises the tokenizer: prose, code, many scripts, emoji, whitespace runs, the EOT literal. */
export const EDGE_CASES: readonly string[] = [
  'The quick brown fox jumps over the lazy dog.',
  "I'm sure it's fine, isn't it? They'll say we'd've DONE IT'S WORK.",
  'def f(x):\n\treturn {"a": [1, 2, 3]}  # comment\n\n\n\tprint(x**2)\r\n',
  '3.14159 2,718,281 1e-9 0x1F 00042 12345678901234567890',
  '日本語のテキスト、中文文本，한국어 텍스트. العربية עברית हिन्दी café naïve e\u0301',
  'emoji 👋🏽 👨‍👩‍👧‍👦 🇯🇵 🏳️‍🌈 ✨',
  `spaces${' '.repeat(37)}end${' '.repeat(300)}tabs${'\t'.repeat(50)}\n\n\n\n\nnl`,
  'odd\u00a0space\u2009thin\u3000ideo\u2028line\u0085nel\ufeffbom\u001cfs\u200bzw',
  'First document.<|endoftext|>Second document. <|endoftext|> third <|endoftext',
  'lone surrogate \ud800 here',
  'x'.repeat(5000),
  '',
];

const PILE_SETS = ['Pile-CC', 'Github', 'ArXiv'];

/** A random document: a slice of a State of the Union address, sometimes an edge case or empty. */
function randomDoc(rng: Rng, sotu: string[]): string {
  const r = rng.float();
  if (r < 0.05) return '';
  if (r < 0.25) return EDGE_CASES[rng.int(EDGE_CASES.length)];
  const t = sotu[rng.int(sotu.length)];
  const start = rng.int(t.length);
  return t.slice(start, start + 1 + rng.int(3000));
}

function sotuSample(n: number): string[] {
  return sotuFiles().slice(0, n).map((f) => readFileSync(f, 'utf8'));
}

async function tarOf(files: { name: string; data: string | Uint8Array }[]): Promise<Buffer> {
  const p = pack();
  for (const f of files) p.entry({ name: f.name, mtime: new Date(0) }, Buffer.from(f.data));
  p.finalize();
  const chunks: Buffer[] = [];
  for await (const c of p) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

/** A JSON-lines file: Pile-style records, a bare string, a paragraph list, blank lines; last line unterminated. */
export function jsonlText(rng: Rng, n: number): { text: string; docs: ExpectedDoc[]; pileSets: (string | undefined)[] } {
  const sotu = sotuSample(40);
  const lines: string[] = [];
  const docs: ExpectedDoc[] = [];
  const pileSets: (string | undefined)[] = [];
  for (let i = 0; i < n; i++) {
    const r = rng.float();
    if (r < 0.05) {
      lines.push(''); // blank line: no record
      continue;
    }
    const text = randomDoc(rng, sotu);
    let line: string;
    let set: string | undefined;
    if (r < 0.1) line = JSON.stringify(text);
    else if (r < 0.15) {
      const paras = text.split('\n\n');
      line = JSON.stringify({ text: paras, meta: { url: 'x' } });
    } else {
      set = PILE_SETS[rng.int(PILE_SETS.length)];
      line = JSON.stringify({ text, meta: { pile_set_name: set } });
    }
    docs.push({ text, a: lines.length, b: 0 });
    pileSets.push(set);
    lines.push(line);
  }
  return { text: lines.join('\n'), docs, pileSets };
}

/** zstd of `bytes` as `frames` concatenated frames (as some writers produce). */
export async function zstdFrames(bytes: Uint8Array, frames: number): Promise<Buffer> {
  await zstdInit();
  const parts: Buffer[] = [];
  const step = Math.ceil(bytes.length / frames);
  for (let o = 0; o < bytes.length; o += step) parts.push(Buffer.from(zstdCompress(Buffer.from(bytes.subarray(o, o + step)), 3)));
  return Buffer.concat(parts);
}

/** An OpenWebText-style `.xz` member: xz of a tar of `.txt` documents, stored in shuffled order. */
async function owtMember(rng: Rng, sotu: string[], n: number, member: number): Promise<{ bytes: Buffer; docs: ExpectedDoc[] }> {
  const files = Array.from({ length: n }, (_, i) => {
    let text = randomDoc(rng, sotu);
    if (i === 1) text = `\n\n  ${text}\n\n\n\n\nmore text after a run of newlines\u0085 \n`; // exercises normalisation
    return { name: `${String(i).padStart(7, '0')}-${(rng.u32() >>> 8).toString(16)}.txt`, data: text };
  });
  const sorted = [...files].sort((x, y) => (x.name < y.name ? -1 : 1));
  const docs = sorted.map((f, k) => ({ text: normaliseOwt(f.data), a: member, b: k }));
  const tar = await tarOf(rng.shuffle([...files]));
  return { bytes: xz.compressSync(tar), docs };
}

/**
 * Writes one fixture of every format into `dir` and returns them in a fixed order: a folder of `.txt` files
 * (as one Fixture per file), `.jsonl`, `.jsonl.zst` (3 frames), an OpenWebText `.tar` of `.xz` members, a lone
 * `.xz` member, and a Parquet file with several row groups.
 */
export async function writeFixtures(dir: string, seed: number, scale = 1): Promise<Fixture[]> {
  const rng = new Rng(seed);
  const sotu = sotuSample(40);
  mkdirSync(join(dir, 'texts', 'sub'), { recursive: true });
  const out: Fixture[] = [];

  // plain text folder: files (sorted order) a.txt, b.txt, sub/c.txt; plus a file the folder walk must skip
  for (const name of ['a.txt', 'b.txt', join('sub', 'c.txt')]) {
    const text = name === 'b.txt' ? '' : randomDoc(rng, sotu) || 'x';
    writeFileSync(join(dir, 'texts', name), text);
    out.push({ path: join(dir, 'texts', name), docs: [{ text, a: 0, b: 0 }] });
  }
  writeFileSync(join(dir, 'texts', 'notes.json'), '{}');

  const j = jsonlText(rng, Math.round(60 * scale));
  writeFileSync(join(dir, 'docs.jsonl'), j.text);
  out.push({ path: join(dir, 'docs.jsonl'), docs: j.docs });

  const z = jsonlText(rng, Math.round(80 * scale));
  writeFileSync(join(dir, 'pile.jsonl.zst'), await zstdFrames(Buffer.from(z.text), 3));
  out.push({ path: join(dir, 'pile.jsonl.zst'), docs: z.docs });

  const members = [];
  const owtDocs: ExpectedDoc[] = [];
  for (let m = 0; m < 3; m++) {
    const mem = await owtMember(rng, sotu, 3 + rng.int(6), m);
    members.push({ name: `openwebtext/urlsf_subset00-${m + 1}_data.xz`, data: mem.bytes });
    owtDocs.push(...mem.docs);
  }
  writeFileSync(join(dir, 'urlsf_subset00.tar'), await tarOf(members));
  out.push({ path: join(dir, 'urlsf_subset00.tar'), docs: owtDocs });

  const lone = await owtMember(rng, sotu, 4, 0);
  writeFileSync(join(dir, 'urlsf_subset01-1_data.xz'), lone.bytes);
  out.push({ path: join(dir, 'urlsf_subset01-1_data.xz'), docs: lone.docs });

  const rows = Array.from({ length: Math.round(50 * scale) }, () => randomDoc(rng, sotu));
  const data: (string | null)[] = rows.map((r, i) => (i === 7 ? null : r));
  const buf = parquetWriteBuffer({ columnData: [{ name: 'text', data, type: 'STRING' }, { name: 'id', data: data.map((_, i) => i), type: 'INT32' }], rowGroupSize: 16 });
  writeFileSync(join(dir, 'train-00000-of-00001.parquet'), Buffer.from(buf));
  out.push({ path: join(dir, 'train-00000-of-00001.parquet'), docs: data.map((t, i) => ({ text: t ?? '', a: i, b: 0 })) });
  return out;
}
