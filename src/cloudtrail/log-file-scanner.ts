/**
 * Finding a log file's values in its bytes without parsing the whole file: each top-level
 * JSON value in turn, and inside a `{"Records":[...]}` object (or a top-level array) each
 * record on its own. A 200 MB delivery file then never becomes one 200 MB string and one
 * object graph several times that size, and a record that is broken costs that record, not
 * the file.
 *
 * JSON's structural characters are ASCII and UTF-8 never uses ASCII bytes inside a multi-byte
 * character, so bytes are scanned as they are; only each value's own slice is decoded.
 */

/** One value found, parsed, or why it could not be. */
export type ScannedValue =
  | {
      readonly kind: 'value';
      /** Names it in a reject reason: `record 12`, `line 3`, `the file[4]`. */
      readonly where: string;
      readonly value: unknown;
      /** An element of a Records array or a top-level array: a non-event there is a bad record. */
      readonly inRecords: boolean;
    }
  | {
      readonly kind: 'malformed';
      readonly where: string;
      /** `malformed JSON (...)`, or `the file ends inside it`. */
      readonly reason: string;
      readonly inRecords: boolean;
      /** The bytes stop making sense here: nothing after it is read. */
      readonly last: boolean;
    };

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const NEWLINE = 0x0a;

const isSpace = (c: number) => c === 0x20 || c === NEWLINE || c === 0x0d || c === 0x09;

/** Where the string starting at `at` (a quote) ends, just past its closing quote; -1 if the bytes end first. */
function stringEnd(b: Uint8Array, at: number): number {
  for (let i = at + 1; i < b.length; i++) {
    const c = b[i];
    if (c === BACKSLASH) i++;
    else if (c === QUOTE) return i + 1;
  }
  return -1;
}

/**
 * Where the value starting at `at` ends; -1 if the bytes end first. Brackets are only
 * counted: a mismatch is left for `JSON.parse` of the value to report.
 */
function valueEnd(b: Uint8Array, at: number): number {
  const first = b[at];
  if (first === QUOTE) return stringEnd(b, at);
  if (first !== OPEN_BRACE && first !== OPEN_BRACKET) {
    let i = at;
    while (i < b.length) {
      const c = b[i]!;
      if (c === COMMA || c === CLOSE_BRACE || c === CLOSE_BRACKET || isSpace(c)) break;
      i++;
    }
    return i;
  }
  let depth = 0;
  for (let i = at; i < b.length; i++) {
    const c = b[i];
    if (c === QUOTE) {
      i = stringEnd(b, i);
      if (i < 0) return -1;
      i--;
    } else if (c === OPEN_BRACE || c === OPEN_BRACKET) depth++;
    else if ((c === CLOSE_BRACE || c === CLOSE_BRACKET) && --depth === 0) return i + 1;
  }
  return -1;
}

const hasByteOrderMark = (b: Uint8Array) => b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf;

/** The first byte that is not white space or a byte-order mark: `{` or `[` for a file that is JSON. */
export function firstByte(bytes: Uint8Array): number | undefined {
  for (let i = hasByteOrderMark(bytes) ? 3 : 0; i < bytes.length; i++) if (!isSpace(bytes[i]!)) return bytes[i];
  return undefined;
}

class Cursor {
  at = 0;
  /** Newlines passed between values: a JSON-lines file's line numbers. */
  line = 1;
  constructor(readonly b: Uint8Array) {}

  skipSpace(): number | undefined {
    const b = this.b;
    while (this.at < b.length && isSpace(b[this.at]!)) if (b[this.at++] === NEWLINE) this.line++;
    return this.at < b.length ? b[this.at] : undefined;
  }

  text(from: number, to: number): string {
    return Buffer.from(this.b.buffer, this.b.byteOffset + from, to - from).toString('utf8');
  }

  describe(c: number | undefined): string {
    return c === undefined ? 'the file ends' : `unexpected ${JSON.stringify(String.fromCharCode(c))} at byte ${this.at}`;
  }
}

/**
 * Every value of the file in order. A top-level object whose `Records` (or `records`) member
 * is an array gives its elements one by one (its other members are skipped); so does a
 * top-level array. Any other top-level value comes whole.
 */
