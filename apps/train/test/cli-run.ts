// Running the hippo-train command as a child process (through tsx, so the test needs no build).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const CLI = fileURLToPath(new URL('../src/cli.ts', import.meta.url));
const APP = fileURLToPath(new URL('..', import.meta.url));
const ARGS = ['--import', 'tsx', CLI];

/** Runs the command to its end. */
export function runCli(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [...ARGS, ...args], { cwd: APP, encoding: 'utf8', env: { ...process.env, HIPPO_THREADS: '1' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Starts the command; `onStderrLine` sees each stderr line as it comes. */
export function startCli(args: string[], onStderrLine: (line: string, child: ChildProcess) => void): { child: ChildProcess; exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }> } {
  const child = spawn(process.execPath, [...ARGS, ...args], { cwd: APP, env: { ...process.env, HIPPO_THREADS: '1' }, stdio: ['ignore', 'ignore', 'pipe'] });
  let pending = '';
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (chunk: string) => {
    pending += chunk;
    const lines = pending.split('\n');
    pending = lines.pop()!;
    for (const l of lines) onStderrLine(l, child);
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  return { child, exited };
}
