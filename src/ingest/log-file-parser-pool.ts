/**
 * A fixed set of worker threads that turn log file bytes into staged lake rows. With
 * `size: 0` parsing happens on the calling thread (simpler to debug, and what a 1-core box wants).
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { StagedRowsWriter, type StagedJob, type StagedOutcome } from './staged-rows-writer.js';

/**
 * Built, the worker is plain JS, and starts without the process's flags: a loader the host
 * runs under (`--import tsx`, as the benchmark's children do) would cost each worker ~25 MB
 * and its start-up, for nothing it needs. Run from source under tsx (tests), a worker
 * registers tsx itself before importing the entry.
 */
function startWorker(): Worker {
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./log-file-worker.js', import.meta.url), { execArgv: [] });
  const entry = new URL('./log-file-worker.ts', import.meta.url).href;
  return new Worker(`import('tsx/esm/api').then((tsx) => tsx.register()).then(() => import(${JSON.stringify(entry)}))`, { eval: true });
}

type Pending = { resolve: (o: StagedOutcome) => void; reject: (e: Error) => void };

/** Files sent to a worker in one message: small delivery files cost more in messages than in parsing. */
const JOBS_PER_MESSAGE = 16;

type Message = { ids: number[]; jobs: StagedJob[] };
type Reply = { ids: number[]; outcomes: StagedOutcome[]; error?: undefined } | { ids: number[]; error: string };

export class LogFileParserPool {
  readonly #workers: Worker[] = [];
  readonly #idle: Worker[] = [];
  readonly #queue: Array<{ id: number; job: StagedJob }> = [];
  readonly #inThread = new StagedRowsWriter();
  readonly #pending = new Map<number, Pending>();
  #nextId = 0;
  #scheduled = false;

  constructor(size = availableParallelism()) {
    for (let i = 0; i < size; i++) {
      const worker = startWorker();
      worker.on('message', (m: Reply) => {
        if (m.error !== undefined) this.#failed(new Error(`could not write staged rows: ${m.error}`));
        else this.#done(worker, m.ids, m.outcomes);
      });
      worker.on('error', (e) => this.#failed(e));
      this.#workers.push(worker);
      this.#idle.push(worker);
    }
  }

  /** How many parses callers should keep in flight so every worker has a full message waiting. */
  get capacity(): number {
    return Math.max(1, this.#workers.length * JOBS_PER_MESSAGE * 2);
  }

  /** Parses the job; its rows are in the staging files the outcome names when it resolves. */
  parse(job: StagedJob): Promise<StagedOutcome> {
    if (this.#workers.length === 0) {
      return new Promise((resolve, reject) =>
        setImmediate(() => {
          try {
            resolve(this.#inThread.read(job));
          } catch (e) {
            reject(e as Error);
          }
        }),
      );
    }
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.#queue.push({ id, job });
      // Jobs queued in the same tick travel together.
      if (!this.#scheduled) {
        this.#scheduled = true;
        queueMicrotask(() => {
          this.#scheduled = false;
          this.#pump();
        });
      }
    });
  }

  #pump() {
    while (this.#idle.length && this.#queue.length) {
      const worker = this.#idle.pop()!;
      const share = Math.max(1, Math.min(JOBS_PER_MESSAGE, Math.ceil(this.#queue.length / (this.#idle.length + 1))));
      const batch = this.#queue.splice(0, share);
      const message: Message = { ids: batch.map((b) => b.id), jobs: batch.map((b) => b.job) };
      // Transfer buffers that own their memory; views into Node's shared pool are copied.
      const transfer: ArrayBuffer[] = [];
      for (const { bytes } of message.jobs) {
        if (bytes && bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer) {
          transfer.push(bytes.buffer);
        }
      }
      worker.postMessage(message, transfer);
    }
  }

  #done(worker: Worker, ids: number[], outcomes: StagedOutcome[]) {
    this.#idle.push(worker);
    ids.forEach((id, i) => {
      this.#pending.get(id)?.resolve(outcomes[i]!);
      this.#pending.delete(id);
    });
    this.#pump();
  }

  /** A worker that dies takes the run with it: every waiting parse fails with its error. */
  #failed(error: Error) {
    for (const p of this.#pending.values()) p.reject(error);
    this.#pending.clear();
  }

  async close(): Promise<void> {
    this.#inThread.close();
    await Promise.all(this.#workers.map((w) => w.terminate()));
  }
}
