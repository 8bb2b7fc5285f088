// The web page in a real browser: builds it with Vite, serves it with `vite preview` (the command users
// run), drives Debian's chromium headless through playwright-core, loads a tiny checkpoint (by URL, and by
// the file picker), generates with a fixed seed and checks that the tokens equal Node's generation from the
// same checkpoint and seed — on WebGPU (chromium's SwiftShader adapter on a CPU-only machine) and on the
// page's CPU fallback. Saves a screenshot of the streamed text and the memory chart.
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GpuUnavailableError } from '@hippo/kernels';
import { testSeed } from '@hippo/kernels/testing';
import { generate, loadCheckpoint } from '@hippo/models';
import { cpuBackend } from '@hippo/tensor';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { build, preview, type PreviewServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeTokens, encodeText } from '../src/tokenizer.js';
import { writeFixtureCheckpoint } from './fixture.js';

const appDir = fileURLToPath(new URL('..', import.meta.url));
/** Where the screenshot goes (gitignored). */
export const SCREENSHOT = join(appDir, 'test-output', 'browser-demo.png');
const CHROMIUM = process.env.HIPPO_CHROMIUM ?? '/usr/bin/chromium';
const requireGpu = process.env.HIPPO_REQUIRE_GPU === '1';
// ../shared/notes/toolchain.md: --enable-unsafe-webgpu gives headless chromium a WebGPU adapter (SwiftShader)
const ARGS = ['--enable-unsafe-webgpu', '--no-sandbox', '--disable-gpu-sandbox', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

const haveChromium = existsSync(CHROMIUM);
if (!haveChromium) {
  const why = `no chromium at ${CHROMIUM} (install it with 'apt-get install -y chromium', or set HIPPO_CHROMIUM)`;
  if (requireGpu) throw new Error(`HIPPO_REQUIRE_GPU=1: the browser test needs chromium: ${why}`);
  console.warn(`[hippo] skipping the browser test: ${why}; set HIPPO_REQUIRE_GPU=1 to make this an error`);
}

const seed = testSeed();
const prompt = 'The hippopotamus is';
// few tokens: a step costs ~3 s on chromium's SwiftShader adapter on a loaded 2-core machine (~80 dispatches)
const settings = { maxNewTokens: 8, temperature: 0.8, topK: 50, topP: 0.95, seed };

describe.skipIf(!haveChromium)('web page in headless chromium', () => {
  let tmp: string;
  let server: PreviewServer;
  let browser: BrowserContext;
  let base: string;
  const log: string[] = [];

  beforeAll(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'hippo-demo-browser-'));
    await writeFixtureCheckpoint(join(tmp, 'checkpoints', 'tiny'), seed);
    process.env.HIPPO_CHECKPOINTS_DIR = join(tmp, 'checkpoints');
    const configFile = join(appDir, 'vite.config.ts');
    const outDir = join(tmp, 'web');
    await build({ configFile, logLevel: 'error', build: { outDir } });
    server = await preview({ configFile, logLevel: 'error', build: { outDir }, preview: { port: 0, strictPort: false } });
    base = server.resolvedUrls!.local[0];
    browser = await chromium.launchPersistentContext(join(tmp, 'profile'), { executablePath: CHROMIUM, headless: true, args: ARGS, viewport: { width: 900, height: 1000 } });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    delete process.env.HIPPO_CHECKPOINTS_DIR;
    if (tmp) await rm(tmp, { recursive: true, force: true });
  });

  /** Opens the page and collects its console (the worker's included) for failure messages. */
  async function open(query: string): Promise<Page> {
    const page = await browser.newPage();
    page.on('console', (m) => log.push(`[page ${m.type()}] ${m.text()}`));
    page.on('pageerror', (e) => log.push(`[page error] ${e.message}`));
    await page.goto(`${base}${query}`);
    return page;
  }

  /** Waits until body[data-state] is one of `states`; an 'error' state fails with the page's message. */
  async function until(page: Page, states: string[], timeout = 120_000): Promise<void> {
    await page.waitForFunction((s) => [...s, 'error'].includes(document.body.dataset.state ?? ''), states, { timeout });
    const state = await page.evaluate(() => document.body.dataset.state);
    if (state === 'error') {
      const msg = await page.evaluate(() => Array.from(document.querySelectorAll('.error'), (e) => e).map((e) => e.textContent).join('\n'));
      throw new Error(`the page failed: ${msg}\n${log.join('\n')}`);
    }
  }

  async function pageGenerate(page: Page, s: typeof settings): Promise<{ tokens: number[]; text: string; stats: string }> {
    await page.fill('#prompt', prompt);
    await page.fill('#max-tokens', String(s.maxNewTokens));
    await page.fill('#temperature', String(s.temperature));
    await page.fill('#top-k', String(s.topK));
    await page.fill('#top-p', String(s.topP));
    await page.fill('#seed', String(s.seed));
    await page.click('#generate');
    await until(page, ['done']);
    return {
      tokens: JSON.parse((await page.getAttribute('#output', 'data-tokens')) ?? 'null') as number[],
      text: (await page.textContent('#generated')) ?? '',
      stats: (await page.textContent('#stats')) ?? '',
    };
  }

  async function nodeGenerate(s: typeof settings): Promise<number[]> {
    const { model } = await loadCheckpoint(join(tmp, 'checkpoints', 'tiny'), cpuBackend());
    const r = await generate(model, [encodeText(prompt)], { ...s, eosTokenId: 50256 });
    return r.tokens[0];
  }

  it('loads the checkpoint by URL, streams on WebGPU, and its tokens equal the Node generation (same checkpoint and seed)', async () => {
    const page = await open('?checkpoint=checkpoints/tiny/');
    await until(page, ['ready']);
    const kind = await page.getAttribute('#backend', 'data-kind');
    if (kind !== 'webgpu') {
      const why = `chromium gave the page no WebGPU adapter: ${await page.textContent('#backend')}`;
      if (requireGpu) throw new GpuUnavailableError(why);
      console.warn(`[hippo] ${why} — the page ran on its CPU fallback`);
    }
    console.log(`[hippo] browser ${await page.textContent('#backend')}`);
    const got = await pageGenerate(page, settings);
    // sampling is discrete: different float rounding on the two sides could only change a token if a random
    // draw fell within ~1e-6 of a cumulative-probability boundary (sampleToken walks the kept tokens in id order,
    // so near-equal logits swapping places do not matter) or a top-k cut fell between two logits tied to ~1e-6:
    // probability ~1e-5 over these 8 draws; equality is the expected outcome
    expect(got.tokens).toEqual(await nodeGenerate(settings));
    expect(got.tokens.length).toBeGreaterThan(0);
    expect(got.text).toBe(decodeTokens(got.tokens.filter((t) => t !== 50256)));
    expect(got.stats).toMatch(/\d+ tokens, [\d.]+ tokens\/s/);
    // the chart: three series drawn solid up to the last token (and dashed beyond)
    const lines = await page.$$eval('#chart polyline.series', (ps) => ps.map((p) => (p.getAttribute('points') ?? '').trim().split(' ').length));
    expect(lines).toHaveLength(3);
    for (const n of lines) expect(n).toBeGreaterThan(2);
    expect(await page.textContent('#chart')).toContain(`${encodeText(prompt).length + got.tokens.length} tokens`);
    await mkdir(join(appDir, 'test-output'), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    console.log(`[hippo] screenshot: ${SCREENSHOT}`);
    await page.close();
  });

  it("loads the checkpoint from the file picker; the page's CPU fallback also equals Node (greedy)", async () => {
    const page = await open('?backend=cpu');
    await until(page, ['idle']);
    expect(await page.getAttribute('#backend', 'data-kind')).toBe('cpu');
    const dir = join(tmp, 'checkpoints', 'tiny');
    await page.setInputFiles('#files', [join(dir, 'config.json'), join(dir, 'model.safetensors')]);
    await until(page, ['ready']);
    const greedy = { ...settings, maxNewTokens: 8, temperature: 0 };
    const got = await pageGenerate(page, greedy);
    expect(got.tokens).toEqual(await nodeGenerate(greedy));
    await page.close();
  });
});
