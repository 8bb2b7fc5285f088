// AdamW parameter groups the way the official code trains SSMs: the SSM parameters registered with a
// special learning rate (log Δ, A, B of the diagonal SSM, B of the shift SSM) get lr = min(1e-3, lr) and no
// weight decay; everything else gets the base settings.
import type { Module, ParamGroup, Tensor } from '@hippo/tensor';

/** Anything that reports its SSM parameters (every mixer of this package). */
export interface HasSsmParameters {
  ssmParameters(): Tensor[];
}

/** Two groups: [the rest (lr, weightDecay), the SSM parameters (min(1e-3, lr), 0)]. */
export function ssmParamGroups(model: Module, ssmLayers: HasSsmParameters[], lr: number, weightDecay: number): ParamGroup[] {
  const special = new Set(ssmLayers.flatMap((l) => l.ssmParameters()));
  const rest = model.parameters().filter((p) => !special.has(p));
  return [
    { params: rest, lr, weightDecay },
    { params: [...special], lr: Math.min(1e-3, lr), weightDecay: 0 },
  ];
}
