// Kill-and-resume: the real command is killed with SIGKILL at random moments and re-run until it finishes; the
// output must then be byte-identical to an uninterrupted run, and at no moment may a shard or the manifest be
// visible under its final name unless it is complete (equal to the reference file of that name).
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sotuFiles } from '../src/corpus/sotu.js';
import { Rng } from '../src/rng.js';
import { startCli, runCli } from './cli.js';
import { writeFixtures } from './fixtures.js';
import { testSeed } from './helpers.js';

const seed = testSeed();
const tag = `(HIPPO_SEED=${seed})`;
let dir: string;
let inputs: string[];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'hippo-data-resume-'));
  const fixtures = await writeFixtures(join(dir, 'in'), seed, 4);
  // plus real prose, so that a run lasts long enough to be killed in the middle of its work
  inputs = [...fixtures.map((f) => f.path), ...sotuFiles().slice(100, 180)];
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const args = (out: string) => [
  'tokenize', ...inputs, '--out', out, '--workers', '2', '--batch-mb', '0.004', '--checkpoint-seconds', '0',
  '--shard-tokens', '40000', '--idx', '--val-fraction', '0.2', '--progress', 'none',
];

/** files under their final names (what a reader of the folder may take as complete) */
const finalFiles = (out: string) => (existsSync(out) ? readdirSync(out) : []).filter((f) => /\.(bin|idx)$/.test(f) || f === 'manifest.json');

describe('hippo-data tokenize killed with SIGKILL at random points', () => {
  it('resumes to output byte-identical to an uninterrupted run, never showing an incomplete file as final', async () => {
    const ref = join(dir, 'ref');
    const t0 = performance.now();
    const r = await runCli(args(ref));
    const fullMs = performance.now() - t0;
    expect(r.code, r.stderr).toBe(0);
    const refFiles = readdirSync(ref).sort();
    expect(refFiles.filter((f) => f.endsWith('.bin')).length, 'the reference should have several shards').toBeGreaterThan(3);

    const rng = new Rng(seed);
    const out = join(dir, 'killed');
    let kills = 0;
    const delays: string[] = []; // kill times in ms; † killed, ✓ finished
    // episodes from an empty folder: kill at uniform points of a full run's duration (start-up, restore and the
    // final renames included) until a run finishes on its own, then compare everything; until 8 kills happened.
    // Up to 30 episodes: where the reference run was slowed by a neighbouring test file, later runs finish
    // before most kill times (at half its duration, 12 episodes fell short of 8 kills 9% of the time)
    for (let episode = 1; kills < 8; episode++) {
      expect(episode, `fewer than 8 kills in 30 episodes ${tag}`).toBeLessThanOrEqual(30);
      rmSync(out, { recursive: true, force: true });
      for (let attempt = 0; ; attempt++) {
        expect(attempt, `no finish after ${attempt} attempts ${tag}`).toBeLessThan(40);
        const { child, done } = startCli(args(out));
        const delay = rng.float() * 0.8 * fullMs;
        const timer = setTimeout(() => child.kill('SIGKILL'), delay);
        const run = await done;
        clearTimeout(timer);
        delays.push(`${delay.toFixed(0)}${run.signal === 'SIGKILL' ? '†' : '✓'}`);
        if (run.signal === 'SIGKILL') {
          kills++;
          for (const f of finalFiles(out))
            expect(readFileSync(join(out, f)).equals(readFileSync(join(ref, f))), `${f} visible under its final name but incomplete after a kill at ${delay.toFixed(0)} ms ${tag}`).toBe(true);
          continue;
        }
        expect(run.code, `${run.stderr} ${tag}`).toBe(0);
        break;
      }
      expect(readdirSync(out).sort(), `files after ${kills} kills (${delays.join(' ')}) ${tag}`).toEqual(refFiles);
      for (const f of refFiles) expect(readFileSync(join(out, f)).equals(readFileSync(join(ref, f))), `${f} differs after ${kills} kills ${tag}`).toBe(true);
      expect(existsSync(join(out, 'progress.json')), tag).toBe(false);
    }
    console.log(`[hippo] ${kills} SIGKILLs (full run ${fullMs.toFixed(0)} ms; kill times ${delays.join(' ')}), output identical ${tag}`);
  });
});
