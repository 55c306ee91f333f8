/**
 * Where generated log files go. A sink receives each file's key (an S3-style path) and bytes;
 * `FolderSink` writes them below a folder, the way `aws s3 sync` would lay out the trail's
 * bucket, so `trailscope ingest <dir>` reads them as it would a real bucket.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';

export interface LogFileSink {
  /** Called with up to `WRITES_IN_FLIGHT` writes outstanding at once, never twice for a key. */
  write(key: string, bytes: Uint8Array): Promise<void>;
  close?(): Promise<void>;
  /**
   * The folder on this machine that keys are written below, if the sink is one: the generator's
   * worker threads then write their log files there themselves, and the bytes never travel to
   * the main thread.
   */
  readonly folder?: string;
}

/** How many sink writes the generator keeps outstanding: enough to hide a remote store's latency. */
export const WRITES_IN_FLIGHT = 16;

/**
 * Writes each key as a file below `dir`, creating folders as needed.
 *
 * Writes are synchronous: for tens of thousands of 2–3 KB files a synchronous write costs about
 * a third of the CPU of a promise-based one, and the generator has nothing else to do meanwhile.
 */
export class FolderSink implements LogFileSink {
  readonly folder: string;
  private readonly folders = new Set<string>();

  constructor(dir: string) {
    this.folder = resolve(dir);
  }

  async write(key: string, bytes: Uint8Array): Promise<void> {
    this.writeNow(key, bytes);
  }

  /** `write`, done before returning: what the worker threads call. */
  writeNow(key: string, bytes: Uint8Array): void {
    const path = join(this.folder, key);
    if (!path.startsWith(this.folder + sep)) throw new Error(`Refusing to write ${key}: it leads outside ${this.folder}`);
    const folder = dirname(path);
    if (!this.folders.has(folder)) {
      mkdirSync(folder, { recursive: true });
      this.folders.add(folder);
    }
    writeFileSync(path, bytes);
  }
}
