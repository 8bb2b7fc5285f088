// Messages between the page and the model worker. The model runs in a worker so that the page keeps drawing
// while a step computes (on the CPU backend a step never yields to the page's event loop).

export interface SamplingSettings {
  maxNewTokens: number;
  temperature: number;
  topK: number;
  topP: number;
  seed: number;
  /** Stop after <|endoftext|>. */
  stopAtEot: boolean;
}

export type ToWorker =
  /** First message: which backend to use (the worker cannot see the page's URL). */
  | { type: 'init'; forceCpu: boolean }
  /** The two files of a checkpoint folder; `weights` is transferred. */
  | { type: 'load'; config: unknown; weights: ArrayBuffer; names: { config: string; weights: string } }
  | { type: 'generate'; prompt: number[]; settings: SamplingSettings };

export type FromWorker =
  | { type: 'backend'; kind: 'webgpu' | 'cpu'; description: string; note: string }
  | { type: 'loaded'; config: unknown; parameters: number; metadata: Record<string, string> }
  | { type: 'token'; token: number }
  | { type: 'done'; tokens: number[]; prefillMs: number; decodeMs: number }
  | { type: 'error'; message: string };