export function* scanLogFile(bytes: Uint8Array): Generator<ScannedValue> {
  const cur = new Cursor(bytes);
  if (hasByteOrderMark(bytes)) cur.at = 3;
  for (let index = 1; ; index++) {
    const c = cur.skipSpace();
    if (c === undefined) return;
    const where = `line ${cur.line}`;
    const start = cur.at;
    const startLine = cur.line;
    if (c === OPEN_BRACKET) {
      cur.at++;
      const array = index === 1 ? 'the file' : where;
      const broken = yield* elements(cur, (i) => `${array}[${i}]`);
      if (broken) return;
      continue;
    }
    if (c === OPEN_BRACE) {
      const records = yield* recordsMember(cur);
      if (records === 'broken') return;
      if (records === 'read') continue;
      cur.at = start;
      cur.line = startLine;
    }
    const end = valueEnd(bytes, start);
    const value = end > start ? parsed(cur.text(start, end)) : undefined;
    if (value && !('failure' in value)) {
      cur.at = end;
      yield { kind: 'value', where, value: value.value, inRecords: false };
      continue;
    }
    // In JSON lines a broken line must not take the lines after it along: only this line is
    // lost, and reading goes on at the next. A broken value printed over several lines
    // (`jq '.Records[]'`) is one bad record, unless whole events sit on lines inside it.
    const lineEnd = bytes.indexOf(NEWLINE, start);
    if (c !== OPEN_BRACE && c !== OPEN_BRACKET && c !== QUOTE) {
      // Text that is not JSON (a header line, a comment): its line is one bad value.
      const stop = lineEnd < 0 ? bytes.length : lineEnd;
      const line = parsed(cur.text(start, stop));
      cur.at = stop;
      if ('failure' in line) yield { kind: 'malformed', where, reason: line.failure, inRecords: false, last: false };
      else yield { kind: 'value', where, value: line.value, inRecords: false };
      continue;
    }
    if (lineEnd < 0 || (end > start && (lineEnd > end || !holdsEventLines(cur.text(lineEnd + 1, end))))) {
      const reason = value?.failure ?? (end < 0 ? 'the file ends inside it' : `malformed JSON (${cur.describe(c)})`);
      cur.at = end > start ? end : bytes.length;
      yield { kind: 'malformed', where, reason, inRecords: false, last: end <= start };
      continue;
    }
    const line = parsed(cur.text(start, lineEnd));
    cur.at = lineEnd;
    if ('failure' in line) yield { kind: 'malformed', where, reason: line.failure, inRecords: false, last: false };
    else yield { kind: 'value', where, value: line.value, inRecords: false };
  }
}

/** Whether a line of `text` is a whole event on its own: a broken line of JSON lines took it along. */
function holdsEventLines(text: string): boolean {
  return text.split('\n').some((line) => {
    const trimmed = line.trim();
    if (!trimmed.startsWith('{')) return false;
    const value = parsed(trimmed);
    return 'value' in value && looksLikeEvent(value.value);
  });
}

function parsed(text: string): { value: unknown } | { failure: string } {
  try {
    return { value: JSON.parse(text) };
  } catch (e) {
    return { failure: `malformed JSON (${(e as Error).message})` };
  }
}

/**
 * Reads the object at the cursor member by member. When it has a Records array, yields its
 * elements and answers 'read' (the cursor past the object); 'none' when it has none (the
 * caller reads the object whole); 'broken' when the bytes end or stop being JSON inside it.
 */
