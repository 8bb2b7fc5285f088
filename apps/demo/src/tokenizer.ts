// GPT-2 byte-level BPE (r50k_base, 50,257 ids) through gpt-tokenizer — the pinned version @hippo/data
// tokenizes the training shards with, imported directly because it is pure JavaScript and runs in browsers.
// Text is encoded in ordinary mode like the shards (a literal "<|endoftext|>" in a prompt is plain text).
import { decode, encode } from 'gpt-tokenizer/encoding/r50k_base';

/** GPT-2's <|endoftext|>: generation stops after it. */
export const EOT = 50256;

const ORDINARY = { disallowedSpecial: new Set<string>() };

/** GPT-2 token ids of `text`. @example encodeText('Hello world') // [15496, 995] */
export function encodeText(text: string): number[] {
  return encode(text, ORDINARY);
}

// gpt-tokenizer 4.0.0 decodes bytes with one module-wide TextDecoder in streaming mode, so a decode that
// ends inside a UTF-8 character leaves those bytes pending and they corrupt the start of the *next* decode
// call. Ending every call with the token of the lone byte 0xFF (never valid UTF-8) flushes them: the decoder
// emits U+FFFD for any pending prefix, then exactly one U+FFFD for 0xFF, which is cut off again.
const FLUSH_TOKEN = 187;

/** The text of token ids (EOT decodes to "<|endoftext|>"; an unfinished trailing character to U+FFFD). */
export function decodeTokens(tokens: readonly number[]): string {
  return decode([...tokens, FLUSH_TOKEN]).slice(0, -1);
}

/**
 * Turns a stream of token ids into a stream of text. One token can end in the middle of a UTF-8 character
 * (an emoji spans several byte-level tokens); such a tail decodes to U+FFFD, so it is held back until the
 * character is complete, and the pieces joined always equal decodeTokens(all tokens). EOT prints nothing.
 * @example const s = new TextStreamer(); process.stdout.write(s.push(id)); …; process.stdout.write(s.flush());
 */
export class TextStreamer {
  private readonly tokens: number[] = [];
  private emitted = 0;

  /** Adds one token; returns the new text that is now certain (maybe ''). */
  push(token: number): string {
    if (token === EOT) return '';
    this.tokens.push(token);
    const text = decodeTokens(this.tokens);
    let end = text.length;
    while (end > this.emitted && text.charCodeAt(end - 1) === 0xfffd) end--;
    return this.take(text, end);
  }

  /** The held-back tail, if any (U+FFFD where the token stream ended inside a character). */
  flush(): string {
    const text = decodeTokens(this.tokens);
    return this.take(text, text.length);
  }

  private take(text: string, end: number): string {
    if (end <= this.emitted) return '';
    const piece = text.slice(this.emitted, end);
    this.emitted = end;
    return piece;
  }
}
