/**
 * The staging file a batch's lake rows are appended to, from many files finishing in any
 * order. Writes are chained so each caller waits for its own rows to be written: memory
 * stays bounded by what is in flight, and no listener piles up on a stream.
 */
import { open, type FileHandle } from 'node:fs/promises';

export class RowsFile {
  #handle: Promise<FileHandle>;
  #tail: Promise<unknown> = Promise.resolve();
  #bytes = 0;

  constructor(readonly path: string) {
    this.#handle = open(path, 'w');
  }

  /** Characters appended so far. */
  get size(): number {
    return this.#bytes;
  }

  append(rows: string): Promise<void> {
    if (!rows) return Promise.resolve();
    this.#bytes += rows.length;
    const write = this.#tail.then(async () => {
      await (await this.#handle).write(rows);
    });
    this.#tail = write;
    return write;
  }

  async close(): Promise<void> {
    await this.#tail;
    await (await this.#handle).close();
  }
}
