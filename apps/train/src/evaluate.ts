// Evaluation on the fixed validation batches: mean loss over the scored targets (so batches of different size
// or with ignored targets weigh by what they score), perplexity exp(loss), and for tasks that measure it the
// fraction of scored targets that are the model's argmax over the real vocabulary (padding rows excluded).
import type { HybridLM } from '@hippo/models';
import { crossEntropy, noGrad, reshape, tidy } from '@hippo/tensor';
import type { DataSource } from './data/source.js';

export interface Evaluation {
  valLoss: number;
  perplexity: number;
  accuracy: number | null;
  targets: number;
}

/** Runs the model in eval mode (no dropout) over `data.evalBatches()`; restores training mode after. */
export async function evaluate(model: HybridLM, data: DataSource): Promise<Evaluation> {
  const wasTraining = model.training;
  model.eval();
  const V = model.vocab;
  const real = model.config.vocabSize;
  let lossSum = 0;
  let targets = 0;
  let correct = 0;
  try {
    for (const b of data.evalBatches()) {
      const scored = b.targets.reduce((n, t) => n + (t >= 0 ? 1 : 0), 0);
      if (scored === 0) continue;
      const { loss, logits } = noGrad(() =>
        tidy(() => {
          const lg = model.forward(b.ids, b.B, b.L); // [B, L, V]
          return { loss: crossEntropy(reshape(lg, [b.B * b.L, V]), b.targets), logits: data.measuresAccuracy ? lg : null };
        }),
      );
      lossSum += (await loss.item()) * scored;
      loss.dispose();
      targets += scored;
      if (logits) {
        const host = (await logits.toArray()) as Float32Array;
        logits.dispose();
        for (let r = 0; r < b.B * b.L; r++) {
          if (b.targets[r] < 0) continue;
          let best = 0;
          for (let v = 1; v < real; v++) if (host[r * V + v] > host[r * V + best]) best = v;
          if (best === b.targets[r]) correct++;
        }
      }
    }
  } finally {
    model.train(wasTraining);
  }
  const valLoss = lossSum / Math.max(targets, 1);
  return { valLoss, perplexity: Math.exp(valLoss), accuracy: data.measuresAccuracy ? correct / Math.max(targets, 1) : null, targets };
}
