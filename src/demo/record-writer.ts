/**
 * A CloudTrail record as JSON text, written field by field in the order CloudTrail writes them.
 *
 * Records are built by string concatenation rather than `JSON.stringify` of objects: the
 * generator writes hundreds of thousands per second, and most parts (userIdentity of a
 * session, tlsDetails of an endpoint) are the same text for many records, so they are built
 * once and reused. Values spliced in unquoted come from the generator's own tables and never
 * hold quotes or backslashes; anything else goes through `JSON.stringify`.
 */

/** The parts of one record; JSON-valued parts are already JSON text (`'null'` when empty). */
export interface RecordParts {
  readonly eventVersion: string;
  readonly userIdentity: string;
  readonly eventTime: string;
  readonly eventSource: string;
  readonly eventName: string;
  readonly awsRegion: string;
  readonly sourceIPAddress: string;
  readonly userAgent: string;
  readonly errorCode?: string;
  readonly errorMessage?: string;
  readonly requestParameters: string;
  readonly responseElements: string;
  readonly additionalEventData?: string;
  readonly requestID?: string;
  readonly eventID: string;
  readonly readOnly?: boolean;
  readonly resources?: string;
  readonly eventType: 'AwsApiCall' | 'AwsConsoleSignIn' | 'AwsServiceEvent';
  readonly apiVersion?: string;
  readonly managementEvent: boolean;
  readonly recipientAccountId: string;
  readonly sharedEventID?: string;
  readonly eventCategory: 'Management' | 'Data';
  readonly tlsDetails?: string;
  readonly sessionCredentialFromConsole?: boolean;
  readonly serviceEventDetails?: string;
}

/**
 * The text of a record around its per-event values: the same for every call one session makes
 * to one API in one place, so it is built once and reused.
 */
export interface RecordFrame {
  /** Up to the opening quote of eventTime. */
  readonly head: string;
  /** From after eventTime through userAgent. */
  readonly middle: string;
  /** `,"readOnly":true`, or empty. */
  readonly readOnly: string;
  /** From eventType to the closing brace. */
  readonly tail: string;
}

/** A record's text up to the opening quote of eventTime: all a session's records share it. */
export const recordHead = (eventVersion: string, userIdentity: string): string =>
  '{"eventVersion":"' + eventVersion + '","userIdentity":' + userIdentity + ',"eventTime":"';

/** The frame of a record; per-event fields of `p` are ignored. */
export function recordFrame(p: RecordParts): RecordFrame {
  let tail = ',"eventType":"' + p.eventType + '"';
  if (p.apiVersion !== undefined) tail += ',"apiVersion":"' + p.apiVersion + '"';
  tail += p.managementEvent ? ',"managementEvent":true' : ',"managementEvent":false';
  tail += ',"recipientAccountId":"' + p.recipientAccountId + '"';
  if (p.sharedEventID !== undefined) tail += ',"sharedEventID":"' + p.sharedEventID + '"';
  if (p.serviceEventDetails !== undefined) tail += ',"serviceEventDetails":' + p.serviceEventDetails;
  tail += ',"eventCategory":"' + p.eventCategory + '"';
  if (p.tlsDetails !== undefined) tail += ',"tlsDetails":' + p.tlsDetails;
  if (p.sessionCredentialFromConsole) tail += ',"sessionCredentialFromConsole":"true"';
  return {
    head: recordHead(p.eventVersion, p.userIdentity),
    middle:
      '","eventSource":"' +
      p.eventSource +
      '","eventName":"' +
      p.eventName +
      '","awsRegion":"' +
      p.awsRegion +
      '","sourceIPAddress":"' +
      p.sourceIPAddress +
      '","userAgent":"' +
      p.userAgent +
      '"',
    readOnly: p.readOnly === undefined ? '' : p.readOnly ? ',"readOnly":true' : ',"readOnly":false',
    tail: tail + '}',
  };
}

/** A record from its frame and the values that change with every event. */
export function writeFramed(f: RecordFrame, p: RecordParts): string {
  let s = f.head + p.eventTime + f.middle;
  if (p.errorCode !== undefined) s += ',"errorCode":"' + p.errorCode + '","errorMessage":' + JSON.stringify(p.errorMessage ?? '');
  s += ',"requestParameters":' + p.requestParameters + ',"responseElements":' + p.responseElements;
  if (p.additionalEventData !== undefined) s += ',"additionalEventData":' + p.additionalEventData;
  if (p.requestID !== undefined) s += ',"requestID":"' + p.requestID + '"';
  s += ',"eventID":"' + p.eventID + '"' + f.readOnly;
  if (p.resources !== undefined) s += ',"resources":' + p.resources;
  return s + f.tail;
}

export function writeRecord(p: RecordParts): string {
  return writeFramed(recordFrame(p), p);
}

const TWO = Array.from({ length: 100 }, (_, i) => String(i).padStart(2, '0'));
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const DAY_MS = 86_400_000;

let cachedDay = -1;
let cachedPrefix = '';

/** `2026-10-15T14:03:09Z`, as CloudTrail writes eventTime (whole seconds, UTC). */
export function formatEventTime(ms: number): string {
  const day = Math.floor(ms / DAY_MS);
  if (day !== cachedDay) {
    cachedDay = day;
    cachedPrefix = new Date(day * DAY_MS).toISOString().slice(0, 11);
  }
  const sec = Math.floor((ms - day * DAY_MS) / 1000);
  return cachedPrefix + TWO[Math.floor(sec / 3600)]! + ':' + TWO[Math.floor(sec / 60) % 60]! + ':' + TWO[sec % 60]! + 'Z';
}

const DIGIT = 48;
let cachedBytesDay = -1;
const prefixBytes = new Uint8Array(11);

/** Writes `formatEventTime(ms)` as 20 ASCII bytes at `offset`; returns the offset after it. */
export function writeEventTime(bytes: Uint8Array, offset: number, ms: number): number {
  const day = Math.floor(ms / DAY_MS);
  if (day !== cachedBytesDay) {
    cachedBytesDay = day;
    const prefix = new Date(day * DAY_MS).toISOString();
    for (let i = 0; i < 11; i++) prefixBytes[i] = prefix.charCodeAt(i);
  }
  bytes.set(prefixBytes, offset);
  let o = offset + 11;
  const sec = Math.floor((ms - day * DAY_MS) / 1000);
  const h = Math.floor(sec / 3600);
  const m = Math.floor(sec / 60) % 60;
  const s = sec % 60;
  bytes[o++] = DIGIT + Math.floor(h / 10);
  bytes[o++] = DIGIT + (h % 10);
  bytes[o++] = 58;
  bytes[o++] = DIGIT + Math.floor(m / 10);
  bytes[o++] = DIGIT + (m % 10);
  bytes[o++] = 58;
  bytes[o++] = DIGIT + Math.floor(s / 10);
  bytes[o++] = DIGIT + (s % 10);
  bytes[o++] = 90;
  return o;
}

/** `Oct 15, 2026, 2:03:09 PM`: the date format of IAM and STS responseElements. */
export function formatResponseDate(ms: number): string {
  const d = new Date(Math.floor(ms / 1000) * 1000);
  const h = d.getUTCHours();
  const h12 = h % 12 === 0 ? 12 : h % 12;
  return `${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()}, ${d.getUTCFullYear()}, ${h12}:${TWO[d.getUTCMinutes()]}:${TWO[d.getUTCSeconds()]} ${h < 12 ? 'AM' : 'PM'}`;
}

/** A JSON string literal for text that may hold characters JSON must escape. */
export const quote = (text: string): string => JSON.stringify(text);
