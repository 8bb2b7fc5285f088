// The tokenizer interface the evaluator needs, and GPT-2's byte-level BPE (the H3 models' and the paper's
// baselines' tokenizer) through gpt-tokenizer's r50k_base ranks, which are GPT-2's.
import { decode as bpeDecode, encode as bpeEncode, vocabularySize } from 'gpt-tokenizer/encoding/gpt2';

/** Turns text into token ids and back. */
export interface Tokenizer {
  /** For the results file, e.g. "gpt2 (gpt-tokenizer 4.0.0)". */
  readonly name: string;
  readonly vocabSize: number;
  /** End-of-text id: the context of an empty-context request, and the perplexity prefix. */
  readonly eotTokenId: number;
  encode(text: string): number[];
  decode(ids: readonly number[]): string;
}

const EOT_TEXT = '<|endoftext|>';

/**
 * GPT-2 BPE (vocabulary 50,257, `<|endoftext|>` = 50256). Like the Hugging Face GPT-2 tokenizer the harness
 * uses, a literal "<|endoftext|>" in the text becomes the special token rather than being refused.
 * @example gpt2Tokenizer().encode(' yes'); // [3763]
 */
export function gpt2Tokenizer(): Tokenizer {
  const eot = vocabularySize - 1;
  return {
    name: 'gpt2 (gpt-tokenizer 4.0.0, r50k_base ranks)',
    vocabSize: vocabularySize,
    eotTokenId: eot,
    encode(text: string): number[] {
      const pieces = text.split(EOT_TEXT);
      const out: number[] = [];
      pieces.forEach((p, i) => {
        if (i > 0) out.push(eot);
        if (p !== '') out.push(...bpeEncode(p, { disallowedSpecial: new Set() }));
      });
      return out;
    },
    decode: (ids) => bpeDecode(ids),
  };
}
