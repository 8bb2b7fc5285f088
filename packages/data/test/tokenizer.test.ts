// GPT-2 ids from gpt-tokenizer must equal those of an independent implementation, tiktoken (WASM build of
// OpenAI's Rust BPE), on varied text; EOT handling follows nanoGPT (ordinary) or flash-attention (eot).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { sotuFiles } from '../src/corpus/sotu.js';
import { encodeDoc } from '../src/encode.js';
import { EOT } from '../src/tokenizer.js';
import { EDGE_CASES } from './fixtures.js';
import { firstDiff, tiktokenIds } from './helpers.js';

describe('encodeDoc (gpt-tokenizer r50k) against tiktoken gpt2', () => {
  it('gives identical ids on the edge cases: prose, code, scripts, emoji, whitespace runs, special literals', () => {
    expect.hasAssertions();
    for (const text of EDGE_CASES) {
      const got = encodeDoc(text);
      const want = tiktokenIds(text);
      expect(firstDiff(got, want), JSON.stringify(text.slice(0, 40))).toBe('equal');
    }
  });

  it('gives identical ids on the whole embedded corpus (233 documents, 10.8 MB)', () => {
    let tokens = 0;
    for (const f of sotuFiles()) {
      const text = readFileSync(f, 'utf8');
      const got = encodeDoc(text);
      const want = tiktokenIds(text);
      expect(firstDiff(got, want), f).toBe('equal');
      tokens += got.length;
    }
    // every address has a few thousand tokens: a sanity bound that catches an empty corpus or a wrong file set
    expect(tokens).toBeGreaterThan(2_000_000);
  });

  it('treats a literal <|endoftext|> as ordinary text by default, as EOT with specialInText "eot"', () => {
    const text = 'a<|endoftext|>b';
    const ordinary = encodeDoc(text);
    expect(ordinary).not.toContain(EOT);
    expect(ordinary).toEqual(tiktokenIds(text));
    const eot = encodeDoc(text, 'eot');
    expect(eot).toEqual([...tiktokenIds('a'), EOT, ...tiktokenIds('b')]);
    expect(encodeDoc('<|endoftext|>', 'eot')).toEqual([EOT]);
  });

  it('encodes the empty document as no ids', () => {
    expect(encodeDoc('')).toEqual([]);
  });
});
