/**
 * A fixed set of worker threads that turn log file bytes into lake rows. With `size: 0`
 * parsing happens on the calling thread (simpler to debug, and what a 1-core box wants).
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { readLogFileOutcome, type LogFileJob, type LogFileOutcome } from './log-file-outcome.js';

/**
 * Built, the worker is plain JS. Run from source under tsx (tests, `npm run bench`), a
 * worker does not inherit tsx's loader, so it registers it before importing the entry.
 */
function startWorker(): Worker {
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./log-file-worker.js', import.meta.url));
  const entry = new URL('./log-file-worker.ts', import.meta.url).href;
  return new Worker(`import('tsx/esm/api').then((tsx) => tsx.register()).then(() => import(${JSON.stringify(entry)}))`, { eval: true });
}

type Pending = { resolve: (o: LogFileOutcome) => void; reject: (e: Error) => void };

export class LogFileParserPool {
  readonly #workers: Worker[] = [];
  readonly #idle: Worker[] = [];
  readonly #queue: Array<{ id: number; job: LogFileJob }> = [];
  readonly #pending = new Map<number, Pending>();
  readonly #busy = new Map<Worker, number>();
  #nextId = 0;

  constructor(size = availableParallelism()) {
    for (let i = 0; i < size; i++) {
      const worker = startWorker();
      worker.on('message', (m: { id: number; outcome: LogFileOutcome }) => this.#done(worker, m.id, m.outcome));
      worker.on('error', (e) => this.#failed(worker, e));
      this.#workers.push(worker);
      this.#idle.push(worker);
    }
  }

  /** How many parses may be in flight before callers should wait: keeps every worker busy. */
  get capacity(): number {
    return Math.max(1, this.#workers.length * 2);
  }

  parse(job: LogFileJob): Promise<LogFileOutcome> {
    if (this.#workers.length === 0) {
      return new Promise((resolve) => setImmediate(() => resolve(readLogFileOutcome(job))));
    }
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.#queue.push({ id, job });
      this.#pump();
    });
  }

  #pump() {
    while (this.#idle.length && this.#queue.length) {
      const worker = this.#idle.pop()!;
      const message = this.#queue.shift()!;
      this.#busy.set(worker, message.id);
      const bytes = message.job.bytes;
      // Transfer the buffer when it owns its memory; copy a view into Node's shared pool.
      const transfer =
        bytes && bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer
          ? [bytes.buffer]
          : [];
      worker.postMessage(message, transfer);
    }
  }

  #done(worker: Worker, id: number, outcome: LogFileOutcome) {
    this.#busy.delete(worker);
    this.#idle.push(worker);
    this.#pending.get(id)?.resolve(outcome);
    this.#pending.delete(id);
    this.#pump();
  }

  #failed(worker: Worker, error: Error) {
    const id = this.#busy.get(worker);
    if (id !== undefined) {
      this.#pending.get(id)?.reject(error);
      this.#pending.delete(id);
    }
    this.#busy.delete(worker);
    for (const p of this.#pending.values()) p.reject(error);
    this.#pending.clear();
  }

  async close(): Promise<void> {
    await Promise.all(this.#workers.map((w) => w.terminate()));
  }
}
