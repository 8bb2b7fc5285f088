// What a sequence mixer offers the language model: a parallel forward over a whole sequence, a prefill that
// also returns the recurrent state, and a one-token step. H3, the baseline mixers and attention all fit it.
import type { Tensor } from '@hippo/tensor';

/** A mixer's recurrent state for a batch of sequences: tensors kept across steps, freed by dispose(). */
export interface MixerState {
  readonly batch: number;
  /** A new state for batch·n rows: row b of this one repeated as rows b·n … b·n + n − 1 (e.g. to score n
   * continuations of one prefilled context). This state stays valid. */
  repeat(n: number): MixerState;
  dispose(): void;
}

export interface SequenceMixer<S extends MixerState = MixerState> {
  /** x [B, L, d] → [B, L, d]. */
  forward(x: Tensor): Tensor;
  /** The forward over a prompt x [B, L, d], plus the state after its last token (no gradients). */
  prefill(x: Tensor): { y: Tensor; state: S };
  /** The state before any token. */
  defaultState(batch: number): S;
  /** One token x_t [B, d] → y_t [B, d]; advances `state` in place. */
  step(x: Tensor, state: S): Tensor;
  /** The parameters the official code trains with the SSM learning rate min(1e-3, lr) and no weight decay. */
  ssmParameters(): Tensor[];
}
