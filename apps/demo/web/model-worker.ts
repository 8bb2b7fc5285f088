// The model worker: picks the backend once (WebGPU when the browser gives an adapter, else the TypeScript
// reference CPU kernels — the WebAssembly CPU backend needs Node's worker_threads), loads checkpoints and
// generates, posting each token as soon as it is chosen.
import { countParameters, generate, modelFromCheckpointBytes, type HybridLM } from '@hippo/models';
import { referenceBackend, webgpuBackend, type Backend } from '@hippo/tensor';
import type { FromWorker, ToWorker } from './protocol.js';

const post = (m: FromWorker) => postMessage(m);
let model: HybridLM | null = null;
let backend: Promise<Backend> | null = null;

async function pickBackend(forceCpu: boolean): Promise<Backend> {
  const cpu = (note: string): Backend => {
    const be = referenceBackend();
    post({ type: 'backend', kind: 'cpu', description: be.describe(), note });
    return be;
  };
  if (forceCpu) return cpu('CPU chosen by ?backend=cpu');
  if (!('gpu' in navigator)) return cpu('this browser has no WebGPU (navigator.gpu is missing)');
  try {
    const be = await webgpuBackend();
    post({ type: 'backend', kind: 'webgpu', description: be.describe(), note: '' });
    return be;
  } catch (e) {
    return cpu((e as Error).message.split('\n')[0]);
  }
}

async function handle(msg: ToWorker): Promise<void> {
  if (msg.type === 'init') {
    backend = pickBackend(msg.forceCpu);
    await backend;
    return;
  }
  if (!backend) throw new Error('the worker was not initialised');
  const be = await backend;
  if (msg.type === 'load') {
    // free the previous model's buffers before allocating the next one's
    for (const t of model?.stateDict().values() ?? []) t.dispose();
    model = null;
    const loaded = modelFromCheckpointBytes(msg.config, new Uint8Array(msg.weights), be, msg.names);
    model = loaded.model;
    post({ type: 'loaded', config: model.config, parameters: countParameters(model.config), metadata: loaded.metadata });
    return;
  }
  if (!model) throw new Error('load a checkpoint first');
  const s = msg.settings;
  const r = await generate(model, [msg.prompt], {
    maxNewTokens: s.maxNewTokens,
    temperature: s.temperature,
    topK: s.topK,
    topP: s.topP,
    seed: s.seed,
    eosTokenId: s.stopAtEot ? 50256 : null,
    onToken: (_row, token) => post({ type: 'token', token }),
  });
  post({ type: 'done', tokens: r.tokens[0], prefillMs: r.prefillMs, decodeMs: r.decodeMs });
}

// one message at a time, in order: a generate sent right after a load waits for it
let queue = Promise.resolve();
self.onmessage = (e: MessageEvent<ToWorker>) => {
  queue = queue.then(() => handle(e.data)).catch((err: unknown) => post({ type: 'error', message: err instanceof Error ? err.message : String(err) }));
};
