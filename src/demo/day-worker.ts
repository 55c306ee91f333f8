/**
 * Worker thread entry: produces the log files of the days the main thread asks for.
 * The generation plan arrives once as workerData; each reply transfers the gzip bytes.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { DailyDelivery, type GenerationPlan } from './daily-delivery.js';
import type { DeliveredLogFile } from './delivery.js';

export interface DayRequest {
  readonly index: number;
}

export interface DayReply {
  readonly index: number;
  readonly files: DeliveredLogFile[];
  readonly events: number;
}

/** Bytes that own their whole ArrayBuffer, so transferring them detaches nothing else. */
function owned(bytes: Uint8Array): Uint8Array {
  return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : bytes.slice();
}

if (parentPort) {
  const port = parentPort;
  const delivery = new DailyDelivery(workerData as GenerationPlan);
  port.on('message', (request: DayRequest) => {
    const { files, events } = delivery.deliver(request.index);
    const sent = files.map((f) => ({ ...f, bytes: owned(f.bytes) }));
    const reply: DayReply = { index: request.index, files: sent, events };
    port.postMessage(
      reply,
      sent.map((f) => f.bytes.buffer as ArrayBuffer),
    );
  });
}
