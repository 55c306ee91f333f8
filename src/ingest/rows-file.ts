/**
 * The staging file a batch's lake rows are appended to, from many files finishing in any
 * order. Rows are gathered in memory and written in large chunks, one write at a time;
 * `append` waits only when a chunk is being written and another is full (backpressure).
 */
import { open, type FileHandle } from 'node:fs/promises';

const CHUNK_CHARS = 8 * 1024 * 1024;

export class RowsFile {
  #handle: Promise<FileHandle>;
  #pending: string[] = [];
  #pendingChars = 0;
  #writing: Promise<void> = Promise.resolve();
  #size = 0;

  constructor(readonly path: string) {
    this.#handle = open(path, 'w');
  }

  /** Characters appended so far. */
  get size(): number {
    return this.#size;
  }

  async append(rows: string): Promise<void> {
    if (!rows) return;
    this.#size += rows.length;
    this.#pending.push(rows);
    this.#pendingChars += rows.length;
    if (this.#pendingChars >= CHUNK_CHARS) {
      await this.#writing;
      this.#writing = this.#flush();
    }
  }

  #flush(): Promise<void> {
    if (this.#pending.length === 0) return Promise.resolve();
    const chunk = this.#pending.join('');
    this.#pending = [];
    this.#pendingChars = 0;
    return this.#handle.then(async (h) => {
      await h.write(chunk);
    });
  }

  async close(): Promise<void> {
    await this.#writing;
    await this.#flush();
    await (await this.#handle).close();
  }
}
