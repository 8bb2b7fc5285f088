// Cuts a byte stream into units of whole lines, about `batchBytes` each, without ever decoding a partial
// chunk: Pile lines can be hundreds of MB, so bytes accumulate until a newline arrives (design/data.md §1.2).
import type { UnitBody } from '../pipeline/unit.js';

/** Feeds on byte chunks; returns the jsonl units that filled up. */
export class LineBatcher {
  private chunks: Uint8Array[] = [];
  private held = 0; // bytes in `chunks`
  private line = 0; // 0-based index (in the file) of the first line held

  constructor(private readonly batchBytes: number) {}

  push(chunk: Uint8Array): UnitBody[] {
    if (chunk.length === 0) return [];
    this.chunks.push(chunk);
    this.held += chunk.length;
    const out: UnitBody[] = [];
    while (this.held >= this.batchBytes) {
      const cut = this.lastNewline();
      if (cut < 0) break; // one long line still arriving
      out.push(this.take(cut + 1));
    }
    return out;
  }

  /** the last unit: whatever is held, a final line without a newline included */
  end(): UnitBody[] {
    return this.held > 0 ? [this.take(this.held)] : [];
  }

  /** offset (in held bytes) of the last newline, or -1 */
  private lastNewline(): number {
    let end = this.held;
    for (let i = this.chunks.length - 1; i >= 0; i--) {
      const c = this.chunks[i];
      end -= c.length;
      const p = c.lastIndexOf(0x0a);
      if (p >= 0) return end + p;
    }
    return -1;
  }

  /** removes the first n held bytes as one unit (a copy that owns its buffer, for transfer) */
  private take(n: number): UnitBody {
    const bytes = new Uint8Array(n);
    let o = 0;
    while (o < n) {
      const c = this.chunks[0];
      const k = Math.min(c.length, n - o);
      bytes.set(k === c.length ? c : c.subarray(0, k), o);
      o += k;
      if (k === c.length) this.chunks.shift();
      else this.chunks[0] = c.subarray(k);
    }
    this.held -= n;
    const unit: UnitBody = { kind: 'jsonl', bytes, firstLine: this.line };
    let lines = 0;
    for (let p = bytes.indexOf(0x0a); p >= 0; p = bytes.indexOf(0x0a, p + 1)) lines++;
    this.line += lines;
    return unit;
  }
}
