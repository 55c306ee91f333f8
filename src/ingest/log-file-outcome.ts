/**
 * What reading one log file produced: lake rows as staged lines (see staged-row.ts), or why there are none.
 * Runs inside the parser workers, so it must stay free of I/O and shared state.
 */
import { readFileSync } from 'node:fs';
import { parseLogFileKey, type LogFileKey } from '../cloudtrail/log-file-key.js';
import { LogFileError, readLogFileParts, type LogFileContent } from '../cloudtrail/log-file.js';
import { MAX_ROW_BYTES, partitionOf, toLakeRow, UNKNOWN_PARTITION, type Partition, type RecordPlacement } from '../cloudtrail/record.js';
import { stagedLakeRowLine, stagedLogFile, stagedRecordLine } from '../cloudtrail/staged-row.js';

export type LogFileOutcome =
  | {
      readonly kind: 'records';
      /** The file's staged lake rows (staged-row.ts) by partition key. */
      readonly rows: Record<string, PartitionRows>;
      readonly records: number;
      readonly rejectedRecords: number;
      readonly rejectReasons: string[];
      /** Partition keys (`account=…/…/day=…`) this file's rows fall in. */
      readonly partitions: string[];
      /** Top-level fields no column holds (kept in `raw`), with how many records had each. */
      readonly unknownFields: Record<string, number>;
      /** Records without a usable eventTime, placed by the log file's folder date or in day=unknown. */
      readonly withoutEventTime: number;
      readonly uncompressedBytes: number;
    }
  | { readonly kind: 'not-cloudtrail'; readonly why: string }
  | {
      readonly kind: 'rejected';
      readonly reason: string;
      /** Its bytes could not be had (a file not readable now, a fetch that failed): nothing was wrong with them. */
      readonly unread?: boolean;
    };

export interface PartitionRows {
  /** One staged row per line, every line ending in a newline. */
  readonly text: string;
  readonly count: number;
  /** Characters of the longest line. */
  readonly longest: number;
  /** A hash of each row's eventID (see `eventIdHash`), 0 for a row without one: how a batch spots an event it holds twice. */
  readonly eventIdHashes: number[];
}

export interface LogFileJob {
  readonly uri: string;
  readonly key: LogFileKey;
  /** The content, or where to read it on this machine. */
  readonly bytes?: Uint8Array;
  readonly path?: string;
}

/**
 * What one log file produced, in parts (see `readLogFileParts`): one for an ordinary file, a
 * few thousand records' rows at a time for a large one, so the caller can put each part's
 * rows away before the next is built. Only the first part can be other than `records`.
 */
export function* readLogFileOutcomes(job: LogFileJob): Generator<LogFileOutcome> {
  let bytes: Uint8Array;
  try {
    bytes = job.bytes ?? readFileSync(job.path!);
  } catch (e) {
    return yield { kind: 'rejected', reason: `could not be read: ${(e as Error).message}`, unread: true };
  }
  const parts = readLogFileParts(bytes);
  const fileKey = parseLogFileKey(job.key);
  const placement = { account: fileKey.account, region: fileKey.region, date: fileKey.date };
  for (let recordsBefore = 0, first = true; ; first = false) {
    let part: IteratorResult<LogFileContent>;
    try {
      part = parts.next();
    } catch (e) {
      // Rows of earlier parts are already out: only a file none of whose parts was given can be rejected.
      if (!first) throw e;
      if (e instanceof LogFileError) return yield { kind: 'rejected', reason: e.reason };
      return yield { kind: 'rejected', reason: `could not be read: ${(e as Error).message}` };
    }
    if (part.done) return;
    if (part.value.kind === 'not-cloudtrail') return yield part.value;
    yield partOutcome(part.value, job, placement, recordsBefore);
    recordsBefore += part.value.records.length;
  }
}

function partOutcome(
  content: Extract<LogFileContent, { kind: 'records' }>,
  job: LogFileJob,
  placement: RecordPlacement,
  recordsBefore: number,
): Extract<LogFileOutcome, { kind: 'records' }> {
  const byPartition = new Map<string, { lines: string[]; longest: number; eventIdHashes: number[] }>();
  const logFile = stagedLogFile(job.uri);
  const unknownFields: Record<string, number> = {};
  let withoutEventTime = 0;
  let rejectedRecords = content.rejectedRecords;
  const rejectReasons = [...content.rejectReasons];
  for (const [i, record] of content.records.entries()) {
    let partition: Partition = partitionOf(
      record.recipientAccountId,
      record.awsRegion,
      record.eventTime,
      record.userIdentity?.accountId,
      placement,
    );
    let line: string | undefined;
    let eventTime: unknown = record.eventTime;
    let eventId: unknown = record.eventID;
    try {
      line = stagedRecordLine(record, logFile, partition);
      if (line === undefined) {
        // Not a record as CloudTrail writes it (lower-case keys, extra fields...): the row decides.
        const { row, unknownFields: unknown } = toLakeRow(record, job.uri, placement);
        line = stagedLakeRowLine(row);
        partition = row;
        eventTime = row.eventtime;
        eventId = row.eventid;
        for (const f of unknown) unknownFields[f] = (unknownFields[f] ?? 0) + 1;
      }
    } catch (e) {
      // JSON.parse reads a value nested 20,000 deep, JSON.stringify cannot write it back: that
      // record is lost, not the run.
      if (!(e instanceof RangeError)) throw e;
      rejectedRecords++;
      rejectReasons.push(`record ${recordsBefore + i} cannot be stored (${e.message}: nested too deeply?)`);
      continue;
    }
    if (line.length > MAX_ROW_BYTES / 3 && Buffer.byteLength(line) > MAX_ROW_BYTES) {
      rejectedRecords++;
      rejectReasons.push(`record ${recordsBefore + i} is larger than ${MAX_ROW_BYTES / 1024 / 1024} MiB`);
      continue;
    }
    const key = `account=${partition.account}/region=${partition.region}/year=${partition.year}/month=${partition.month}/day=${partition.day}`;
    let rows = byPartition.get(key);
    if (!rows) byPartition.set(key, (rows = { lines: [], longest: 0, eventIdHashes: [] }));
    rows.lines.push(line);
    if (line.length > rows.longest) rows.longest = line.length;
    rows.eventIdHashes.push(typeof eventId === 'string' ? eventIdHash(eventId) : 0);
    if (eventTime == null || partition.year === UNKNOWN_PARTITION) withoutEventTime++;
  }
  return {
    kind: 'records',
    rows: Object.fromEntries(
      [...byPartition].map(([key, r]) => [
        key,
        { text: r.lines.join('\n') + '\n', count: r.lines.length, longest: r.longest, eventIdHashes: r.eventIdHashes },
      ]),
    ),
    records: [...byPartition.values()].reduce((n, r) => n + r.lines.length, 0),
    rejectedRecords,
    rejectReasons: rejectReasons.slice(0, 5),
    partitions: [...byPartition.keys()],
    unknownFields,
    withoutEventTime,
    uncompressedBytes: content.textLength,
  };
}

/**
 * 53 bits of two FNV-1a-style hashes, never 0 (0 means "no eventID"). A collision only costs
 * a needless dedupe of the partition's new rows, but with 32 bits a batch of 170,000 events
 * had a few every time.
 */
function eventIdHash(id: string): number {
  let a = 0x811c9dc5;
  let b = 0x050c5d1f;
  for (let i = 0; i < id.length; i++) {
    const c = id.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
  }
  return (a >>> 0) + (b & 0x1fffff) * 0x1_0000_0000 || 1;
}
