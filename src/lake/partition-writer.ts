/**
 * Turns a transaction's new rows into the partitions' next Parquet files.
 *
 * Each touched partition is rewritten whole by one COPY: its current rows (less those of
 * log files being replaced) and its staged new rows, one row per event, so every partition
 * stays one file however many tiny deliveries fed it. A partition larger than a row group
 * is sorted by eventtime, so row-group min/max lets queries skip what they do not need;
 * smaller ones keep delivery order (CloudTrail delivers in time order, five minutes at a time).
 *
 * Two sessions run COPYs at once: one partition's COPY is too small to keep both cores busy.
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { LOG_FILE_COLUMN, PARTITION_COLUMNS, lakeFileColumns } from '../cloudtrail/athena-table.js';
import { stagedLogFileLine, stagedLogFilesSql, stagedRowsSql } from '../cloudtrail/staged-row.js';
import { sqlString, sqlStringList, type Engine } from '../engine/duckdb-engine.js';
import type { LakeChanges } from './lake.js';
import { partitionKey, partitionValues, type LakeFile, type Snapshot } from './snapshot.js';

/** Rows of one Parquet row group: large enough to compress well, small enough to skip by eventtime. */
export const DEFAULT_ROW_GROUP_ROWS = 50_000;

/** A partition's new rows in a batch, as the parser threads staged them. */
export interface StagedPartition {
  /** Staged-row files (staged-row.ts) holding only this partition's rows. */
  readonly files: readonly string[];
  readonly rows: number;
  /** Characters of the longest line. */
  readonly longest: number;
  /** Whether two of the batch's rows may be one event (an eventID seen twice, or missing). */
  readonly mayRepeat: boolean;
}

export interface PartitionWriteInput {
  /** New rows by partition key, and the log files they name by number. */
  readonly staged: { readonly partitions: ReadonlyMap<string, StagedPartition>; readonly logFiles: readonly string[] };
  /** Log files read again because their ETag changed: their old rows go, wherever they were. */
  readonly replacedLogFiles: ReadonlyMap<string, readonly string[]>;
  readonly base: Snapshot;
  readonly lakeDir: string;
  readonly staging: string;
  /** Rows per row group; a partition with more is written sorted by eventtime. */
  readonly rowGroupRows?: number;
}

export interface PartitionWriteResult {
  readonly added: LakeChanges['added'];
  readonly replacedPartitions: ReadonlySet<string>;
  /** Rows in the new files. */
  readonly rows: number;
  /** New rows dropped because their eventID was already in the lake or in this batch. */
  readonly duplicates: number;
}

const PARTITION_LIST = PARTITION_COLUMNS.join(', ');

/**
 * What makes two rows the same event: the same eventID and the same content. CloudTrail's
 * re-deliveries are identical; hand-made samples that reuse an example ID are not merged.
 */
const EVENT_IDENTITY = `eventid, hash(${lakeFileColumns()
  .map(([name]) => name)
  .filter((name) => name !== LOG_FILE_COLUMN)
  .map((name) => `"${name}"`)
  .join(', ')})`;

