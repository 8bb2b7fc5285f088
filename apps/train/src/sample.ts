// A generated sample at the end of a language-modelling run: the prompt plus a continuation drawn with the
// usual temperature / top-k sampling through @hippo/models' recurrent generation. GPT-2 BPE is gpt-tokenizer's
// r50k_base, the encoding the shards were made with.
import { generate, type HybridLM } from '@hippo/models';
import { decode, encode } from 'gpt-tokenizer/encoding/r50k_base';

/** Default prompt of the main job: how many addresses of the embedded corpus begin. */
export const DEFAULT_PROMPT = 'Fellow citizens of the Senate and House of Representatives:';

/**
 * The prompt followed by up to `maxNewTokens` generated tokens, as text.
 * @example console.log(await sampleText(model, 'The Congress', { maxNewTokens: 40 }));
 */
export async function sampleText(model: HybridLM, prompt: string, opts: { maxNewTokens: number; temperature?: number; topK?: number; seed?: number }): Promise<string> {
  // a literal "<|endoftext|>" in a prompt is plain text, as in the shards (ordinary mode)
  const ids = encode(prompt, { disallowedSpecial: new Set<string>() });
  const r = await generate(model, [ids.length > 0 ? ids : [50256]], { maxNewTokens: opts.maxNewTokens, temperature: opts.temperature ?? 0.8, topK: opts.topK ?? 40, seed: opts.seed ?? 0 });
  return prompt + decode(r.tokens[0].filter((t) => t !== 50256));
}
