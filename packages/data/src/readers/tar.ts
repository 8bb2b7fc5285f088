// tar archives through tar-stream: the outer OpenWebText tar is streamed from disk entry by entry; the inner
// tar of each `.xz` member is a small buffer, read whole.
import { Readable } from 'node:stream';
import { extract } from 'tar-stream';

/** One regular file of a tar archive. */
export interface TarFile {
  name: string;
  data: Uint8Array;
}

/**
 * Regular files of a tar archive held in memory, in archive order.
 * @example const docs = await tarFiles(xz.decompressSync(member));
 */
export async function tarFiles(tar: Uint8Array): Promise<TarFile[]> {
  const out: TarFile[] = [];
  for await (const f of tarEntries(Readable.from([tar]))) out.push(f);
  return out;
}

/** Streams the regular files of a tar archive, each read whole (members are small: OpenWebText's are 1–2 MB). */
export async function* tarEntries(source: Readable): AsyncGenerator<TarFile> {
  const ex = extract();
  source.on('error', (e) => ex.destroy(e));
  source.pipe(ex);
  for await (const entry of ex) {
    if (entry.header.type !== 'file') {
      entry.resume();
      continue;
    }
    const chunks: Buffer[] = [];
    for await (const c of entry) chunks.push(c as Buffer);
    // a fresh buffer (not Buffer's shared pool): units transfer their ArrayBuffer to a worker
    const data = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
    let o = 0;
    for (const c of chunks) {
      data.set(c, o);
      o += c.length;
    }
    yield { name: entry.header.name, data };
  }
}
