/**
 * Turns a transaction's new rows into the partitions' next Parquet files.
 *
 * Each touched partition is rewritten whole: its current rows (less those of log files
 * being replaced) and the new rows, one row per event, so every partition stays one file
 * however many tiny deliveries fed it. A partition larger than a row group is sorted by
 * eventtime, so row-group min/max lets queries skip what they do not need; smaller ones
 * keep delivery order (CloudTrail delivers in time order, five minutes at a time).
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { LOG_FILE_COLUMN, PARTITION_COLUMNS, emptyLakeRowsSql, lakeFileColumns } from '../cloudtrail/athena-table.js';
import { MAX_ROW_BYTES } from '../cloudtrail/record.js';
import { stagedLogFileLine, stagedRowsSql } from '../cloudtrail/staged-row.js';
import { sqlString, sqlStringList, type Engine } from '../engine/duckdb-engine.js';
import type { LakeChanges } from './lake.js';
import { partitionKey, partitionValues, type LakeFile, type PartitionValues, type Snapshot } from './snapshot.js';

/** Rows of one Parquet row group: large enough to compress well, small enough to skip by eventtime. */
export const DEFAULT_ROW_GROUP_ROWS = 50_000;

/**
 * Partitions one COPY writes at once. DuckDB keeps a writer with buffers for every column
 * open per partition (~3 MB each); more partitions per COPY save per-statement overhead.
 */
const PARTITIONS_PER_COPY = 64;

export interface PartitionWriteInput {
  /** Staged lake rows (staged-row.ts) written by ingest into the transaction's staging folder, and the log files they name by number. */
  readonly rows?: { readonly rowFiles: readonly string[]; readonly logFiles: readonly string[] };
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
  const { rows: staged, replacedLogFiles, base, lakeDir, staging } = input;
  const rowGroupRows = input.rowGroupRows ?? DEFAULT_ROW_GROUP_ROWS;
  let incomingSql = emptyLakeRowsSql();
  if (staged) {
    const logFilesFile = join(staging, 'logfiles.staged');
    await writeFile(logFilesFile, staged.logFiles.map((uri, id) => stagedLogFileLine(id, uri) + '\n').join(''));
    incomingSql = stagedRowsSql(staged.rowFiles, logFilesFile, MAX_ROW_BYTES + 1024);
  }
  await engine.run(`CREATE OR REPLACE TABLE incoming AS ${incomingSql}`);

  const touched = new Set<string>();
  for (const r of (await engine.query(`SELECT DISTINCT ${PARTITION_LIST} FROM incoming`)).rows) {
    touched.add(partitionKey(r as unknown as PartitionValues));
  }
  for (const partitions of replacedLogFiles.values()) for (const p of partitions) touched.add(p);

  await engine.run(`CREATE OR REPLACE TABLE replaced (uri VARCHAR)`);
  if (replacedLogFiles.size) {
    await engine.run(`INSERT INTO replaced VALUES ${[...replacedLogFiles.keys()].map((u) => `(${sqlString(u)})`).join(', ')}`);
  }
  const filesOf = new Map<string, string[]>();
  let existingRows = 0;
  for (const f of base.files) {
    const key = partitionKey(f.partition);
    if (!touched.has(key)) continue;
    filesOf.set(key, [...(filesOf.get(key) ?? []), join(lakeDir, f.path)]);
    existingRows += f.rows;
  }
  const removedRows =
    replacedLogFiles.size && filesOf.size
      ? Number(
          (
            await engine.query(
              `SELECT count(*) AS n FROM read_parquet(${sqlStringList([...filesOf.values()].flat())}) WHERE logfile IN (SELECT uri FROM replaced)`,
            )
          ).rows[0]!.n,
        )
      : 0;
  const incomingRows = Number((await engine.query(`SELECT count(*) AS n FROM incoming`)).rows[0]!.n);

  const newRows = new Map<string, number>();
  for (const r of (await engine.query(`SELECT ${PARTITION_LIST}, count(*) AS n FROM incoming GROUP BY ALL`)).rows) {
    newRows.set(partitionKey(r as unknown as PartitionValues), Number(r.n));
  }
  const oldFiles = [...filesOf.values()].flat();
  // Most batches hold no event twice and nothing the lake has: then nothing needs the
  // (costly, all-rows) window that picks one row per event.
  const dedupe =
    Number(
      (
        await engine.query(
          `SELECT count(*) - count(DISTINCT eventid) AS n FROM (
             SELECT coalesce(eventid, '') AS eventid FROM incoming
             ${oldFiles.length ? `UNION ALL SELECT coalesce(eventid, '') FROM read_parquet(${sqlStringList(oldFiles)})` : ''})`,
        )
      ).rows[0]!.n,
    ) > 0;