export async function writePartitions(engine: Engine, input: PartitionWriteInput): Promise<PartitionWriteResult> {
  const { staged, replacedLogFiles, base, lakeDir, staging } = input;
  const rowGroupRows = input.rowGroupRows ?? DEFAULT_ROW_GROUP_ROWS;
  const logFilesFile = join(staging, 'logfiles.staged');
  await writeFile(logFilesFile, staged.logFiles.map((uri, id) => stagedLogFileLine(id, uri) + '\n').join(''));
  await engine.run(`CREATE OR REPLACE TABLE logfiles AS ${stagedLogFilesSql(logFilesFile)}`);
  await engine.run(`CREATE OR REPLACE TABLE replaced (uri VARCHAR)`);
  if (replacedLogFiles.size) {
    await engine.run(`INSERT INTO replaced VALUES ${[...replacedLogFiles.keys()].map((u) => `(${sqlString(u)})`).join(', ')}`);
  }

  const touched = new Set<string>(staged.partitions.keys());
  for (const partitions of replacedLogFiles.values()) for (const p of partitions) touched.add(p);
  const filesOf = new Map<string, { paths: string[]; rows: number }>();
  for (const f of base.files) {
    const key = partitionKey(f.partition);
    if (!touched.has(key)) continue;
    const old = filesOf.get(key) ?? { paths: [], rows: 0 };
    old.paths.push(join(lakeDir, f.path));
    old.rows += f.rows;
    filesOf.set(key, old);
  }

  const partitions = [...touched].sort();
  const sessions = [engine, await engine.session()];
  const added: Array<Omit<LakeFile, 'path'> & { stagedPath: string }> = [];
  let next = 0;
  let removedRows = 0;
  try {
    // allSettled: a failed COPY must not close the other session while it is still running.
    const settled = await Promise.allSettled(
      sessions.map(async (session) => {
        try {
          for (let i = next++; i < partitions.length; i = next++) {
            const key = partitions[i]!;
            const fresh = staged.partitions.get(key);
            const old = filesOf.get(key);
            const sources = [
              fresh
                ? `SELECT * EXCLUDE (${PARTITION_LIST}), 1 AS newer FROM (${stagedRowsSql(fresh.files, 'logfiles', fresh.longest)})`
                : '',
              old
                ? `SELECT *, 0 AS newer FROM read_parquet(${sqlStringList(old.paths)}, hive_partitioning = false)
                   WHERE logfile NOT IN (SELECT uri FROM replaced)`
                : '',
            ].filter(Boolean);
            // Rows already in the lake win over new copies of the same event, so a
            // re-delivered event leaves the lake as it was.
            const dedupe = (fresh?.mayRepeat ?? false) || (fresh !== undefined && old !== undefined);
            const total = (fresh?.rows ?? 0) + (old?.rows ?? 0);
            // Staged under the same account=/region=/… folders, so a reader that meets a commit
            // whose moves a crash interrupted still reads the partition values from the path.
            const stagedPath = join(staging, 'data', key, `part-${i}.parquet`);
            await mkdir(dirname(stagedPath), { recursive: true });
            const result = await session.query(`
              COPY (
                SELECT * EXCLUDE (newer) FROM (${sources.map((sql) => `(${sql})`).join(' UNION ALL BY NAME ')})
                ${dedupe ? `QUALIFY row_number() OVER (PARTITION BY ${EVENT_IDENTITY} ORDER BY newer) = 1` : ''}
                ${total > rowGroupRows ? 'ORDER BY eventtime' : ''}
              ) TO ${sqlString(stagedPath)} (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE ${rowGroupRows}, RETURN_STATS)`);
            const stats = result.rows[0]!;
            const rows = Number(stats.count);
            if (old && replacedLogFiles.size) {
              removedRows += Number(
                (
                  await session.query(
                    `SELECT count(*) AS n FROM read_parquet(${sqlStringList(old.paths)}) WHERE logfile IN (SELECT uri FROM replaced)`,
                  )
                ).rows[0]!.n,
              );
            }
            if (rows === 0) {
              await rm(stagedPath);
              continue;
            }
            const eventtime = (stats.column_statistics as Record<string, Record<string, string> | undefined>)['"eventtime"'];
            added.push({
              stagedPath,
              partition: partitionValues(key),
              rows,
              bytes: Number(stats.file_size_bytes),
              minEventTime: eventtime?.min ?? null,
              maxEventTime: eventtime?.max ?? null,
            });
          }
        } catch (e) {
          next = partitions.length; // the other session stops after its current partition
          throw e;
        }
      }),
    );
    for (const s of settled) if (s.status === 'rejected') throw s.reason;
  } finally {
    sessions[1]!.close();
  }
  await engine.run(`DROP TABLE logfiles`);
  await engine.run(`DROP TABLE replaced`);
  added.sort((a, b) => (a.stagedPath < b.stagedPath ? -1 : 1));
  const rows = added.reduce((n, f) => n + f.rows, 0);
  const newRows = [...staged.partitions.values()].reduce((n, p) => n + p.rows, 0);
  const existingRows = [...filesOf.values()].reduce((n, f) => n + f.rows, 0);
  return { added, replacedPartitions: touched, rows, duplicates: newRows - (rows - (existingRows - removedRows)) };
}
