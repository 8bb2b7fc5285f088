// Which backend a run uses: a named one (--backend) as asked, else the engine's default (HIPPO_BACKEND, else
// WebGPU on a hardware adapter, else cpu — a software fallback adapter such as lavapipe trained h3-tiny at
// 26 tok/s against ~450 on the cpu backend, 2 cores). The choice is said once.
import { defaultBackend, getBackend, type Backend, type BackendName } from '@hippo/tensor';

/** Picks the backend; `asked` null means choose. */
export async function chooseBackend(asked: BackendName | null, log: (line: string) => void): Promise<Backend> {
  if (asked === null) return defaultBackend(log);
  const b = await getBackend(asked);
  log(`hippo: backend ${b.describe()} — --backend ${asked}`);
  return b;
}
