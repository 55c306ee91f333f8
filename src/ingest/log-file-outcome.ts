/**
 * What reading one log file produced: lake rows as JSON lines, or why there are none.
 * Runs inside the parser workers, so it must stay free of I/O and shared state.
 */
import { readFileSync } from 'node:fs';
import { parseLogFileKey, type LogFileKey } from '../cloudtrail/log-file-key.js';
import { LogFileError, readLogFile } from '../cloudtrail/log-file.js';
import { MAX_ROW_BYTES, toLakeRow, UNKNOWN_PARTITION } from '../cloudtrail/record.js';

export type LogFileOutcome =
  | {
      readonly kind: 'records';
      /** One lake row per line, ready for DuckDB's JSON reader. */
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
    const { row, unknownFields: unknown } = toLakeRow(record, job.uri, placement);
    const line = JSON.stringify(row);
    if (line.length > MAX_ROW_BYTES / 3 && Buffer.byteLength(line) > MAX_ROW_BYTES) {
      rejectedRecords++;
      rejectReasons.push(`record ${i} is larger than ${MAX_ROW_BYTES / 1024 / 1024} MiB`);
      continue;
    }
    lines.push(line);
    partitions.add(`account=${row.account}/region=${row.region}/year=${row.year}/month=${row.month}/day=${row.day}`);
    for (const f of unknown) unknownFields[f] = (unknownFields[f] ?? 0) + 1;
    if (row.eventtime == null || row.year === UNKNOWN_PARTITION) withoutEventTime++;
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
