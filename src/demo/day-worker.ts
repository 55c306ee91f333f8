/**
 * Worker thread entry: produces the log files of the days the main thread asks for.
 *
 * The generation plan arrives once as workerData. When the output is a local folder the worker
 * writes the day's files itself, so the file system's cost is shared by the threads and the
 * bytes never travel; otherwise each reply transfers them.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { DailyDelivery, type DeliveredDay, type GenerationPlan } from './daily-delivery.js';
import { FolderSink } from './folder-sink.js';

export interface DayWorkerData {
  readonly plan: GenerationPlan;
  /** Where to write log files; absent: send their bytes back. */
  readonly folder?: string;
}

export interface DayRequest {
  readonly index: number;
}

/**
 * A day, or why it could not be written: the run fails with that error rather than retrying on
 * the main thread. Cloning an error keeps its message and stack; its `code` travels beside it.
 */
export type DayReply = DeliveredDay | { readonly index: number; readonly failure: Error; readonly code?: string };

/** Bytes that own their whole ArrayBuffer, so transferring them detaches nothing else. */
function owned(bytes: Uint8Array): Uint8Array {
  return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : bytes.slice();
}

if (parentPort) {
  const port = parentPort;
  const { plan, folder } = workerData as DayWorkerData;
  const delivery = new DailyDelivery(plan);
  const sink = folder === undefined ? undefined : new FolderSink(folder);
  port.on('message', ({ index }: DayRequest) => {
    let day: DeliveredDay;
    try {
      day = delivery.deliver(index, sink);
    } catch (error) {
      const failure = error instanceof Error ? error : new Error(String(error));
      const code = (failure as NodeJS.ErrnoException).code;
      port.postMessage({ index, failure, ...(code === undefined ? {} : { code }) } satisfies DayReply);
      return;
    }
    const files = day.files.map((f) => ('bytes' in f ? { ...f, bytes: owned(f.bytes) } : f));
    port.postMessage(
      { ...day, files } satisfies DayReply,
      files.flatMap((f) => ('bytes' in f ? [f.bytes.buffer as ArrayBuffer] : [])),
    );
  });
}
