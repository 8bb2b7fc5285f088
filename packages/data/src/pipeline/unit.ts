// The messages between the reader (main thread), the tokenizer workers and the ordered writer. A unit is a
// contiguous run of whole documents from one source file; `seq` numbers units over the whole run, and the
// writer commits results strictly in `seq` order, which is what makes the output independent of the number
// of workers.
import type { SpecialInText } from '../tokenizer.js';

/** The body of a unit, by source format. Byte arrays own their ArrayBuffer, which is transferred. */
export type UnitBody =
  /** complete lines of a JSON-lines file; `firstLine` is the 0-based index of the first one in the file */
  | { kind: 'jsonl'; bytes: Uint8Array; firstLine: number }
  /** one whole text file, one document */
  | { kind: 'text'; bytes: Uint8Array }
  /** consecutive rows of a Parquet text column; null rows are empty documents */
  | { kind: 'rows'; texts: (string | null)[]; firstRow: number }
  /** one OpenWebText `.xz` member: an xz-compressed tar of `.txt` documents; `offset`: where its bytes start in
   *  the file, when known (a lone `.xz` file: 0; inside a tar: not tracked) */
  | { kind: 'owt-member'; bytes: Uint8Array; member: number; memberName: string; offset?: number };

/** A unit as sent to a worker. */
export interface WorkUnit {
  seq: number;
  /** index of the source file in the global order (part of every document's split key) */
  file: number;
  /** the source path, for error messages */
  fileName: string;
  body: UnitBody;
}

/** How workers turn records into documents and documents into ids; fixed for a run. */
export interface WorkerConfig {
  specialInText: SpecialInText;
  /** JSON field holding the text */
  textField: string;
  /** keep only Pile records whose `meta.pile_set_name` is in this list; null keeps all */
  pileSets: string[] | null;
  /** count and skip malformed records instead of failing */
  skipBad: boolean;
  valFraction: number;
  valSeed: number;
}

/** Tokens of one split produced from one unit. */
export interface SplitPart {
  /** [T] uint16 ids: each document's ids followed by EOT */
  tokens: Uint16Array;
  /** [D] tokens per document, EOT included */
  docTokens: Uint32Array;
}

/** Counts carried by a result and summed in the manifest. */
export interface UnitCounts {
  /** records seen: lines (not counting blank ones), files, rows or archive entries */
  records: number;
  /** documents that were empty (after normalisation): no tokens, no EOT */
  emptyDocs: number;
  /** records dropped by the `pileSets` filter */
  filtered: number;
  /** malformed records skipped under `skipBad` */
  skippedBad: number;
  /** documents whose bytes were not valid UTF-8 (decoded with U+FFFD replacement) */
  invalidUtf8: number;
  /** UTF-8 bytes of document text tokenized */
  textBytes: number;
}

/** A problem with one record, located for the message. */
export interface RecordProblem {
  line?: number;
  member?: string;
  message: string;
}

/** What a worker returns for a unit. */
export interface UnitResult {
  seq: number;
  train: SplitPart;
  val: SplitPart;
  counts: UnitCounts;
  /** docs and tokens per Pile component (`meta.pile_set_name`), when records carry one */
  pileSets: Record<string, { docs: number; tokens: number }>;
  /** the first few skipped records (with `skipBad`), for the log */
  badSamples: RecordProblem[];
  /** a malformed record without `skipBad`, or corrupt archive data: the run stops here, in order */
  error?: RecordProblem & { offset?: number; offsetEnd?: number; memberOffset?: number };
}

export function zeroCounts(): UnitCounts {
  return { records: 0, emptyDocs: 0, filtered: 0, skippedBad: 0, invalidUtf8: 0, textBytes: 0 };
}

export function addCounts(into: UnitCounts, c: UnitCounts): void {
  into.records += c.records;
  into.emptyDocs += c.emptyDocs;
  into.filtered += c.filtered;
  into.skippedBad += c.skippedBad;
  into.invalidUtf8 += c.invalidUtf8;
  into.textBytes += c.textBytes;
}
