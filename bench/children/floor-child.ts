/**
 * Child: the floor of ingest on one thread. Reads each log file, gunzips it, and decodes and
 * parses its JSON, timing the three steps apart, without doing anything with the records: no ingest can
 * do less and still look at every event.
 */
import { readFile } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import { childMain } from './child-main.js';

export interface FloorRequest {
  readonly fileList: string;
}

export interface FloorValue {
  readonly readSeconds: number;
  readonly gunzipSeconds: number;
  readonly parseSeconds: number;
  readonly files: number;
  readonly events: number;
  readonly bytes: number;
  readonly uncompressedBytes: number;
}

childMain<FloorRequest, FloorValue>(async (r) => {
  const files = JSON.parse(await readFile(r.fileList, 'utf8')) as string[];
  let readSeconds = 0;
  let gunzipSeconds = 0;
  let parseSeconds = 0;
  let events = 0;
  let bytes = 0;
  let uncompressedBytes = 0;
  for (const file of files) {
    const t0 = performance.now();
    const gz = await readFile(file);
    const t1 = performance.now();
    const json = gunzipSync(gz);
    const t2 = performance.now();
    const parsed = JSON.parse(json.toString('utf8')) as { Records?: unknown[] };
    const t3 = performance.now();
    readSeconds += (t1 - t0) / 1000;
    gunzipSeconds += (t2 - t1) / 1000;
    parseSeconds += (t3 - t2) / 1000;
    events += parsed.Records?.length ?? 0;
    bytes += gz.byteLength;
    uncompressedBytes += json.byteLength;
  }
  return { readSeconds, gunzipSeconds, parseSeconds, files: files.length, events, bytes, uncompressedBytes };
});
