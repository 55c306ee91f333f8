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
 *
 * An ordinary file is one `JSON.parse`. A large one is read value by value and handed out in
 * parts (log-file-scanner.ts), and so is a one-line file that fails to parse whole: a record
 * with broken JSON, or a delivery file cut short, then costs only the records it breaks.
 */
import { gunzipSync } from 'node:zlib';
import { firstByte, scanLogFile } from './log-file-scanner.js';
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

/**
 * Above this many bytes of JSON a file is read value by value (log-file-scanner.ts) instead
 * of with one `JSON.parse`: the whole text as one string and every record as objects at once
 * would take several times the file's size.
 */
export const LARGE_LOG_FILE_BYTES = 32 * 1024 * 1024;
/** Records in each part of a large file: the size of what is held at once. */
const PART_RECORDS = 2000;

/** The JSON bytes: decompressed when they are gzip (by content, not by name). */
export function logFileBytes(bytes: Uint8Array): Buffer {
  if (bytes[0] === GZIP_MAGIC[0] && bytes[1] === GZIP_MAGIC[1]) {
    try {
      return gunzipSync(bytes);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw new LogFileError(
        code === 'Z_BUF_ERROR' || /unexpected end/i.test(String(e))
          ? 'truncated gzip (the file ends before the compressed stream does)'
          : `corrupt gzip: ${(e as Error).message}`,
      );
    }
  }
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
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

  /** What was taken, as a file's (last) part; `gaveRecords` when earlier parts had records. */
  content(textLength: number, gaveRecords = false): LogFileContent {
    if (!gaveRecords && this.records.length === 0 && this.rejectedRecords === 0) {
      return {
        kind: 'not-cloudtrail',
        why: this.notCloudTrail.length ? 'JSON, but not CloudTrail records' : 'no records (empty "Records")',
      };
    }
    // Among CloudTrail lines, a line that is something else is a bad record, not a sign the file is foreign.
    for (const where of this.notCloudTrail) this.reject(notAnEvent(where));
    return { kind: 'records', records: this.records, rejectedRecords: this.rejectedRecords, rejectReasons: this.rejectReasons, textLength };
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
  // With parts of unbounded size there is exactly one.
  return readLogFileParts(bytes, { partRecords: Infinity }).next().value!;
}

/**
 * The records of a log file, a part at a time: one part for an ordinary file, a few
 * thousand records per part for a large one (`largeBytes`), so a caller that deals with each
 * part before asking for the next holds one part. Every part is `records` but for a file
 * with none; the counts of rejected records come with the last part.
 * @throws LogFileError as `readLogFile`, before any part is given.
 */
export function* readLogFileParts(
  bytes: Uint8Array,
  { partRecords = PART_RECORDS, largeBytes = LARGE_LOG_FILE_BYTES }: { partRecords?: number; largeBytes?: number } = {},
): Generator<LogFileContent> {
  if (bytes.byteLength === 0) return yield { kind: 'not-cloudtrail', why: 'empty file' };
  const json = logFileBytes(bytes);
  const first = firstByte(json);
  if (first === undefined) return yield { kind: 'not-cloudtrail', why: 'empty file' };
  if (first !== 0x7b && first !== 0x5b) {
    if ((json[0] === 0xff && json[1] === 0xfe) || (json[0] === 0xfe && json[1] === 0xff)) {
      throw new LogFileError('UTF-16 text, where CloudTrail writes UTF-8 (convert it, e.g. iconv -f UTF-16 -t UTF-8)');
    }
    // A header line before JSON lines (`# export of ...`): that line is the bad one, not the file.
    if (json.indexOf('\n{') < 0) throw new LogFileError('not JSON (does not start with { or [)');
    return yield* scannedParts(json, Infinity, 'not JSON (does not start with { or [)');
  }
  if (json.byteLength > largeBytes) return yield* scannedParts(json, partRecords, undefined);
  const text = json.toString('utf8').replace(/^\uFEFF/, '');

  const c = new Collector();
  let whole: unknown;
  try {
    whole = JSON.parse(text);
  } catch (e) {
    const values = jsonLines(text);
    if (!values) {
      // Values over several lines (`jq '.Records[]'` prints objects one after another), a
      // broken line, or one value that is broken (a delivery file cut short, one bad record):
      // read value by value, keeping the records around any damage.
      return yield* scannedParts(json, Infinity, malformed(e));
    }
    for (const [v, line] of values) c.take(v, `line ${line}`, false);
    return yield c.content(text.length);
  }
  c.take(whole, 'the file', false);
  yield c.content(text.length);
}

/**
 * Each line's value and line number, when every non-empty line of several is one JSON value
 * (JSON lines): the fast way. `undefined` otherwise.
 */
function jsonLines(text: string): Array<[unknown, number]> | undefined {
  const lines = text.split('\n');
  if (lines.length < 2) return undefined;
  const values: Array<[unknown, number]> = [];
  for (const [i, line] of lines.entries()) {
    if (line.trim() === '') continue;
    try {
      values.push([JSON.parse(line), i + 1]);
    } catch {
      return undefined;
    }
  }
  return values.length ? values : undefined;
}

/**
 * A file read value by value. `brokenWhole`, when the file already failed to parse whole:
 * unless some record survives, the file is rejected with that message.
 */
function* scannedParts(json: Buffer, partRecords: number, brokenWhole: string | undefined): Generator<LogFileContent> {
  const c = new Collector();
  let given = 0;
  let firstFailure: string | undefined;
  for (const v of scanLogFile(json)) {
    if (v.kind === 'malformed') {
      firstFailure ??= v.last && v.inRecords ? `malformed JSON (${v.where}: ${v.reason})` : v.reason;
      c.reject(`${v.where}: ${v.reason}`);
      if (v.last) break;
      continue;
    }
    try {
      c.take(v.value, v.where, v.inRecords);
    } catch (e) {
      // A value whose shape is wrong ("Records" not an array): that value is bad, not the records around it.
      if (!(e instanceof LogFileError)) throw e;
      firstFailure ??= e.reason;
      c.reject(`${v.where}: ${e.reason}`);
      continue;
    }
    if (c.records.length >= partRecords) {
      given += c.records.length;
      yield { kind: 'records', records: c.records.splice(0), rejectedRecords: 0, rejectReasons: [], textLength: 0 };
    }
  }
  // Nothing readable before the damage: the file is what is bad, not a record of it.
  if (given + c.records.length === 0 && firstFailure !== undefined) throw new LogFileError(brokenWhole ?? firstFailure);
  yield c.content(json.byteLength, given > 0);
}
