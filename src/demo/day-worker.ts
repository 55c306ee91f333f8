/**
 * Worker thread entry: produces the log files of the days the main thread asks for.
 *
 * The generation plan arrives once as workerData. When the output is a local folder the worker
 * writes the day's files itself, so both cores share the file system's cost, and replies with
 * what the digests need; otherwise each reply transfers the gzip bytes.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { DailyDelivery, type GenerationPlan } from './daily-delivery.js';
import type { DeliveredLogFile, LogFileFacts } from './delivery.js';
import { FolderSink } from './folder-sink.js';

export interface DayWorkerData {
  readonly plan: GenerationPlan;
  /** Where to write log files; absent: send their bytes back. */
  readonly folder?: string;
}

export interface DayRequest {
  readonly index: number;
}

export type DayReply =
  | {
      readonly index: number;
      /** The day's files, without their bytes when the worker wrote them itself. */
      readonly files: readonly (DeliveredLogFile | LogFileFacts)[];
      readonly events: number;
    }
  /** Writing a file failed: the run fails with this error rather than retrying on the main thread. */
  | { readonly index: number; readonly failure: unknown };

/** Bytes that own their whole ArrayBuffer, so transferring them detaches nothing else. */
function owned(bytes: Uint8Array): Uint8Array {
  return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : bytes.slice();
}

/** The facts of a file, for the main thread. */
const facts = ({ bytes: _, ...rest }: DeliveredLogFile): LogFileFacts => rest;

if (parentPort) {
  const port = parentPort;
  const { plan, folder } = workerData as DayWorkerData;
  const delivery = new DailyDelivery(plan);
  const sink = folder === undefined ? undefined : new FolderSink(folder);
  port.on('message', ({ index }: DayRequest) => {
    const { files, events } = delivery.deliver(index);
    if (sink) {
      try {
        for (const file of files) sink.writeNow(file.key, file.bytes);
      } catch (failure) {
        port.postMessage({ index, failure } satisfies DayReply);
        return;
      }
      port.postMessage({ index, files: files.map(facts), events } satisfies DayReply);
      return;
    }
    const sent = files.map((f) => ({ ...f, bytes: owned(f.bytes) }));
    port.postMessage(
      { index, files: sent, events } satisfies DayReply,
      sent.map((f) => f.bytes.buffer as ArrayBuffer),
    );
  });
}
