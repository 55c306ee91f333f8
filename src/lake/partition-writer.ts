/**
 * Turns a transaction's new rows into the partitions' next Parquet files.
 *
 * Each touched partition is rewritten whole: its current rows (less those of log files
 * being replaced) and the new rows, one row per eventID, sorted by eventtime, so every
 * partition stays a few large sorted files however many tiny deliveries fed it, and
 * row-group min/max on eventtime lets queries skip what they do not need.
 *
 * DuckDB's partitioned COPY does not keep ORDER BY within a partition, so each partition
 * is its own COPY (a few ms each), which also keeps dedup and sorting to one partition's rows.
 */
import { mkdir, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { LOG_FILE_COLUMN, PARTITION_COLUMNS, emptyLakeRowsSql, lakeFileColumns, lakeRowColumns } from '../cloudtrail/athena-table.js';
import { MAX_ROW_BYTES } from '../cloudtrail/record.js';
import { sqlString, sqlStringList, type Engine } from '../engine/duckdb-engine.js';
import type { LakeChanges } from './lake.js';
import { partitionKey, partitionValues, type LakeFile, type PartitionValues, type Snapshot } from './snapshot.js';

/** Rows of one Parquet row group: large enough to compress well, small enough to skip by eventtime. */
const ROW_GROUP_SIZE = 50_000;

export interface PartitionWriteInput {
  /** JSON-lines files of lake rows (see `toLakeRow`), written by ingest into the transaction's staging folder. */
  readonly rowFiles: readonly string[];
  /** Log files read again because their ETag changed: their old rows go, wherever they were. */
  readonly replacedLogFiles: ReadonlyMap<string, readonly string[]>;
  readonly base: Snapshot;
  readonly lakeDir: string;
  readonly staging: string;
}

export interface PartitionWriteResult {
  readonly added: LakeChanges['added'];
  readonly replacedPartitions: ReadonlySet<string>;
  /** Rows in the new files. */
  readonly rows: number;
  /** New rows dropped because their eventID was already in the lake or in this batch. */
  readonly duplicates: number;
}

function jsonColumnsSpec(cols: ReadonlyArray<readonly [string, string]>): string {
  return `{${cols.map(([name, type]) => `${sqlString(name)}: ${sqlString(type)}`).join(', ')}}`;
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
  const { rowFiles, replacedLogFiles, base, lakeDir, staging } = input;
  await engine.run(
    rowFiles.length
      ? `CREATE OR REPLACE TABLE incoming AS
         SELECT * FROM read_json(${sqlStringList(rowFiles)}, format = 'newline_delimited', columns = ${jsonColumnsSpec(lakeRowColumns())},
                                 maximum_object_size = ${MAX_ROW_BYTES * 2})`
      : `CREATE OR REPLACE TABLE incoming AS ${emptyLakeRowsSql()}`,
  );

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

  // One COPY per partition, straight from `incoming` (which arrives clustered by partition,
  // so zone maps skip the rest); two sessions keep both cores busy on small partitions.
  const partitions = [...touched].sort();
  const sessions = [engine, await engine.session()];
  const added: Array<Omit<LakeFile, 'path'> & { stagedPath: string }> = [];
  let next = 0;
  try {
    // allSettled: a failed COPY must not close the other session while it is still running.
    const settled = await Promise.allSettled(
      sessions.map(async (session) => {
        try {
          for (let i = next++; i < partitions.length; i = next++) {
            const partition = partitionValues(partitions[i]!);
            const where = PARTITION_COLUMNS.map((p) => `${p} = ${sqlString(partition[p])}`).join(' AND ');
            const old = filesOf.get(partitions[i]!);
            // Staged under the same account=/region=/… folders, so a reader that meets a commit
            // whose moves a crash interrupted still reads the partition values from the path.
            const stagedPath = join(staging, 'data', partitions[i]!, `part-${i}.parquet`);
            await mkdir(dirname(stagedPath), { recursive: true });
            // Rows already in the lake win over new copies of the same event, so a
            // re-delivered event leaves the lake as it was.
            const result = await session.query(`
            COPY (
              SELECT * EXCLUDE (${PARTITION_LIST}, newer) FROM (
                SELECT *, 1 AS newer FROM incoming WHERE ${where}
                ${
                  old
                    ? `UNION ALL BY NAME
                       SELECT *, 0 AS newer FROM read_parquet(${sqlStringList(old)}, hive_partitioning = true, hive_types_autocast = false)
                       WHERE logfile NOT IN (SELECT uri FROM replaced)`
                    : ''
                }
              )
              QUALIFY row_number() OVER (PARTITION BY ${EVENT_IDENTITY} ORDER BY newer) = 1
              ORDER BY eventtime
            ) TO ${sqlString(stagedPath)} (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE ${ROW_GROUP_SIZE}, RETURN_STATS)`);
            const stats = result.rows[0]!;
            const rows = Number(stats.count);
            if (rows === 0) {
              await rm(stagedPath);
              continue;
            }
            const eventtime = (stats.column_statistics as Record<string, Record<string, string> | undefined>)['"eventtime"'];
            added.push({
              stagedPath,
              partition,
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
  await engine.run(`DROP TABLE incoming`);
  await engine.run(`DROP TABLE replaced`);
  added.sort((a, b) => (a.stagedPath < b.stagedPath ? -1 : 1));
  const rows = added.reduce((n, f) => n + f.rows, 0);
  return { added, replacedPartitions: touched, rows, duplicates: incomingRows - (rows - (existingRows - removedRows)) };
}
