/**
 * `trailscope demo`: a realistic organization's CloudTrail logs, with planted incidents.
 *
 * Writes what an organization trail delivers to its bucket — thousands of small gzip log files
 * under `AWSLogs/<o-id>/<account>/CloudTrail/<region>/<yyyy>/<mm>/<dd>/` and hourly digests
 * beside them — for a range of days, and returns the answers: which events make up each
 * planted incident and an Athena query that finds them. The same options always give the same
 * bytes (seeded, no clock, gzip mtime 0), on one thread or several.
 *
 * @example
 * const summary = await generateCloudTrail({ days: 7, seed: 'demo' }, new FolderSink('./logs'));
 * await writeFile('./logs/answers.json', JSON.stringify(summary.answers, null, 2));
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { DailyDelivery, type DeliveredDay, type GenerationPlan } from './daily-delivery.js';
import type { DayReply, DayRequest, DayWorkerData } from './day-worker.js';
import { DigestWriter } from './digest-files.js';
import { FolderSink, WRITES_IN_FLIGHT, type LogFileSink } from './folder-sink.js';
import type { IncidentAnswers } from './incidents.js';
import { DAY_MS } from './schedule.js';

export { FolderSink, type LogFileSink } from './folder-sink.js';
export type { Incident, IncidentAnswers } from './incidents.js';

export interface GenerateOptions {
  /** Days of logs; default 30. */
  days?: number;
  /** Average records per day over the range (weekdays get more, weekends less); default 10,000. */
  eventsPerDay?: number;
  /** Accounts in the organization (management, production, staging, sandboxes...); default 3. */
  accounts?: number;
  /** Everything generated follows from it; default `'trailscope'`. */
  seed?: string;
  /** First day, `yyyy-mm-dd` (UTC); default: `days` days before 2026-11-01, so output never depends on today. */
  start?: string;
  /**
   * Threads generating; default: the machine's cores for large runs, one for small ones. Output bytes never depend on it.
   * Into a folder the main thread is one of them; into other sinks it only writes, and all of them are workers.
   */
  threads?: number;
  onProgress?: (p: { files: number; events: number; bytes: number }) => void;
}

export interface GenerateSummary {
  /** Log files written (digests not included). */
  readonly files: number;
  readonly digestFiles: number;
  /** Records in the log files. */
  readonly events: number;
  /** Bytes written, log and digest files together. */
  readonly bytes: number;
  readonly seconds: number;
  readonly answers: IncidentAnswers;
}

const DEFAULT_END = Date.UTC(2026, 10, 1) / DAY_MS;
/** Below this many events a run is faster on one thread than it takes to start workers. */
const WORKER_THRESHOLD = 40_000;

function normalize(options: GenerateOptions): { plan: GenerationPlan; threads: number } {
  const days = options.days ?? 30;
  const eventsPerDay = options.eventsPerDay ?? 10_000;
  const accounts = options.accounts ?? 3;
  const seed = options.seed ?? 'trailscope';
  if (!Number.isInteger(days) || days < 1 || days > 3660) throw new RangeError(`days must be a whole number from 1 to 3660, not ${days}`);
  if (!Number.isFinite(eventsPerDay) || eventsPerDay < 0)
    throw new RangeError(`eventsPerDay must be a number of at least 0, not ${eventsPerDay}`);
  if (!Number.isInteger(accounts) || accounts < 1 || accounts > 50)
    throw new RangeError(`accounts must be a whole number from 1 to 50, not ${accounts}`);
  let firstDay = DEFAULT_END - days;
  if (options.start !== undefined) {
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(options.start);
    const ms = m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : NaN;
    if (!m || Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== options.start) {
      throw new RangeError(`start must be a date as yyyy-mm-dd, not '${options.start}'`);
    }
    firstDay = ms / DAY_MS;
  }
  const large = days * eventsPerDay >= WORKER_THRESHOLD;
  const threads = Math.max(1, Math.min(options.threads ?? (large ? Math.min(availableParallelism(), 4) : 1), days));
  return { plan: { seed, accounts, eventsPerDay, firstDay, days }, threads };
}

/** Days in range order, produced in-process. */
async function* inlineDays(delivery: DailyDelivery, from: number, folder: FolderSink | undefined): AsyncGenerator<DeliveredDay> {
  for (let index = from; index < delivery.plan.days; index++) {
    yield delivery.deliver(index, folder);
    await new Promise((done) => setImmediate(done));
  }
}

/** A worker thread failed to start or died: the run can continue in-process. */
class WorkerFailure extends Error {
  constructor(cause: Error) {
    super(`demo generator worker failed: ${cause.message}`, { cause });
  }
}

/** A worker producing days; from TypeScript sources (tests, `node --import tsx`) it loads tsx first. */
function startWorker(workerData: DayWorkerData): Worker {
  const here = import.meta.url;
  if (!here.endsWith('.ts')) return new Worker(new URL('./day-worker.js', here), { workerData });
  // On Node 20 tsx registers its loader in the main thread only: the worker registers it before importing TypeScript.
  const tsx = import.meta.resolve('tsx/esm/api');
  const entry = new URL('./day-worker.ts', here).href;
  return new Worker(`import(${JSON.stringify(tsx)}).then((t) => { t.register(); return import(${JSON.stringify(entry)}); })`, {
    eval: true,
    workerData,
  });
}

/**
 * Days in range order, produced by worker threads, at most two queued per worker. With `local`,
 * the main thread produces days too while it waits for the workers: when files go to a folder it
 * has nothing else to do, and one thread fewer to start is one copy of the world fewer to build.
 */
