import { describe, expect, it } from 'vitest';
import { encodePair } from './encode-pair.js';
import { gpt2Tokenizer } from './tokenizer.js';

const tok = gpt2Tokenizer();

describe('GPT-2 tokenizer', () => {
  it('gives GPT-2 ids (vocabulary 50257, EOT 50256)', () => {
    expect(tok.vocabSize).toBe(50257);
    expect(tok.eotTokenId).toBe(50256);
    expect(tok.encode('Hello world')).toEqual([15496, 995]);
    expect(tok.encode(' yes')).toEqual([3763]);
    expect(tok.encode(' no')).toEqual([645]);
    expect(tok.encode('\n\n')).toEqual([628]);
    // COPA's current-harness double space: "  it" is " " + " it"
    expect(tok.encode('  it')).toEqual([220, 340]);
  });

  it('turns a literal <|endoftext|> into the special token, as the HF tokenizer does', () => {
    expect(tok.encode('<|endoftext|>')).toEqual([50256]);
    expect(tok.encode('a<|endoftext|>b')).toEqual([64, 50256, 65]);
    expect(tok.decode(tok.encode('Passage: *He* said "hi".\n'))).toBe('Passage: *He* said "hi".\n');
  });
});

describe('encodePair', () => {
  it('v0.3 encodes context and continuation separately; an empty context is [EOT]', () => {
    expect(encodePair(tok, 'Answer:', ' yes', 'v0.3')).toEqual({ context: [33706, 25], continuation: [3763] });
    expect(encodePair(tok, '', ' yes', 'v0.3')).toEqual({ context: [50256], continuation: [3763] });
    expect(encodePair(tok, '', ' yes', 'current')).toEqual({ context: [50256], continuation: [3763] });
  });

  it("current moves the context's trailing whitespace into the continuation (ReCoRD's final newline)", () => {
    const ctx = 'Tom won.\n\n  - Tom wins.\n';
    const cont = '   - Tom said so.';
    const v03 = encodePair(tok, ctx, cont, 'v0.3');
    const cur = encodePair(tok, ctx, cont, 'current');
    expect(tok.decode(v03.context)).toBe(ctx);
    expect(tok.decode(v03.continuation)).toBe(cont);
    expect(tok.decode(cur.context)).toBe('Tom won.\n\n  - Tom wins.');
    expect(tok.decode(cur.continuation)).toBe(`\n${cont}`);
    expect([...cur.context, ...cur.continuation]).toEqual(tok.encode(ctx + cont));
  });
});
