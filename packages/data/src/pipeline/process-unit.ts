// Inside a worker: turns one unit's raw bytes into documents (UTF-8 decode, JSON parse, xz + tar for
// OpenWebText, the HF normalisation there), tokenizes each non-empty document, appends EOT, and sorts it into
// train or val. Nothing here depends on timing or on which worker runs it.
import { normaliseOwt } from '../text/normalise.js';
import { encodeDoc } from '../encode.js';
import { locateXzFailure } from '../readers/xz-blocks.js';
import { EOT } from '../tokenizer.js';
import { isVal } from './split.js';
import type { RecordProblem, SplitPart, UnitResult, WorkUnit, WorkerConfig } from './unit.js';
import { zeroCounts } from './unit.js';

const MAX_BAD_SAMPLES = 5;
const utf8Fatal = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const utf8Lossy = new TextDecoder('utf-8', { ignoreBOM: true });

/** Growable [T] uint16 token buffer plus [D] per-document lengths. */
class PartBuilder {
  private tokens: Uint16Array;
  private n = 0;
  private docs: number[] = [];

  /** `capacity`: expected tokens, so that a typical unit needs no regrowth (English is ~4–5 bytes/token) */
  constructor(capacity: number) {
    this.tokens = new Uint16Array(Math.max(1 << 12, capacity));
  }

  add(ids: number[]): number {
    const need = this.n + ids.length + 1;
    if (need > this.tokens.length) {
      const grown = new Uint16Array(Math.max(need, this.tokens.length * 2));
      grown.set(this.tokens.subarray(0, this.n));
      this.tokens = grown;
    }
    const t = this.tokens;
    let n = this.n;
    for (let i = 0; i < ids.length; i++) t[n++] = ids[i];
    t[n++] = EOT;
    this.n = n;
    this.docs.push(ids.length + 1);
    return ids.length + 1;
  }

  /** exact-size copies that own their buffers (they are transferred to the main thread) */
  build(): SplitPart {
    return { tokens: this.tokens.slice(0, this.n), docTokens: Uint32Array.from(this.docs) };
  }
}

class ResultBuilder {
  readonly train: PartBuilder;
  readonly val: PartBuilder;
  readonly counts = zeroCounts();
  readonly pileSets: UnitResult['pileSets'] = {};
  readonly badSamples: RecordProblem[] = [];
  error?: UnitResult['error'];

  constructor(
    readonly unit: WorkUnit,
    readonly cfg: WorkerConfig,
  ) {
    const b = unit.body;
    const bytes = b.kind === 'rows' ? b.texts.reduce((n, t) => n + (t?.length ?? 0), 0) : b.kind === 'owt-member' ? 4 * b.bytes.length : b.bytes.length;
    this.train = new PartBuilder(Math.ceil(bytes / 3));
    this.val = new PartBuilder(Math.ceil((bytes / 3) * Math.min(1, 2 * cfg.valFraction)));
  }

  /** one document with split key (file, a, b) */
  doc(text: string, a: number, b: number, pileSet?: string): void {
    if (text.length === 0) {
      this.counts.emptyDocs++;
      return;
    }
    const ids = encodeDoc(text, this.cfg.specialInText);
    const part = isVal(this.cfg.valFraction, this.cfg.valSeed, this.unit.file, a, b) ? this.val : this.train;
    const n = part.add(ids);
    this.counts.textBytes += Buffer.byteLength(text, 'utf8');
    if (pileSet !== undefined) {
      const s = (this.pileSets[pileSet] ??= { docs: 0, tokens: 0 });
      s.docs++;
      s.tokens += n;
    }
  }

  /** a malformed record: skipped and sampled under skipBad, else the unit's error (the first one wins) */
  bad(p: RecordProblem): boolean {
    if (this.cfg.skipBad) {
      this.counts.skippedBad++;
      if (this.badSamples.length < MAX_BAD_SAMPLES) this.badSamples.push(p);
      return true;
    }
    this.error = p;
    return false;
  }

  build(): UnitResult {
    return {
      seq: this.unit.seq,
      train: this.train.build(),
      val: this.val.build(),
      counts: this.counts,
      pileSets: this.pileSets,
      badSamples: this.badSamples,
      error: this.error,
    };
  }
}

/** Tokenizes one unit. Problems with the input come back in `result.error`; only bugs throw. */
export async function processUnit(unit: WorkUnit, cfg: WorkerConfig): Promise<UnitResult> {
  const r = new ResultBuilder(unit, cfg);
  const body = unit.body;
  switch (body.kind) {
    case 'text':
      r.counts.records++;
      r.doc(decode(body.bytes, r), 0, 0);
      break;
    case 'rows':
      for (let j = 0; j < body.texts.length; j++) {
        r.counts.records++;
        r.doc(body.texts[j] ?? '', body.firstRow + j, 0);
      }
      break;
    case 'jsonl':
      jsonlUnit(body.bytes, body.firstLine, r);
      break;
    case 'owt-member':
      await owtMember(body.bytes, body.member, body.memberName, body.offset, r);
      break;
  }
  return r.build();
}

