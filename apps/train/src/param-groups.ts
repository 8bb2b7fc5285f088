// AdamW parameter groups (reference §1.5, §7.1): the SSM parameters H3 registers with their own optimiser
// settings get lr min(1e-3, lr) and no weight decay; biases, LayerNorm parameters and embeddings get no decay
// (flash-attn's GPT baselines: bias_weight_decay / normalization_weight_decay False), so the Transformer and
// H3 baselines train with the same policy; every other weight decays.
import type { HybridLM } from '@hippo/models';
import type { ParamGroup, Tensor } from '@hippo/tensor';

/** Whether a parameter of the given name is exempt from weight decay (bias, LayerNorm, embedding). */
export function noDecayName(name: string): boolean {
  return name.endsWith('.bias') || /(^|\.)(ln_f|norm\d*|ln_\d+)\./.test(name) || name.includes('embeddings.');
}

/**
 * Three groups: [decayed weights (lr, weightDecay), no-decay (lr, 0), SSM (min(1e-3, lr), 0)]; empty groups are
 * kept so checkpoints always list three.
 * @example const opt = new AdamW(paramGroups(model, 6e-4, 0.1));
 */
export function paramGroups(model: HybridLM, lr: number, weightDecay: number): ParamGroup[] {
  const ssm = new Set(model.ssmParameters());
  const decay: Tensor[] = [];
  const plain: Tensor[] = [];
  for (const [name, p] of model.namedParameters()) {
    if (ssm.has(p)) continue;
    (noDecayName(name) ? plain : decay).push(p);
  }
  return [
    { params: decay, lr, weightDecay },
    { params: plain, lr, weightDecay: 0 },
    { params: [...ssm], lr: Math.min(1e-3, lr), weightDecay: 0 },
  ];
}
