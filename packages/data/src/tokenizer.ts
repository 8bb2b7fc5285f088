// GPT-2 tokenizer facts shared by the main thread and the workers. The encoder itself (encode.ts) is imported
// only where documents are tokenized, so the main thread does not load the 50k-entry BPE table.

/** GPT-2's end-of-text id, appended after every non-empty document. */
export const EOT = 50256;
/** Vocabulary size of GPT-2 (ids 0..50256); every id fits in uint16. */
export const GPT2_VOCAB_SIZE = 50257;
/** What the manifest records as the tokenizer. */
export const TOKENIZER = { name: 'gpt2', encoding: 'r50k_base', library: 'gpt-tokenizer@4.0.0', vocabSize: GPT2_VOCAB_SIZE, eot: EOT } as const;

/**
 * How a literal `<|endoftext|>` inside a document is tokenized: `ordinary` (the default, nanoGPT / tiktoken
 * `encode_ordinary`) splits it into `<|`, `endoftext`, `|>` like any text; `eot` (flash-attention / HF) turns
 * each occurrence into id 50256.
 */
export type SpecialInText = 'ordinary' | 'eot';
export const SPECIAL_IN_TEXT: readonly SpecialInText[] = ['ordinary', 'eot'];
