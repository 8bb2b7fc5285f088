// hippo-generate entry point: wires runGenerate to the process.
import { runGenerate } from './generate-command.js';

async function readStdin(): Promise<string | null> {
  if (process.stdin.isTTY) return null;
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

process.exitCode = await runGenerate(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, readStdin, cwd: process.cwd() });
