/**
 * Log files on this machine: a folder walked recursively, or a single file.
 * The key is the path below the folder, so a copied bucket (`aws s3 sync`) keeps its layout.
 */
import { readdirSync, statSync, type Stats } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { basename, join, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { keyMatches, type KeyFilter, type ListingMemory, type LogSource, type SourceObject } from './log-source.js';

/**
 * A folder is remembered as listed only when its mtime is at least this much older than the
 * listing: a file added in the same tick of a coarse clock (2 s on FAT), or stamped by a file
 * server whose clock runs behind ours, could otherwise leave the mtime as it was.
 */
const SETTLED_MARGIN_MS = 60_000;

export class LocalSource implements LogSource {
  readonly uri: string;
  readonly #root: string;

  constructor(path: string) {
    this.#root = resolve(path);
    this.uri = pathToFileURL(this.#root).href;
  }

  async *list(filter: KeyFilter, memory?: ListingMemory): AsyncIterable<SourceObject> {
    const info = await stat(this.#root);
    if (info.isFile()) {
      yield this.#object(this.uri, basename(this.#root), info.size, info.mtimeMs);
      return;
    }
    const settledBefore = BigInt(Date.now() - SETTLED_MARGIN_MS) * 1_000_000n;
    // Synchronous on purpose (here and in walk): listing is all this process does yet, and a
    // call that hits the inode cache takes microseconds where a promise and a thread-pool hop take tens of them.
    for (const folder of walk(this.#root, '')) {
      const uri = memory ? pathToFileURL(folder.path).href : '';
      const mtime = String(folder.mtimeNs);
      const before = memory?.folder(uri);
      if (before && before.mtime === mtime && before.files === folder.files.length) {
        let passing = 0;
        for (const name of folder.files) if (keyMatches(folder.key + name, filter)) passing++;
        memory!.unchanged(passing);
        continue;
      }
      let all = true;
      for (const name of folder.files) {
        const key = folder.key + name;
        if (!keyMatches(key, filter)) {
          all = false;
          continue;
        }
        const path = folder.path + name;
        const info = statSync(path);
        yield this.#object(this.#fileUri(path, key), key, info.size, info.mtimeMs);
      }
      if (memory && all && folder.mtimeNs < settledBefore) memory.listed({ folder: uri, mtime, files: folder.files.length });
    }
  }

  #object(uri: string, key: string, size: number, mtimeMs: number): SourceObject {
    return { uri, key, size, version: `mtime:${Math.trunc(mtimeMs)}` };
  }

  /**
   * `pathToFileURL(path).href` of a file below the folder, which the manifest is keyed by. Resolving and encoding each of
   * tens of thousands of paths is a fair part of listing a bucket that has nothing new, and
   * CloudTrail's own keys need no encoding: those are appended to the folder's URL as they are.
   */
  #fileUri(path: string, key: string): string {
    return PLAIN_KEY.test(key) ? `${this.uri.endsWith('/') ? this.uri : this.uri + '/'}${key}` : pathToFileURL(path).href;
  }

  async read(object: SourceObject): Promise<Uint8Array> {
    return readFile(new URL(object.uri));
  }

  localPath(object: SourceObject): string {
    return fileURLToPath(object.uri);
  }
}

/** Characters `pathToFileURL` leaves as they are, in a key that cannot be read as `.` or `..` segments. */
const PLAIN_KEY = /^(?!.*(?:^|\/)\.{1,2}(?:\/|$))[A-Za-z0-9._=+-]+(?:\/[A-Za-z0-9._=+-]+)*$/;

interface Folder {
  /** The folder's path, ending in the separator. */
  readonly path: string;
  /** Its key prefix below the root: '' or ending in '/'. */
  readonly key: string;
  readonly files: string[];
  /** Taken before its entries were read, so a file added meanwhile moves it past what is remembered. */
  readonly mtimeNs: bigint;
}

/**
 * The folders below `dir` with their files, one folder at a time, in a stable (sorted) order,
 * so runs and batches are repeatable. Symbolic links are followed (a folder of links to where
 * the logs really are is a common set-up); a folder reached twice, as by a link to a parent,
 * is walked once, and a link to nothing is passed over.
 */
function* walk(dir: string, key: string, walked = new Set<string>()): Generator<Folder> {
  const { mtimeNs, dev, ino } = statSync(dir, { bigint: true });
  if (walked.has(`${dev}:${ino}`)) return;
  walked.add(`${dev}:${ino}`);
  const files: string[] = [];
  const folders: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.name.startsWith('.')) continue;
    const target = e.isSymbolicLink() ? linkTarget(join(dir, e.name)) : e;
    if (target?.isDirectory()) folders.push(e.name);
    else if (target?.isFile()) files.push(e.name);
  }
  const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  const path = dir.endsWith(sep) ? dir : dir + sep;
  if (files.length) yield { path, key, files: files.sort(byName), mtimeNs };
  for (const name of folders.sort(byName)) yield* walk(path + name, `${key}${name}/`, walked);
}

/** What a symbolic link points to; undefined for a link to nothing, or a loop of links. */
function linkTarget(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}
