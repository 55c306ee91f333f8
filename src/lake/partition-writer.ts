/**
 * Turns a transaction's new rows into the partitions' next Parquet files.
 *
 * Each touched partition is rewritten whole: its current rows (less those of log files
 * being replaced) and the new rows, one row per eventID, sorted by eventtime, so every
 * partition stays a few large sorted files however many tiny deliveries fed it, and
 * row-group min/max on eventtime lets queries skip what they do not need.
 *
 * DuckDB's partitioned COPY does not keep ORDER BY within a partition, so each partition
 * is its own COPY from one sorted temporary table (about 5 ms a partition).
 */
import { mkdir, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { PARTITION_COLUMNS, lakeFileColumns } from '../cloudtrail/athena-table.js';
import { MAX_ROW_BYTES } from '../cloudtrail/record.js';
import { sqlString, sqlStringList, type Engine } from '../engine/duckdb-engine.js';
import type { LakeChanges } from './lake.js';
import { partitionKey, type LakeFile, type PartitionValues, type Snapshot } from './snapshot.js';

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

function jsonColumnsSpec(): string {
  const cols = [...lakeFileColumns(), ...PARTITION_COLUMNS.map((p) => [p, 'VARCHAR'] as const)];
  return `{${cols.map(([name, type]) => `${sqlString(name)}: ${sqlString(type)}`).join(', ')}}`;
}

const PARTITION_LIST = PARTITION_COLUMNS.join(', ');

/**
 * What makes two rows the same event: the same eventID and the same content. CloudTrail's
 * re-deliveries are identical; hand-made samples that reuse an example ID are not merged.
 */
const EVENT_IDENTITY = `eventid, hash(raw)`;

export async function writePartitions(engine: Engine, input: PartitionWriteInput): Promise<PartitionWriteResult> {
  const { rowFiles, replacedLogFiles, base, lakeDir, staging } = input;
  await engine.run(`
    CREATE OR REPLACE TEMP TABLE incoming AS
    SELECT * FROM read_json(${sqlStringList(rowFiles)}, format = 'newline_delimited', columns = ${jsonColumnsSpec()},
                            maximum_object_size = ${MAX_ROW_BYTES * 2})`);

  const touched = new Set<string>();
  for (const r of (await engine.query(`SELECT DISTINCT ${PARTITION_LIST} FROM incoming`)).rows) {
    touched.add(partitionKey(r as unknown as PartitionValues));
  }
  for (const partitions of replacedLogFiles.values()) for (const p of partitions) touched.add(p);

  const existing = base.files.filter((f) => touched.has(partitionKey(f.partition)));
  await engine.run(`CREATE OR REPLACE TEMP TABLE replaced (uri VARCHAR)`);
  if (replacedLogFiles.size) {
    await engine.run(`INSERT INTO replaced VALUES ${[...replacedLogFiles.keys()].map((u) => `(${sqlString(u)})`).join(', ')}`);
  }
  const existingRows = existing.length
    ? `UNION ALL BY NAME
       SELECT *, 0 AS newer FROM read_parquet(${sqlStringList(existing.map((f) => join(lakeDir, f.path)))},
                                              hive_partitioning = true, hive_types_autocast = false)
       WHERE logfile NOT IN (SELECT uri FROM replaced)`
    : '';
  const incomingCount = Number((await engine.query(`SELECT count(*) AS n FROM incoming`)).rows[0]!.n);

  // Rows already in the lake win over new copies of the same event, so a re-delivered
  // event leaves the lake as it was.
  await engine.run(`
    CREATE OR REPLACE TABLE merged AS
    SELECT * FROM (
      SELECT *, 1 AS newer FROM incoming
      ${existingRows}
    )
    QUALIFY row_number() OVER (PARTITION BY ${PARTITION_LIST}, ${EVENT_IDENTITY} ORDER BY newer) = 1
    ORDER BY ${PARTITION_LIST}, eventtime`);
  await engine.run(`DROP TABLE incoming`);

  const stats = await engine.query(`
    SELECT ${PARTITION_LIST}, count(*) AS rows, count(*) FILTER (WHERE newer = 1) AS new_rows, min(eventtime) AS min_time, max(eventtime) AS max_time
    FROM merged GROUP BY ALL ORDER BY ALL`);
  // Each partition is its own COPY; two sessions keep both cores busy on small partitions.
  const sessions = [engine.connection, await engine.session()];
  const added: Array<Omit<LakeFile, 'path'> & { stagedPath: string }> = [];
  let next = 0;
  try {
    await Promise.all(
      sessions.map(async (session) => {
        for (let i = next++; i < stats.rows.length; i = next++) {
          const s = stats.rows[i]!;
          const partition = Object.fromEntries(PARTITION_COLUMNS.map((p) => [p, String(s[p])])) as PartitionValues;
          const where = PARTITION_COLUMNS.map((p) => `${p} = ${sqlString(partition[p])}`).join(' AND ');
          // Staged under the same account=/region=/… folders, so a reader that meets a commit
          // whose moves a crash interrupted still reads the partition values from the path.
          const stagedPath = join(staging, 'data', partitionKey(partition), `part-${i}.parquet`);
          await mkdir(dirname(stagedPath), { recursive: true });
          await session.run(`
          COPY (SELECT * EXCLUDE (${PARTITION_LIST}, newer) FROM merged WHERE ${where} ORDER BY eventtime)
          TO ${sqlString(stagedPath)} (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE ${ROW_GROUP_SIZE})`);
          added[i] = {
            stagedPath,
            partition,
            rows: Number(s.rows),
            bytes: (await stat(stagedPath)).size,
            minEventTime: (s.min_time as string | null) ?? null,
            maxEventTime: (s.max_time as string | null) ?? null,
          };
        }
      }),
    );
  } finally {
    sessions[1]!.closeSync();
  }
  const rows = added.reduce((n, f) => n + f.rows, 0);
  const newRows = stats.rows.reduce((n, s) => n + Number(s.new_rows), 0);
  await engine.run(`DROP TABLE merged`);
  return { added, replacedPartitions: touched, rows, duplicates: incomingCount - newRows };
}