function* recordsMember(cur: Cursor): Generator<ScannedValue, 'read' | 'none' | 'broken'> {
  const b = cur.b;
  cur.at++;
  let sawRecords = false;
  for (;;) {
    let c = cur.skipSpace();
    if (c === CLOSE_BRACE) {
      cur.at++;
      return sawRecords ? 'read' : 'none';
    }
    if (c === COMMA) {
      cur.at++;
      c = cur.skipSpace();
    }
    if (c !== QUOTE) return sawRecords ? yield* broken() : 'none';
    const keyEnd = stringEnd(b, cur.at);
    if (keyEnd < 0) return sawRecords ? yield* broken() : 'none';
    const key = cur.text(cur.at + 1, keyEnd - 1);
    cur.at = keyEnd;
    if (cur.skipSpace() !== COLON) return sawRecords ? yield* broken() : 'none';
    cur.at++;
    c = cur.skipSpace();
    if ((key === 'Records' || key === 'records') && c === OPEN_BRACKET && !sawRecords) {
      sawRecords = true;
      cur.at++;
      if (yield* elements(cur, (i) => `record ${i}`)) return 'broken';
      continue;
    }
    if (c === undefined) return sawRecords ? yield* broken() : 'none';
    const end = valueEnd(b, cur.at);
    if (end < 0 || end === cur.at) return sawRecords ? yield* broken() : 'none';
    cur.at = end;
  }

  function* broken(): Generator<ScannedValue, 'broken'> {
    const reason = `malformed JSON (after the records, ${cur.describe(cur.skipSpace())})`;
    yield { kind: 'malformed', where: 'the file', reason, inRecords: false, last: true };
    return 'broken';
  }
}

/** The elements of the array whose `[` the cursor has just passed; true when the bytes broke off inside it. */
function* elements(cur: Cursor, where: (i: number) => string): Generator<ScannedValue, boolean> {
  const b = cur.b;
  for (let i = 0; ; i++) {
    let c = cur.skipSpace();
    if (c === CLOSE_BRACKET && i === 0) {
      cur.at++;
      return false;
    }
    const start = cur.at;
    const end = c === undefined ? -1 : valueEnd(b, start);
    const element = end > start ? parsed(cur.text(start, end)) : undefined;
    if (element && !('failure' in element)) {
      cur.at = end;
      yield { kind: 'value', where: where(i), value: element.value, inRecords: true };
    } else {
      // A broken record: an unclosed string or brace makes the bytes after it look like part
      // of it, so reading goes on where the next record starts, found without trusting them.
      const next = nextRecordStart(b, start + 1);
      const reason = element?.failure ?? (end < 0 ? 'the file ends inside it' : `malformed JSON (${cur.describe(c)})`);
      const resumes = next >= 0 && (end <= start || next < end);
      yield { kind: 'malformed', where: where(i), reason, inRecords: true, last: !resumes && end <= start };
      if (resumes) {
        cur.at = next;
        continue;
      }
      if (end <= start) return true;
      cur.at = end;
    }
    c = cur.skipSpace();
    if (c === CLOSE_BRACKET) {
      cur.at++;
      return false;
    }
    if (c === COMMA) {
      cur.at++;
      continue;
    }
    const next = nextRecordStart(b, cur.at);
    yield { kind: 'malformed', where: `after ${where(i)}`, reason: `malformed JSON (${cur.describe(c)})`, inRecords: true, last: next < 0 };
    if (next < 0) return true;
    cur.at = next;
  }
}

/**
 * Where the next whole record starts after `from`, or -1: the first `{` after a comma from
 * which an object with an event's members parses and is followed by `,` or `]`. Found by bytes
 * alone, since a broken record puts strings and brackets out of step; the event members tell
 * a record from the objects nested in one (resources, request parameters).
 */
function nextRecordStart(b: Uint8Array, from: number): number {
  for (let comma = b.indexOf(COMMA, from); comma >= 0; comma = b.indexOf(COMMA, comma + 1)) {
    let at = comma + 1;
    while (at < b.length && isSpace(b[at]!)) at++;
    if (b[at] !== OPEN_BRACE) continue;
    const end = valueEnd(b, at);
    if (end < 0) continue;
    let after = end;
    while (after < b.length && isSpace(b[after]!)) after++;
    if (b[after] !== COMMA && b[after] !== CLOSE_BRACKET) continue;
    const candidate = parsed(Buffer.from(b.buffer, b.byteOffset + at, end - at).toString('utf8'));
    if ('value' in candidate && looksLikeEvent(candidate.value)) return at;
  }
  return -1;
}

const EVENT_MEMBERS = new Set(['eventversion', 'eventtime', 'eventid', 'eventname', 'eventsource']);

function looksLikeEvent(value: unknown): boolean {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  return Object.keys(value).filter((k) => EVENT_MEMBERS.has(k.toLowerCase())).length >= 2;
}
