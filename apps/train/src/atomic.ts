// Small file writes that never leave a half-written file behind: write a temporary sibling, fsync, rename.
import { open, rename, rm } from 'node:fs/promises';

/** Replaces `path` with `text` atomically (readers see the old content or the new, never a mix). */
export async function writeFileAtomic(path: string, text: string): Promise<void> {
  const tmp = `${path}.tmp-${process.pid}`;
  try {
    const f = await open(tmp, 'w');
    try {
      await f.writeFile(text);
      await f.sync();
    } finally {
      await f.close();
    }
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
}