  const oldRows = new Map<string, number>();
  for (const f of base.files) oldRows.set(partitionKey(f.partition), (oldRows.get(partitionKey(f.partition)) ?? 0) + f.rows);
  const rowsOf = (key: string) => (newRows.get(key) ?? 0) + (oldRows.get(key) ?? 0);
  const partitions = [...touched].sort();
  // A partition of more than one row group is written alone, sorted by eventtime, so queries
  // skip row groups by their eventtime range. Smaller ones are one row group whatever the
  // order, and go together in one partitioned COPY: a COPY per partition costs ~10 ms each.
  const sorted = partitions.filter((key) => rowsOf(key) > rowGroupRows);
  const together = partitions.filter((key) => rowsOf(key) <= rowGroupRows);

  const partitionIs = (key: string) => {
    const partition = partitionValues(key);
    return `(${PARTITION_COLUMNS.map((p) => `${p} = ${sqlString(partition[p])}`).join(' AND ')})`;
  };
  const rowsSql = (keys: readonly string[], where: string) => {
    const old = keys.flatMap((key) => filesOf.get(key) ?? []);
    return `SELECT * FROM (
        SELECT *, 1 AS newer FROM incoming WHERE ${where}
        ${
          old.length
            ? `UNION ALL BY NAME
               SELECT *, 0 AS newer FROM read_parquet(${sqlStringList(old)}, hive_partitioning = true, hive_types_autocast = false)
               WHERE logfile NOT IN (SELECT uri FROM replaced)`
            : ''
        }
      )
      -- Rows already in the lake win over new copies of the same event, so a re-delivered event leaves the lake as it was.
      ${dedupe ? `QUALIFY row_number() OVER (PARTITION BY ${PARTITION_LIST}, ${EVENT_IDENTITY} ORDER BY newer) = 1` : ''}`;
  };
  const fileOf = (stagedPath: string, partition: PartitionValues, stats: Record<string, unknown>) => {
    const eventtime = (stats.column_statistics as Record<string, Record<string, string> | undefined>)['"eventtime"'];
    return {
      stagedPath,
      partition,
      rows: Number(stats.count),
      bytes: Number(stats.file_size_bytes),
      minEventTime: eventtime?.min ?? null,
      maxEventTime: eventtime?.max ?? null,
    };
  };

  const added: Array<Omit<LakeFile, 'path'> & { stagedPath: string }> = [];
  const dataDir = join(staging, 'data');
  for (let chunk = 0; chunk * PARTITIONS_PER_COPY < together.length; chunk++) {
    const keys = together.slice(chunk * PARTITIONS_PER_COPY, (chunk + 1) * PARTITIONS_PER_COPY);
    const where = keys.length === newRows.size && sorted.length === 0 ? 'true' : keys.map(partitionIs).join(' OR ');
    const result = await engine.query(`
      COPY (SELECT * EXCLUDE (newer) FROM (${rowsSql(keys, where)}))
      TO ${sqlString(dataDir)} (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE ${rowGroupRows},
        PARTITION_BY (${PARTITION_LIST}), FILENAME_PATTERN 'rows-${chunk}-{i}', OVERWRITE_OR_IGNORE, RETURN_STATS)`);
    for (const stats of result.rows) {
      const stagedPath = String(stats.filename);
      const key = relative(dataDir, dirname(stagedPath)).split(sep).join('/');
      added.push(fileOf(stagedPath, partitionValues(key), stats));
    }
  }
  for (const [i, key] of sorted.entries()) {
    // Staged under the same account=/region=/… folders, so a reader that meets a commit
    // whose moves a crash interrupted still reads the partition values from the path.
    const stagedPath = join(dataDir, key, `sorted-${i}.parquet`);
    await mkdir(dirname(stagedPath), { recursive: true });
    const result = await engine.query(`
      COPY (SELECT * EXCLUDE (${PARTITION_LIST}, newer) FROM (${rowsSql([key], partitionIs(key))}) ORDER BY eventtime)
      TO ${sqlString(stagedPath)} (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE ${rowGroupRows}, RETURN_STATS)`);
    const stats = result.rows[0]!;
    if (Number(stats.count) === 0) await rm(stagedPath);
    else added.push(fileOf(stagedPath, partitionValues(key), stats));
  }
  await engine.run(`DROP TABLE incoming`);
  await engine.run(`DROP TABLE replaced`);
  added.sort((a, b) => (a.stagedPath < b.stagedPath ? -1 : 1));
  const rows = added.reduce((n, f) => n + f.rows, 0);
  return { added, replacedPartitions: touched, rows, duplicates: incomingRows - (rows - (existingRows - removedRows)) };
}
