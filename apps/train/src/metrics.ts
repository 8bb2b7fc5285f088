// Metrics as JSON lines (`metrics.jsonl`), one record per optimiser step and per evaluation, appended as they
// happen so a killed run keeps everything up to its last step. A resumed run first cuts the file back to the
// checkpoint's step, so the file always describes one continuous run.
import { writeFileAtomic } from '@hippo/tensor';
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { CheckpointError } from './errors.js';

/** One optimiser step. */
export interface StepRecord {
  kind: 'train';
  /** 1-based optimiser step */
  step: number;
  /** mean training loss over the step's micro-batches (nats per token) */
  loss: number;
  /** learning rate of the main group at this step */
  lr: number;
  /** global gradient norm before clipping */
  gradNorm: number;
  /** tokens trained on so far (all steps, resumed ones included) */
  tokens: number;
  tokensPerSecond: number;
  /** wall seconds since the run began (resumed runs continue the count) */
  seconds: number;
}

/** One evaluation on the validation (test) set. */
export interface EvalRecord {
  kind: 'eval';
  step: number;
  /** mean loss over the scored validation targets */
  valLoss: number;
  /** exp(valLoss) */
  perplexity: number;
  /** fraction of scored targets predicted exactly (synthetic tasks: the final token); null for language modelling */
  accuracy: number | null;
  /** scored targets in the validation set */
  targets: number;
}

export type MetricRecord = StepRecord | EvalRecord;

/** The run's metrics, in memory and (with a path) in a JSON-lines file. */
export class MetricsLog {
  readonly records: MetricRecord[] = [];
  private constructor(private readonly path: string | null) {}

  /** A log kept in memory only. */
  static inMemory(): MetricsLog {
    return new MetricsLog(null);
  }

  /** Opens `path`: fresh (truncated) when `resumeStep` is null, else cut back to records with step ≤ resumeStep. */
  static async open(path: string, resumeStep: number | null): Promise<MetricsLog> {
    const log = new MetricsLog(path);
    if (resumeStep !== null && existsSync(path)) {
      const lines = readFileSync(path, 'utf8').split('\n');
      lines.forEach((line, i) => {
        if (line.trim() === '') return;
        let r: MetricRecord;
        try {
          r = JSON.parse(line) as MetricRecord;
        } catch {
          // only the last line can be torn (a kill during an append); anything else is a damaged file
          if (i >= lines.length - 2) return;
          throw new CheckpointError(`${path}:${i + 1}`, 'not a JSON metrics record', 'move the file away to start a fresh log');
        }
        if (r.step <= resumeStep) log.records.push(r);
      });
    }
    await writeFileAtomic(path, log.records.map((r) => `${JSON.stringify(r)}\n`).join(''));
    return log;
  }

  add(r: MetricRecord): void {
    this.records.push(r);
    if (this.path) appendFileSync(this.path, `${JSON.stringify(r)}\n`);
  }

  get train(): StepRecord[] {
    return this.records.filter((r): r is StepRecord => r.kind === 'train');
  }

  get evals(): EvalRecord[] {
    return this.records.filter((r): r is EvalRecord => r.kind === 'eval');
  }
}
