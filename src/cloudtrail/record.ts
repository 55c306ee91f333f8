/**
 * A CloudTrail record as it stands in a log file, and its row in the lake.
 *
 * Keys are matched without regard to case: CloudTrail writes `sourceIPAddress`, the Lambda
 * of seed 002 writes `sourceipaddress`, and both must land in the same column.
 */
import { CLOUDTRAIL_COLUMNS, type Column, type ColumnType } from './athena-table.js';
import { recordFromRow, sameRecord } from './raw-record.js';

/** One event of a log file's `Records` array. Fields beyond the known ones are allowed and kept. */
export interface CloudTrailRecord {
  readonly eventVersion?: string;
  readonly eventTime?: string;
  readonly eventSource?: string;
  readonly eventName?: string;
  readonly awsRegion?: string;
  readonly eventID?: string;
  readonly recipientAccountId?: string;
  readonly userIdentity?: Record<string, unknown>;
  readonly [field: string]: unknown;
}

/** A row of `cloudtrail_logs` before it is written: Athena's columns plus partition values. */
export type LakeRow = Record<string, unknown> & {
  account: string;
  region: string;
  year: string;
  month: string;
  day: string;
  /** The record's text when the columns cannot give it back (see raw-record.ts), else null. */
  raw: string | null;
  logfile: string;
};

const MARKERS = ['eventversion', 'eventtime', 'eventsource', 'eventname', 'eventid', 'useridentity', 'awsregion'];

/** At least two of CloudTrail's own fields: enough to tell an event from a Config item or any other JSON. */
export function isCloudTrailRecord(value: unknown): value is CloudTrailRecord {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  let seen = 0;
  for (const key of Object.keys(value)) {
    if (MARKERS.includes(key.toLowerCase()) && ++seen >= 2) return true;
  }
  return false;
}

const TOP_LEVEL = new Set(CLOUDTRAIL_COLUMNS.map((c) => c.name));

function lowerKeys(value: object): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k.toLowerCase()] = v;
  return out;
}

function asText(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}

function convert(v: unknown, type: ColumnType): unknown {
  if (v === null || v === undefined) return null;
  switch (type.kind) {
    case 'string':
      return asText(v);
    case 'json':
      return JSON.stringify(v);
    case 'map': {
      if (typeof v !== 'object' || Array.isArray(v)) return null;
      const out: Record<string, string | null> = {};
      for (const [k, x] of Object.entries(v)) out[k] = asText(x);
      return out;
    }
    case 'struct':
      return typeof v === 'object' && !Array.isArray(v) ? structOf(v, type.fields) : null;
    case 'array':
      return Array.isArray(v) ? v.map((x) => convert(x, type.element)) : null;
  }
}

function structOf(value: object, fields: readonly Column[]): Record<string, unknown> | null {
  const lc = lowerKeys(value);
  const out: Record<string, unknown> = {};
  let any = false;
  for (const f of fields) {
    const x = convert(lc[f.name], f.type);
    // Absent rather than null: the JSON lines handed to DuckDB stay short, and it reads a missing member as NULL.
    if (x !== null) {
      out[f.name] = x;
      any = true;
    }
  }
  return any ? out : null;
}

/**
 * The largest lake row (JSON text, the raw record included) ingest accepts. CloudTrail's
 * own records stay far below it; a larger one is rejected by name rather than failing a batch.
 */
export const MAX_ROW_BYTES = 32 * 1024 * 1024;

/** Where a record belongs when neither it nor its log file says. */
export const UNKNOWN_PARTITION = 'unknown';

const SAFE_SEGMENT = /^[A-Za-z0-9_.-]{1,64}$/;
const EVENT_DAY = /^(\d{4})-(\d{2})-(\d{2})/;

export interface RecordPlacement {
  /** The account and region of the log file's key, used when the record lacks them. */
  readonly account?: string;
  readonly region?: string;
  /** `yyyy-mm-dd` of the log file's folder, used when the record has no eventTime. */
  readonly date?: string;
}

/**
 * A record as a lake row. Partitions follow the event itself (recipientAccountId,
 * awsRegion, the UTC day of eventTime), so a range on `eventtime` maps exactly to day
 * partitions; the log file's key fills in what the record lacks.
 *
 * @returns the row, and the top-level fields no column holds (they stay in `raw`).
 */
export function toLakeRow(
  record: CloudTrailRecord,
  logfile: string,
  placement: RecordPlacement = {},
): { row: LakeRow; unknownFields: string[] } {
  const lc = lowerKeys(record);
  const row: Record<string, unknown> = {};
  for (const c of CLOUDTRAIL_COLUMNS) {
    const x = convert(lc[c.name], c.type);
    if (x !== null) row[c.name] = x;
  }
  const unknownFields: string[] = [];
  for (const k of Object.keys(lc)) if (!TOP_LEVEL.has(k)) unknownFields.push(k);

  const identity = row.useridentity as { accountid?: unknown } | null;
  Object.assign(row, partitionOf(row.recipientaccountid, row.awsregion, row.eventtime, identity?.accountid, placement));
  row.raw = sameRecord(record, recordFromRow(row)) ? null : JSON.stringify(record);
  row.logfile = logfile;
  return { row: row as LakeRow, unknownFields };
}

/** The partition values of a lake row. */
export interface Partition {
  readonly account: string;
  readonly region: string;
  readonly year: string;
  readonly month: string;
  readonly day: string;
}

/**
 * Where a record goes: its own account, region and eventTime day, else what its log file's
 * key says, else `unknown`. Takes the record's values (any type) so both row builders share it.
 */
export function partitionOf(
  recipientAccountId: unknown,
  awsRegion: unknown,
  eventTime: unknown,
  identityAccountId: unknown,
  placement: RecordPlacement,
): Partition {
  const day = (typeof eventTime === 'string' ? EVENT_DAY.exec(eventTime) : null) ?? EVENT_DAY.exec(placement.date ?? '');
  return {
    account: pick(recipientAccountId, placement.account, identityAccountId),
    region: pick(awsRegion, placement.region),
    year: day?.[1] ?? UNKNOWN_PARTITION,
    month: day?.[2] ?? UNKNOWN_PARTITION,
    day: day?.[3] ?? UNKNOWN_PARTITION,
  };
}

function pick(...candidates: unknown[]): string {
  for (const c of candidates) if (typeof c === 'string' && SAFE_SEGMENT.test(c)) return c;
  return UNKNOWN_PARTITION;
}
