// The page: loads a checkpoint (file picker or URL), sends it to the model worker, streams the generated
// text, and keeps the speed line and the memory chart current as tokens arrive.
import { parseModelConfig, type ModelConfig } from '@hippo/models';
import { tokensPerSecond } from '../src/generation-report.js';
import { formatBytes, stateMemory } from '../src/state-memory.js';
import { EOT, TextStreamer, encodeText } from '../src/tokenizer.js';
import { drawMemoryChart } from './memory-chart.js';
import type { FromWorker, SamplingSettings, ToWorker } from './protocol.js';

const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;
const ui = {
  backend: $('backend'),
  files: $<HTMLInputElement>('files'),
  url: $<HTMLInputElement>('url'),
  loadUrl: $<HTMLButtonElement>('load-url'),
  progress: $<HTMLProgressElement>('progress'),
  modelStatus: $('model-status'),
  prompt: $<HTMLTextAreaElement>('prompt'),
  generate: $<HTMLButtonElement>('generate'),
  promptEcho: $('prompt-echo'),
  generated: $('generated'),
  output: $('output'),
  stats: $('stats'),
  chart: document.getElementById('chart') as unknown as SVGSVGElement,
};

const num = (id: string) => Number($<HTMLInputElement>(id).value);

/** The page's phase, also read by the browser test: starting, idle, loading, ready, generating, done, error. */
const setState = (s: string) => (document.body.dataset.state = s);

const worker = new Worker(new URL('./model-worker.ts', import.meta.url), { type: 'module' });
const send = (m: ToWorker, transfer: Transferable[] = []) => worker.postMessage(m, transfer);
send({ type: 'init', forceCpu: new URLSearchParams(location.search).get('backend') === 'cpu' });

let config: ModelConfig | null = null;
let run: { streamer: TextStreamer; tokens: number[]; prompt: number; max: number; t0: number } | null = null;

worker.onmessage = (e: MessageEvent<FromWorker>) => {
  const m = e.data;
  switch (m.type) {
    case 'backend':
      ui.backend.textContent = m.kind === 'webgpu' ? `Backend: WebGPU — ${m.description}` : `Backend: CPU (${m.description}; slow) — ${m.note}`;
      ui.backend.className = m.kind;
      ui.backend.dataset.kind = m.kind;
      if (document.body.dataset.state === 'starting') setState('idle');
      break;
    case 'loaded': {
      config = parseModelConfig(m.config);
      const attn = config.attnLayerIdx.length ? `attention at layer${config.attnLayerIdx.length > 1 ? 's' : ''} ${config.attnLayerIdx.join(', ')}` : 'no attention';
      ui.modelStatus.textContent = `${config.name}: ${m.parameters.toLocaleString('en-US')} parameters, ${config.nLayer} layers (${config.mixer}, ${attn}), d ${config.dModel}`;
      ui.modelStatus.className = '';
      ui.generate.disabled = false;
      drawMemoryChart(ui.chart, config, 0, num('max-tokens') + encodeText(ui.prompt.value).length);
      setState('ready');
      break;
    }
    case 'token':
      if (run) onToken(m.token);
      break;
    case 'done':
      if (run && config) {
        ui.generated.textContent += run.streamer.flush();
        const times = { promptTokens: run.prompt, newTokens: m.tokens.length, prefillMs: m.prefillMs, decodeMs: m.decodeMs };
        const mem = stateMemory(config, run.prompt + m.tokens.length);
        ui.stats.textContent =
          `${m.tokens.length} tokens, ${tokensPerSecond(times).toFixed(1)} tokens/s (prompt ${run.prompt} tokens, prefill ${Math.round(m.prefillMs)} ms)` +
          ` · state memory ${formatBytes(mem.totalBytes)} vs ${formatBytes(mem.transformerKvBytes)} for a same-size Transformer` +
          (m.tokens.at(-1) === EOT ? ' · stopped at <|endoftext|>' : '');
        ui.output.dataset.tokens = JSON.stringify(m.tokens);
        run = null;
      }
      ui.generate.disabled = ui.loadUrl.disabled = ui.files.disabled = false;
      setState('done');
      break;
    case 'error':
      fail(m.message);
      break;
  }
};
worker.onerror = (e) => fail(`the model worker failed: ${e.message}`);

function fail(message: string): void {
  const target = run ? ui.stats : ui.modelStatus;
  target.textContent = message;
  target.className = 'error';
  run = null;
  ui.generate.disabled = config === null;
  ui.loadUrl.disabled = ui.files.disabled = false;
  setState('error');
}

