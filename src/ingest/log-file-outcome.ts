/**
 * What reading one log file produced: lake rows as staged lines (see staged-row.ts), or why there are none.
 * Runs inside the parser workers, so it must stay free of I/O and shared state.
 */
import { readFileSync } from 'node:fs';
import { parseLogFileKey, type LogFileKey } from '../cloudtrail/log-file-key.js';
import { LogFileError, readLogFile } from '../cloudtrail/log-file.js';
import { MAX_ROW_BYTES, partitionOf, toLakeRow, UNKNOWN_PARTITION, type Partition } from '../cloudtrail/record.js';
import { stagedLakeRowLine, stagedRecordLine } from '../cloudtrail/staged-row.js';

export type LogFileOutcome =
  | {
      readonly kind: 'records';
      /** One staged lake row per line (staged-row.ts), every line ending in a newline. */
      readonly rows: string;
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
  | { readonly kind: 'rejected'; readonly reason: string };

export interface LogFileJob {
  readonly uri: string;
  readonly key: LogFileKey;
  /** The file's number in the ingest batch: staged rows name their log file by it. */
  readonly logFileId: number;
  /** The content, or where to read it on this machine. */
  readonly bytes?: Uint8Array;
  readonly path?: string;
}

export function readLogFileOutcome(job: LogFileJob): LogFileOutcome {
  let bytes: Uint8Array;
  try {
    bytes = job.bytes ?? readFileSync(job.path!);
  } catch (e) {
    return { kind: 'rejected', reason: `could not be read: ${(e as Error).message}` };
  }
  let content;
  try {
    content = readLogFile(bytes);
  } catch (e) {
    if (e instanceof LogFileError) return { kind: 'rejected', reason: e.reason };
    return { kind: 'rejected', reason: `could not be read: ${(e as Error).message}` };
  }
  if (content.kind === 'not-cloudtrail') return content;

  const key = parseLogFileKey(job.key);
  const placement = { account: key.account, region: key.region, date: key.date };
  const lines: string[] = [];
  const partitions = new Set<string>();
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
    let line = stagedRecordLine(record, job.logFileId, partition);
    let eventTime: unknown = record.eventTime;
    if (line === undefined) {
      // Not a record as CloudTrail writes it (lower-case keys, extra fields...): the row decides.
      const { row, unknownFields: unknown } = toLakeRow(record, job.uri, placement);
      line = stagedLakeRowLine(row, job.logFileId);
      partition = row;
      eventTime = row.eventtime;
      for (const f of unknown) unknownFields[f] = (unknownFields[f] ?? 0) + 1;
    }
    if (line.length > MAX_ROW_BYTES / 3 && Buffer.byteLength(line) > MAX_ROW_BYTES) {
      rejectedRecords++;
      rejectReasons.push(`record ${i} is larger than ${MAX_ROW_BYTES / 1024 / 1024} MiB`);
      continue;
    }
    lines.push(line);
    partitions.add(
      `account=${partition.account}/region=${partition.region}/year=${partition.year}/month=${partition.month}/day=${partition.day}`,
    );
    if (eventTime == null || partition.year === UNKNOWN_PARTITION) withoutEventTime++;
  }
  return {
    kind: 'records',
    rows: lines.length ? lines.join('\n') + '\n' : '',
    records: lines.length,
    rejectedRecords,
    rejectReasons: rejectReasons.slice(0, 5),
    partitions: [...partitions],
    unknownFields,
    withoutEventTime,
    uncompressedBytes: content.textLength,
  };
}
