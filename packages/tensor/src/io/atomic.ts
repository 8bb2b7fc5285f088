// Files that must never be seen half-written: write a temporary sibling, fsync, rename over the final name,
// then fsync the folder so the rename itself survives a power cut. Used by every checkpoint writer.
import { randomBytes } from 'node:crypto';
import { open, rename, rm, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * Writes the temporary file through `write`, then renames it over `path`; on any failure the temporary file
 * is removed and `path` keeps its old content.
 */
export async function replaceFileAtomic(path: string, write: (file: FileHandle) => Promise<void>): Promise<void> {
  const tmp = `${path}.tmp-${process.pid}-${randomBytes(6).toString('hex')}`;
  const file = await open(tmp, 'wx');
  try {
    try {
      await write(file);
      await file.sync();
    } finally {
      await file.close();
    }
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
  // Persist the rename itself; Windows cannot open a directory for fsync.
  if (process.platform !== 'win32') {
    const dir = await open(dirname(path), 'r');
    try {
      await dir.sync();
    } finally {
      await dir.close();
    }
  }
}

/** Replaces `path` with `data` atomically (readers see the old content or the new, never a mix). */
export function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  return replaceFileAtomic(path, async (f) => {
    await f.writeFile(data);
  });
}
