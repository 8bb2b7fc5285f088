// GPT-2 byte-level BPE (OpenAI's r50k_base: 50,257 ids) through gpt-tokenizer, always in *ordinary* mode:
// the libraries disagree on `<|endoftext|>` inside text (design/data.md §2.3), so we never use their special-token
// paths. The pipeline appends EOT itself after every non-empty document, as nanoGPT does.
import { encode } from 'gpt-tokenizer/encoding/r50k_base';
import { EOT, type SpecialInText } from './tokenizer.js';

const LITERAL_EOT = '<|endoftext|>';
// built once: gpt-tokenizer's default options scan for special tokens and throw; an empty disallowed set
// makes every special-token literal ordinary text (and is ~10-20 % faster than building options per call)
const ORDINARY = { disallowedSpecial: new Set<string>() };

/**
 * The GPT-2 token ids of one document, without EOT.
 * @example encodeDoc('Hello world') // [15496, 995]
 */
export function encodeDoc(text: string, specialInText: SpecialInText = 'ordinary'): number[] {
  if (specialInText === 'ordinary' || !text.includes(LITERAL_EOT)) return encode(text, ORDINARY);
  const out: number[] = [];
  const pieces = text.split(LITERAL_EOT);
  for (let i = 0; i < pieces.length; i++) {
    if (i > 0) out.push(EOT);
    if (pieces[i].length > 0) for (const t of encode(pieces[i], ORDINARY)) out.push(t);
  }
  return out;
}
