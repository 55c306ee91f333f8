/**
 * Log files on this machine: a folder walked recursively, or a single file.
 * The key is the path below the folder, so a copied bucket (`aws s3 sync`) keeps its layout.
 */
import { readdirSync, statSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { basename, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { keyMatches, type KeyFilter, type LogSource, type SourceObject } from './log-source.js';

export class LocalSource implements LogSource {
  readonly uri: string;
  readonly #root: string;

  constructor(path: string) {
    this.#root = resolve(path);
    this.uri = pathToFileURL(this.#root).href;
  }

  async *list(filter: KeyFilter): AsyncIterable<SourceObject> {
    const info = await stat(this.#root);
    if (info.isFile()) {
      yield this.#object(this.#root, basename(this.#root), info.size, info.mtimeMs);
      return;
    }
    for (const paths of walk(this.#root)) {
      const wanted = paths
        .map((path) => ({ path, key: relative(this.#root, path).split(sep).join('/') }))
        .filter((f) => keyMatches(f.key, filter));
      // Synchronous on purpose (here and in walk): listing is all this process does yet, and a
      // call that hits the inode cache takes microseconds where a promise and a thread-pool hop take tens of them.
      for (const f of wanted) {
        const info = statSync(f.path);
        yield this.#object(f.path, f.key, info.size, info.mtimeMs);
      }
    }
  }

  #object(path: string, key: string, size: number, mtimeMs: number): SourceObject {
    return { uri: pathToFileURL(path).href, key, size, version: `mtime:${Math.trunc(mtimeMs)}` };
  }

  async read(object: SourceObject): Promise<Uint8Array> {
    return readFile(new URL(object.uri));
  }

  localPath(object: SourceObject): string {
    return fileURLToPath(object.uri);
  }
}

/** The files below `dir`, one folder at a time, in a stable (sorted) order, so runs and batches are repeatable. */
function* walk(dir: string): Generator<string[]> {
  const entries: { name: string; dir: boolean }[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.name.startsWith('.')) continue;
    if (e.isDirectory()) entries.push({ name: e.name, dir: true });
    else if (e.isFile()) entries.push({ name: e.name, dir: false });
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const files = entries.filter((e) => !e.dir).map((e) => join(dir, e.name));
  if (files.length) yield files;
  for (const e of entries) if (e.dir) yield* walk(join(dir, e.name));
}