function onToken(token: number): void {
  const r = run!;
  r.tokens.push(token);
  ui.generated.textContent += r.streamer.push(token);
  const secs = (performance.now() - r.t0) / 1000;
  const total = r.prompt + r.tokens.length;
  const mem = stateMemory(config!, total);
  ui.stats.textContent = `${r.tokens.length} tokens, ${(r.tokens.length / secs).toFixed(1)} tokens/s · state memory ${formatBytes(mem.totalBytes)} vs ${formatBytes(mem.transformerKvBytes)} for a same-size Transformer`;
  drawMemoryChart(ui.chart, config!, total, r.max);
}

/** Reads a Response body with a progress bar (checkpoints are megabytes to gigabytes). */
async function readWithProgress(res: Response, what: string): Promise<ArrayBuffer> {
  const total = Number(res.headers.get('Content-Length') ?? 0);
  if (!res.body || !total) return res.arrayBuffer();
  const out = new Uint8Array(total);
  let got = 0;
  const reader = res.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (got + value.length > total) throw new Error(`${what}: more bytes than its Content-Length ${total}`);
    out.set(value, got);
    got += value.length;
    ui.progress.value = got / total;
    ui.modelStatus.textContent = `downloading ${what}: ${formatBytes(got)} of ${formatBytes(total)}`;
  }
  if (got !== total) throw new Error(`${what}: got ${got} bytes, Content-Length said ${total} (connection cut?)`);
  return out.buffer;
}

async function fetchOk(url: URL): Promise<Response> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${url.href}: HTTP ${res.status} ${res.statusText}${res.status === 404 ? ' (is this the folder holding config.json and model.safetensors?)' : ''}`);
  return res;
}

async function loadFromUrl(raw: string): Promise<void> {
  const base = new URL(raw.endsWith('/') ? raw : `${raw}/`, location.href);
  const configUrl = new URL('config.json', base);
  const weightsUrl = new URL('model.safetensors', base);
  const json = (await (await fetchOk(configUrl)).json()) as unknown;
  const weights = await readWithProgress(await fetchOk(weightsUrl), 'model.safetensors');
  return sendLoad(json, weights, { config: configUrl.href, weights: weightsUrl.href });
}

async function loadFromFiles(files: FileList): Promise<void> {
  const list = Array.from(files);
  const cfg = list.find((f) => f.name.endsWith('.json'));
  const st = list.find((f) => f.name.endsWith('.safetensors'));
  if (list.length !== 2 || !cfg || !st)
    throw new Error(`choose the two files of a checkpoint folder, config.json and model.safetensors; got ${list.map((f) => f.name).join(', ') || 'none'}`);
  let json: unknown;
  try {
    json = JSON.parse(await cfg.text());
  } catch (e) {
    throw new Error(`${cfg.name}: not valid JSON (${(e as Error).message})`);
  }
  return sendLoad(json, await st.arrayBuffer(), { config: cfg.name, weights: st.name });
}

function sendLoad(json: unknown, weights: ArrayBuffer, names: { config: string; weights: string }): void {
  ui.progress.value = 1;
  ui.modelStatus.textContent = `building the model from ${names.weights} (${formatBytes(weights.byteLength)})…`;
  send({ type: 'load', config: json, weights, names }, [weights]);
}

async function load(from: () => Promise<void>): Promise<void> {
  setState('loading');
  ui.generate.disabled = true;
  ui.progress.value = 0;
  config = null;
  try {
    await from();
  } catch (e) {
    fail((e as Error).message);
  }
}

ui.files.addEventListener('change', () => ui.files.files && void load(() => loadFromFiles(ui.files.files!)));
ui.loadUrl.addEventListener('click', () => void load(() => loadFromUrl(ui.url.value)));
ui.generate.addEventListener('click', () => {
  if (!config) return;
  const ids = encodeText(ui.prompt.value);
  if (ids.length === 0) return fail('the prompt is empty');
  const settings: SamplingSettings = {
    maxNewTokens: num('max-tokens'),
    temperature: num('temperature'),
    topK: num('top-k'),
    topP: num('top-p'),
    seed: num('seed'),
    stopAtEot: $<HTMLInputElement>('stop-eot').checked,
  };
  run = { streamer: new TextStreamer(), tokens: [], prompt: ids.length, max: ids.length + settings.maxNewTokens, t0: performance.now() };
  ui.promptEcho.textContent = ui.prompt.value;
  ui.generated.textContent = '';
  ui.stats.textContent = `running the ${ids.length}-token prompt through the model…`;
  ui.stats.className = '';
  delete ui.output.dataset.tokens;
  ui.generate.disabled = ui.loadUrl.disabled = ui.files.disabled = true; // a new model mid-run would orphan its tokens
  drawMemoryChart(ui.chart, config, ids.length, run.max);
  setState('generating');
  send({ type: 'generate', prompt: ids, settings });
});

// ?checkpoint=URL loads a checkpoint at start (links to a demo, and the browser test)
const preset = new URLSearchParams(location.search).get('checkpoint');
if (preset) {
  ui.url.value = preset;
  void load(() => loadFromUrl(preset));
}
