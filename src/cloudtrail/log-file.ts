/**
 * Reading the records out of one log file, whatever shape it came in:
 * - CloudTrail's delivery file `{"Records":[...]}`, gzip or plain;
 * - JSON lines, one event per line (what the seed-002 Lambda writes, lower-case keys or not);
 * - `LookupEvents` output (`{"Events":[{"CloudTrailEvent":"<json>"}]}`) and the
 *   `CloudTrailEvent` string form of CloudTrail Lake exports, one per line or in an array;
 * - an EventBridge envelope (`{"detail-type":"AWS API Call via CloudTrail","detail":{...}}`);
 * - a plain JSON array of events.
 *
 * A file that is JSON but holds no CloudTrail at all (a digest, a Config snapshot) is
 * `not-cloudtrail`; a file that cannot be read is a `LogFileError`. Bad records inside a
 * good file are counted and described; the good ones are kept.
 */
import { gunzipSync } from 'node:zlib';
import { isCloudTrailRecord, type CloudTrailRecord } from './record.js';

export class LogFileError extends Error {
  override readonly name = 'LogFileError';
  constructor(
    /** What was wrong, for the summary and the manifest: "truncated gzip", "malformed JSON at byte 1234". */
    readonly reason: string,
  ) {
    super(reason);
  }
}

export type LogFileContent =
  | {
      readonly kind: 'records';
      readonly records: CloudTrailRecord[];
      /** How many entries were not CloudTrail records, and the first few reasons. */
      readonly rejectedRecords: number;
      readonly rejectReasons: string[];
      /** Characters of JSON read (after gunzip). */
      readonly textLength: number;
    }
  | { readonly kind: 'not-cloudtrail'; readonly why: string };

const GZIP_MAGIC = [0x1f, 0x8b];
const MAX_REASONS = 5;

/** Decompresses when the bytes are gzip (by content, not by name). */
export function logFileText(bytes: Uint8Array): string {
  if (bytes[0] === GZIP_MAGIC[0] && bytes[1] === GZIP_MAGIC[1]) {
    let inflated: Buffer;
    try {
      inflated = gunzipSync(bytes);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw new LogFileError(
        code === 'Z_BUF_ERROR' || /unexpected end/i.test(String(e))
          ? 'truncated gzip (the file ends before the compressed stream does)'
          : `corrupt gzip: ${(e as Error).message}`,
      );
    }
    return inflated.toString('utf8');
  }
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
}

class Collector {
  readonly records: CloudTrailRecord[] = [];
  rejectedRecords = 0;
  readonly rejectReasons: string[] = [];
  /** Top-level values (the file, or a line) that were JSON but not CloudTrail. */
  readonly notCloudTrail: string[] = [];

  reject(reason: string) {
    this.rejectedRecords++;
    if (this.rejectReasons.length < MAX_REASONS) this.rejectReasons.push(reason);
  }

  /** Takes whatever one JSON value holds; `where` names it in a reject reason. */
  take(value: unknown, where: string, inRecords: boolean) {
    if (value === null || typeof value !== 'object') {
      if (inRecords) this.reject(`${where} is not an object (${value === null ? 'null' : typeof value})`);
      else this.notCloudTrail.push(where);
      return;
    }
    if (Array.isArray(value)) {
      value.forEach((v, i) => this.take(v, `${where}[${i}]`, true));
      return;
    }
    const obj = value as Record<string, unknown>;
    const records = obj.Records ?? obj.records;
    if (records !== undefined && !isCloudTrailRecord(obj)) {
      if (!Array.isArray(records)) throw new LogFileError(`"Records" is ${typeOf(records)}, not an array`);
      records.forEach((r, i) => this.take(r, `record ${i}`, true));
      return;
    }
    if (Array.isArray(obj.Events)) {
      obj.Events.forEach((e, i) => this.take(e, `Events[${i}]`, true));
      return;
    }
    const embedded = obj.CloudTrailEvent ?? obj.cloudTrailEvent ?? obj.eventJson;
    if (typeof embedded === 'string') {
      let parsed: unknown;
      try {
        parsed = JSON.parse(embedded);
      } catch (e) {
        this.reject(`${where}: CloudTrailEvent is not valid JSON (${(e as Error).message})`);
        return;
      }
      this.take(parsed, where, true);
      return;
    }
    if (typeof obj['detail-type'] === 'string' && obj.detail && typeof obj.detail === 'object') {
      this.take(obj.detail, where, true);
      return;
    }
    if (isCloudTrailRecord(obj)) this.records.push(obj);
    else if (inRecords) this.reject(notAnEvent(where));
    else this.notCloudTrail.push(where);
  }
}

function notAnEvent(where: string): string {
  return `${where} is not a CloudTrail event (no eventTime, eventName, eventSource...)`;
}

function typeOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'object' ? 'an object' : `a ${typeof v}`;
}

function malformed(e: unknown): string {
  return `malformed JSON (${(e as Error).message})`;
}

/**
 * The records of a log file.
 * @throws LogFileError when the file cannot be read at all (bad gzip, malformed JSON, a `Records` that is not an array).
 */
export function readLogFile(bytes: Uint8Array): LogFileContent {
  if (bytes.byteLength === 0) return { kind: 'not-cloudtrail', why: 'empty file' };
  const text = logFileText(bytes).replace(/^\uFEFF/, '');
  const trimmed = text.trimStart();
  if (trimmed === '') return { kind: 'not-cloudtrail', why: 'empty file' };
  if (trimmed[0] !== '{' && trimmed[0] !== '[') throw new LogFileError('not JSON (does not start with { or [)');

  const c = new Collector();
  let whole: unknown;
  let parsedWhole = true;
  try {
    whole = JSON.parse(text);
  } catch (e) {
    parsedWhole = false;
    const lines = text.split('\n');
    const nonEmpty = lines.filter((l) => l.trim() !== '');
    if (nonEmpty.length < 2) throw new LogFileError(malformed(e));
    lines.forEach((line, i) => {
      if (line.trim() === '') return;
      let v: unknown;
      try {
        v = JSON.parse(line);
      } catch (err) {
        c.reject(`line ${i + 1}: ${malformed(err)}`);
        return;
      }
      c.take(v, `line ${i + 1}`, false);
    });
  }
  if (parsedWhole) c.take(whole, 'the file', false);

  if (c.records.length === 0 && c.rejectedRecords === 0) {
    return { kind: 'not-cloudtrail', why: c.notCloudTrail.length ? 'JSON, but not CloudTrail records' : 'no records (empty "Records")' };
  }
  // Among CloudTrail lines, a line that is something else is a bad record, not a sign the file is foreign.
  for (const where of c.notCloudTrail) c.reject(notAnEvent(where));
  return {
    kind: 'records',
    records: c.records,
    rejectedRecords: c.rejectedRecords,
    rejectReasons: c.rejectReasons,
    textLength: text.length,
  };
}