function jsonlUnit(bytes: Uint8Array, firstLine: number, r: ResultBuilder): void {
  const lines = decodeLines(bytes, r);
  for (let j = 0; j < lines.length; j++) {
    const line = lines[j];
    if (line.trim().length === 0) continue; // blank lines (a trailing newline, CRLF leftovers) are not records
    r.counts.records++;
    const lineNo = firstLine + j + 1;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (e) {
      if (!r.bad({ line: lineNo, message: `malformed JSON (${(e as Error).message}): ${snippet(line)}` })) return;
      continue;
    }
    const rec = recordText(value, r.cfg.textField);
    if (typeof rec === 'string') {
      if (!r.bad({ line: lineNo, message: rec })) return;
      continue;
    }
    if (r.cfg.pileSets && (rec.pileSet === undefined || !r.cfg.pileSets.includes(rec.pileSet))) {
      r.counts.filtered++;
      continue;
    }
    r.doc(rec.text, firstLine + j, 0, rec.pileSet);
  }
}

/** The document text of a JSON record, or a message saying what is wrong with it. */
function recordText(v: unknown, field: string): { text: string; pileSet?: string } | string {
  if (typeof v === 'string') return { text: v }; // lm_dataformat allows a bare string record
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return `expected a JSON object with field "${field}" or a JSON string; got ${describe(v)}`;
  const o = v as Record<string, unknown>;
  const f = o[field];
  let text: string;
  if (typeof f === 'string') text = f;
  else if (Array.isArray(f) && f.every((x) => typeof x === 'string')) text = f.join('\n\n'); // lm_dataformat paragraphs
  else if (f === undefined) return `missing field "${field}" (fields present: ${Object.keys(o).slice(0, 8).join(', ') || 'none'}; choose another with --text-field)`;
  else return `field "${field}" must be a string or a list of strings; got ${describe(f)}`;
  const meta = o.meta as Record<string, unknown> | undefined;
  const set = meta && typeof meta === 'object' ? meta.pile_set_name : undefined;
  return { text, pileSet: typeof set === 'string' ? set : undefined };
}

async function owtMember(bytes: Uint8Array, member: number, memberName: string, offset: number | undefined, r: ResultBuilder): Promise<void> {
  // loaded on first use: a worker that never sees OpenWebText does not pay for the native addon and tar parser
  const [{ xz }, { tarFiles }] = await Promise.all([import('@napi-rs/lzma'), import('../readers/tar.js')]);
  let tar: Uint8Array;
  try {
    tar = xz.decompressSync(bytes);
  } catch (e) {
    r.error = xzProblem(bytes, memberName, offset, (e as Error).message, (s) => xz.decompressSync(s));
    return;
  }
  let files;
  try {
    files = await tarFiles(tar);
  } catch (e) {
    r.error = { member: memberName, message: `corrupt tar inside the xz data: ${(e as Error).message}` };
    return;
  }
  // the HF script reads each member's documents sorted by name
  files.sort((x, y) => (x.name < y.name ? -1 : x.name > y.name ? 1 : 0));
  for (let k = 0; k < files.length; k++) {
    r.counts.records++;
    r.doc(normaliseOwt(decode(files[k].data, r)), member, k);
  }
}

/**
 * The error for an xz member that failed to decode: @napi-rs/lzma says what failed but not where, so the
 * failing block (or header, index, footer) is located afterwards. `offset`: where the member starts in the
 * file, when known (a lone .xz file); otherwise offsets are given inside the member.
 */
function xzProblem(bytes: Uint8Array, memberName: string, offset: number | undefined, cause: string, decode: (s: Uint8Array) => unknown): NonNullable<UnitResult['error']> {
  const at = (o: number) => (offset === undefined ? { memberOffset: o } : { offset: offset + o });
  // a missing footer magic ("YZ") means the data stops early
  const truncated = bytes.length < 12 || bytes[bytes.length - 2] !== 0x59 || bytes[bytes.length - 1] !== 0x5a;
  const f = locateXzFailure(bytes, decode);
  if (truncated)
    return { member: memberName, ...at(bytes.length), message: `truncated xz data: the ${bytes.length}-byte stream ends without its footer (${cause})${f ? `; ${f.message}` : ''}` };
  if (!f)
    return { member: memberName, ...at(0), message: `corrupt xz data in the ${bytes.length}-byte stream (${cause}); every block decodes on its own` };
  return { member: memberName, ...at(f.offset), message: `corrupt xz data: ${f.message}${f.message.includes(cause) ? '' : ` (decoding the whole stream: ${cause})`}` };
}

/** UTF-8 → string; invalid bytes become U+FFFD and the document is counted. */
function decode(bytes: Uint8Array, r: ResultBuilder): string {
  try {
    return utf8Fatal.decode(bytes);
  } catch {
    r.counts.invalidUtf8++;
    return utf8Lossy.decode(bytes);
  }
}

/** Lines of a unit; one invalid line does not taint the others' count. */
function decodeLines(bytes: Uint8Array, r: ResultBuilder): string[] {
  try {
    return utf8Fatal.decode(bytes).split('\n');
  } catch {
    const lines: string[] = [];
    let start = 0;
    for (;;) {
      const nl = bytes.indexOf(0x0a, start);
      const end = nl < 0 ? bytes.length : nl;
      lines.push(decode(bytes.subarray(start, end), r));
      if (nl < 0) return lines;
      start = nl + 1;
    }
  }
}

function snippet(line: string): string {
  return JSON.stringify(line.length > 60 ? `${line.slice(0, 60)}…` : line);
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'object' ? 'an object' : `${typeof v} ${snippet(String(v))}`;
}