async function* workerDays(
  workerData: DayWorkerData,
  threads: number,
  local?: { delivery: DailyDelivery; folder: FolderSink },
): AsyncGenerator<DayReply> {
  const { plan } = workerData;
  let workers: Worker[];
  try {
    workers = Array.from({ length: threads }, () => startWorker(workerData));
  } catch (error) {
    throw new WorkerFailure(error instanceof Error ? error : new Error(String(error)));
  }
  const ready = new Map<number, DayReply>();
  let failure: Error | undefined;
  let finished = false;
  let wake: (() => void) | undefined;
  let nextToSend = 0;
  const send = (worker: Worker): void => {
    if (nextToSend < plan.days) worker.postMessage({ index: nextToSend++ } satisfies DayRequest);
  };
  for (const worker of workers) {
    worker.on('message', (reply: DayReply) => {
      ready.set(reply.index, reply);
      send(worker);
      wake?.();
    });
    worker.on('error', (error: Error) => {
      failure ??= error;
      wake?.();
    });
    worker.on('exit', (code) => {
      if (!finished) failure ??= new Error(`worker stopped with exit code ${code}`);
      wake?.();
    });
    send(worker);
    send(worker);
  }
  try {
    for (let index = 0; index < plan.days; index++) {
      while (!ready.has(index)) {
        if (failure) throw new WorkerFailure(failure);
        if (local && nextToSend < plan.days) {
          const mine = nextToSend++;
          ready.set(mine, local.delivery.deliver(mine, local.folder));
          // Let the workers' replies in, so they get their next day before this thread starts another.
          await new Promise((done) => setImmediate(done));
        } else {
          await new Promise<void>((done) => (wake = done));
        }
      }
      const reply = ready.get(index)!;
      ready.delete(index);
      yield reply;
    }
  } finally {
    finished = true;
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

/** Writes through the sink keeping a few writes in flight; the first failed write fails the run. */
class Writer {
  private readonly inFlight = new Set<Promise<void>>();
  private failure: { error: unknown } | undefined;
  bytes = 0;

  constructor(private readonly sink: LogFileSink) {}

  async write(key: string, bytes: Uint8Array): Promise<void> {
    while (this.inFlight.size >= WRITES_IN_FLIGHT) await Promise.race(this.inFlight);
    this.check();
    const p: Promise<void> = this.sink.write(key, bytes).then(
      () => void this.inFlight.delete(p),
      (error: unknown) => {
        this.inFlight.delete(p);
        this.failure ??= { error };
      },
    );
    this.inFlight.add(p);
    this.bytes += bytes.byteLength;
  }

  async drain(): Promise<void> {
    await Promise.all(this.inFlight);
    this.check();
  }

  private check(): void {
    if (this.failure) throw this.failure.error;
  }
}

/**
 * Generates the organization's CloudTrail logs into the sink and returns what was planted.
 * @throws RangeError on options out of range; whatever the sink throws.
 */
export async function generateCloudTrail(options: GenerateOptions, sink: LogFileSink): Promise<GenerateSummary> {
  const started = performance.now();
  const { plan, threads } = normalize(options);
  const delivery = new DailyDelivery(plan);
  const digests = new DigestWriter(delivery.world, plan.firstDay, plan.days);
  const writer = new Writer(sink);
  let files = 0;
  let events = 0;
  let digestFiles = 0;
  const progress = (): void => options.onProgress?.({ files: files + digestFiles, events, bytes: writer.bytes });

  let done = 0;
  const take = async (day: DayReply): Promise<void> => {
    if ('failure' in day) throw day.code === undefined ? day.failure : Object.assign(day.failure, { code: day.code });
    for (const file of day.files) {
      if ('bytes' in file) await writer.write(file.key, file.bytes);
      else writer.bytes += file.size;
      digests.add(file);
      files++;
    }
    events += day.events;
    done = day.index + 1;
    // Files of later days are delivered after this day ends: the hours before its end are complete.
    for (const digest of digests.complete((plan.firstDay + done) * DAY_MS)) {
      await writer.write(digest.key, digest.bytes);
      digestFiles++;
    }
    progress();
  };
  // A folder is written by whichever thread makes the file; other sinks get every file's bytes here.
  const folder = sink.folder === undefined ? undefined : new FolderSink(sink.folder);
  if (threads > 1) {
    try {
      const days = folder ? workerDays({ plan, folder: folder.folder }, threads - 1, { delivery, folder }) : workerDays({ plan }, threads);
      for await (const day of days) await take(day);
    } catch (error) {
      // Workers cannot start everywhere (a bundler that drops the worker file, a loader they do not inherit):
      // carry on in-process from the first day not yet written; the output is the same.
      if (!(error instanceof WorkerFailure)) throw error;
      process.emitWarning(`${error.message}; generating on the main thread instead (same output, slower)`, 'TrailscopeDemoWarning');
      for await (const day of inlineDays(delivery, done, folder)) await take(day);
    }
  } else {
    for await (const day of inlineDays(delivery, 0, folder)) await take(day);
  }
  for (const digest of digests.rest()) {
    await writer.write(digest.key, digest.bytes);
    digestFiles++;
  }
  await writer.drain();
  await sink.close?.();
  progress();
  return { files, digestFiles, events, bytes: writer.bytes, seconds: (performance.now() - started) / 1000, answers: delivery.answers };
}
