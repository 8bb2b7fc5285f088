// The streamed text must equal the text of all tokens at once, even when tokens split UTF-8 characters.
import { describe, expect, it } from 'vitest';
import { EOT, TextStreamer, decodeTokens, encodeText } from '../src/tokenizer.js';

describe('GPT-2 tokenizer and TextStreamer', () => {
  it('encodes like GPT-2 (ordinary mode: a literal <|endoftext|> is text)', () => {
    expect(encodeText('Hello world')).toEqual([15496, 995]);
    expect(encodeText('<|endoftext|>')).not.toContain(EOT);
    expect(decodeTokens(encodeText('The hippopotamus is'))).toBe('The hippopotamus is');
  });

  it('streams multi-byte characters whole: the pieces join to the full decode and never hold U+FFFD', () => {
    const text = 'Hippo 🦛 says: naïve café — 日本語 ✓ 🦛🦛';
    const ids = encodeText(text);
    // byte-level BPE splits the emoji and the CJK characters across tokens: the case the streamer exists for
    expect(ids.some((_, i) => decodeTokens(ids.slice(0, i + 1)).endsWith('\ufffd'))).toBe(true);
    const s = new TextStreamer();
    const pieces = ids.map((t) => s.push(t));
    pieces.push(s.flush());
    expect(pieces.join('')).toBe(text);
    for (const p of pieces) expect(p).not.toContain('\ufffd');
  });

  it('a decode that ends inside a character leaves nothing behind for the next one (flush token = byte 0xFF)', () => {
    expect(decodeTokens([187])).toBe('\ufffd');
    const emoji = encodeText('🦛');
    expect(decodeTokens(emoji.slice(0, 1))).toMatch(/^\ufffd+$/);
    expect(decodeTokens(encodeText('a'))).toBe('a');
    expect(decodeTokens(emoji)).toBe('🦛');
  });

  it('prints nothing for EOT, and flushes an unfinished character as U+FFFD', () => {
    const s = new TextStreamer();
    const emoji = encodeText('🦛');
    expect(emoji.length).toBeGreaterThan(1);
    expect(s.push(EOT)).toBe('');
    expect(s.push(emoji[0])).toBe('');
    expect(s.flush()).toContain('\ufffd');
  });
});
