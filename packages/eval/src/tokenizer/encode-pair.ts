// How each harness version turns a (context, continuation) string pair into token ids (design §2.0):
// - v0.3 (`BaseLM.loglikelihood`): both encoded separately; an empty context becomes [EOT].
// - current (`TemplateLM._encode_pair`): trailing whitespace of the context moves to the front of the
//   continuation, then cont = encode(ctx + cont)[len(encode(ctx)):] — e.g. ReCoRD's final "\n" is scored.
import { pyRstrip } from '../python/py-str.js';
import type { PromptVersion } from '../tasks/task.js';
import type { Tokenizer } from './tokenizer.js';
import type { LoglikelihoodRequest } from '../model/types.js';

/** Which encoding rule a prompt version uses. */
export const TOKENIZATION: Record<PromptVersion, 'separate' | 'joint'> = { 'v0.3': 'separate', current: 'joint' };

/**
 * Token ids of one request under the version's rule.
 * @example encodePair(gpt2Tokenizer(), 'Answer:', ' yes', 'v0.3'); // { context: [33706, 25], continuation: [3763] }
 */
export function encodePair(tok: Tokenizer, context: string, continuation: string, version: PromptVersion): LoglikelihoodRequest {
  if (context === '') return { context: [tok.eotTokenId], continuation: tok.encode(continuation) };
  if (version === 'v0.3') return { context: tok.encode(context), continuation: tok.encode(continuation) };
  const stripped = pyRstrip(context);
  const moved = context.slice(stripped.length);
  const whole = tok.encode(stripped + moved + continuation);
  const ctx = tok.encode(stripped);
  return { context: ctx, continuation: whole.slice(ctx.length) };
}
