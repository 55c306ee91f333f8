/**
 * What a query read: Athena's "Data scanned", in the lake's terms. Counted from the files
 * pruning kept (the snapshot knows their partitions, bytes and rows), so it costs nothing;
 * with `stats: true` the Parquet footers of those files are read as well, to count the row
 * groups the eventtime range lets the reader skip.
 */
import { sqlStringList } from '../engine/duckdb-engine.js';
import type { LakeFile } from '../lake/snapshot.js';
import { partitionKey } from '../lake/snapshot.js';
import type { EventTimeRange } from './lake-scan.js';

export interface Counted {
  readonly read: number;
  readonly total: number;
}

/** One table reference of the query and what it read. */
export interface TableScan {
  readonly table: string;
  readonly partitions: number;
  readonly files: number;
  readonly bytes: number;
  readonly rows: number;
  /** Columns whose predicates pruned files or row groups. */
  readonly prunedBy: readonly string[];
  readonly range: EventTimeRange;
}

export interface ScanStats {
  readonly partitions: Counted;
  readonly files: Counted;
  readonly bytes: Counted;
  /** Rows in the files read (or, with row-group counts, in the row groups read). */
  readonly rows: Counted;
  readonly rowGroups?: Counted;
  readonly scans: readonly TableScan[];
}

export type ScannedFile = LakeFile & { readonly absolutePath: string };

export const NO_SCAN: ScanStats = {
  partitions: { read: 0, total: 0 },
  files: { read: 0, total: 0 },
  bytes: { read: 0, total: 0 },
  rows: { read: 0, total: 0 },
  scans: [],
};

const sum = (files: readonly LakeFile[], f: (x: LakeFile) => number) => files.reduce((n, x) => n + f(x), 0);
const partitions = (files: readonly LakeFile[]) => new Set(files.map((f) => partitionKey(f.partition))).size;

export function scanStats(
  lake: readonly ScannedFile[],
  scans: ReadonlyArray<{ table: string; files: readonly ScannedFile[]; prunedBy: readonly string[]; range: EventTimeRange }>,
): ScanStats {
  const read = [...new Map(scans.flatMap((s) => s.files).map((f) => [f.path, f])).values()];
  return {
    partitions: { read: partitions(read), total: partitions(lake) },
    files: { read: read.length, total: lake.length },
    bytes: { read: sum(read, (f) => f.bytes), total: sum(lake, (f) => f.bytes) },
    rows: { read: sum(read, (f) => f.rows), total: sum(lake, (f) => f.rows) },
    scans: scans.map((s) => ({
      table: s.table,
      partitions: partitions(s.files),
      files: s.files.length,
      bytes: sum(s.files, (f) => f.bytes),
      rows: sum(s.files, (f) => f.rows),
      prunedBy: s.prunedBy,
      range: s.range,
    })),
  };
}

/** SQL listing the eventtime min/max of every row group of the files (for `withRowGroups`). */
export function rowGroupSql(files: readonly ScannedFile[]): string {
  return `SELECT file_name, row_group_id, row_group_num_rows AS rows, stats_min_value AS min, stats_max_value AS max
          FROM parquet_metadata(${sqlStringList(files.map((f) => f.absolutePath))}) WHERE path_in_schema = 'eventtime'`;
}

export interface RowGroup {
  readonly file: string;
  readonly rows: number;
  readonly min: string | null;
  readonly max: string | null;
}

/** Adds row-group counts: a group is read when its eventtime min/max meet the range of a scan of its file. */
export function withRowGroups(
  stats: ScanStats,
  scans: ReadonlyArray<{ files: readonly ScannedFile[]; range: EventTimeRange }>,
  groups: readonly RowGroup[],
): ScanStats {
  const ranges = new Map<string, EventTimeRange[]>();
  for (const s of scans) for (const f of s.files) ranges.set(f.absolutePath, [...(ranges.get(f.absolutePath) ?? []), s.range]);
  let read = 0;
  let rows = 0;
  for (const g of groups) {
    if (!(ranges.get(g.file) ?? []).some((r) => meets(g, r))) continue;
    read++;
    rows += g.rows;
  }
  return { ...stats, rows: { ...stats.rows, read: rows }, rowGroups: { read, total: groups.length } };
}

function meets(g: RowGroup, r: EventTimeRange): boolean {
  if (g.min === null || g.max === null) return true;
  if (r.lower && (r.lower.inclusive ? g.max < r.lower.value : g.max <= r.lower.value)) return false;
  if (r.upper && (r.upper.inclusive ? g.min > r.upper.value : g.min >= r.upper.value)) return false;
  return true;
}
