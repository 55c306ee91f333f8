/**
 * Turns a transaction's new rows into the partitions' next Parquet files.
 *
 * Each touched partition is rewritten by one COPY into one file: its current rows as they
 * were written (less those of log files being replaced), then its staged new rows, less
 * copies of events already there, so a partition stays one file however many tiny
 * deliveries fed it. New rows of a partition larger than a row group are sorted by
 * eventtime, so row-group min/max lets queries skip what they do not need; smaller ones keep
 * delivery order (CloudTrail delivers in time order, five minutes at a time). Memory follows
 * a batch's new rows, not the partition: old rows stream through and are matched by key.
 *
 * Two sessions run COPYs at once: one partition's COPY is too small to keep both cores busy.
 */
import { mkdir, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { LOG_FILE_COLUMN, PARTITION_COLUMNS, lakeFileColumns } from '../cloudtrail/athena-table.js';
import { stagedRowsSql } from '../cloudtrail/staged-row.js';
import { sqlString, sqlStringList, type Engine } from '../engine/duckdb-engine.js';
import type { LakeChanges } from './lake.js';
import { partitionKey, partitionValues, type LakeFile, type Snapshot } from './snapshot.js';

/**
 * Rows of one Parquet row group: large enough to compress well, small enough to skip by
 * eventtime. DuckDB's writer holds a whole row group, and its compression buffers, before
 * writing it: with 50,000 rows the L benchmark's ingest peaked 35–100 MB higher, and ran 8% slower.
 */
export const DEFAULT_ROW_GROUP_ROWS = 25_000;

/**
 * Files of fewer rows than this are compressed with Snappy, larger ones with zstd. DuckDB
 * decompresses each zstd page with a fresh context, whose set-up probes the CPU: two CPUID
 * instructions, each a trap to the hypervisor on a VM (4 µs apiece on this project's).
 * In a file of a few hundred rows a column's page is a few hundred bytes, so that set-up is
 * most of the cost of reading it, and the partitions most accounts and regions of an
 * organization trail fill in a day are that small. Measured warm on a month of 930,000
 * events (361 files, 249 of them under this size): the ELB `SELECT *` 808 -> 696 ms, top
 * errors 71 -> 65 ms, the lake 7% larger; on 40 accounts of small partitions only, 429 -> 262
 * and 72 -> 62 ms, 21% larger. Ingest is a few percent faster too.
 */
export const SNAPPY_BELOW_ROWS = 2_000;

/** A partition's new rows in a batch, as the parser threads staged them. */
export interface StagedPartition {
  /** Staged-row files (staged-row.ts) holding only this partition's rows. */
  readonly files: readonly string[];
  readonly rows: number;
  /** Characters of the longest line. */
  readonly longest: number;
  /** Characters of all its lines. */
  readonly chars: number;
  /** Whether two of the batch's rows may be one event (an eventID seen twice, or missing). */
  readonly mayRepeat: boolean;
}

export interface PartitionWriteInput {
  /** New rows by partition key, and the log files they name by number. */
  readonly staged: { readonly partitions: ReadonlyMap<string, StagedPartition> };
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

/** The lake's columns but `logfile`: two rows with the same eventID and these are one event delivered twice. */
const CONTENT_HASH = `hash(${lakeFileColumns()
  .map(([name]) => name)
  .filter((name) => name !== LOG_FILE_COLUMN)
  .map((name) => `"${name}"`)
  .join(', ')})`;

/**
 * A batch's staged rows of one partition bigger than this (characters of staged text) are
 * written in delivery order instead of sorted: DuckDB's sort holds all of them in memory.
 * CloudTrail delivers in time order, minutes apart, so their row groups still cover narrow
 * eventtime ranges.
 */
const SORTED_STAGED_CHARS = 64 * 1024 * 1024;

/**
 * Optimizer rules the merge's memory bound depends on, turned off in the merging engine.
 * `common_subplan` would read a partition's old rows once into memory (they appear twice: as
 * rows to copy and as keys to match), where the merge streams them twice. `build_side_probe_side`
 * picks a join's hash-table side by row count, not width: it would hash a batch's new rows, every
 * column, to probe them with the old rows' keys, when it is the keys that belong in the table.
 */
export const MERGE_DISABLED_OPTIMIZERS = ['common_subplan', 'build_side_probe_side'] as const;

/**
 * A partition's new rows, less copies of events it already holds or that this batch holds
 * twice. What makes two rows one event: the same eventID and the same content (CloudTrail's
 * re-deliveries are identical; hand-made samples that reuse an example ID are not merged).
 * Rows already in the lake are compared by key alone, so the merge holds the keys of a
 * partition in memory, never its rows; the rows already there stay as they were written.
 */
function freshRowsSql(fresh: StagedPartition, oldRows: string | undefined, sortable: boolean): string {
  const order = sortable && fresh.chars <= SORTED_STAGED_CHARS ? 'ORDER BY eventtime' : '';
  const staged = stagedRowsSql(fresh.files, fresh.longest);
  // Most partitions of a first ingest need neither: hashing every column of every row is not free.
  if (!oldRows && !fresh.mayRepeat) return `SELECT * EXCLUDE (${PARTITION_LIST}) FROM (${staged}) ${order}`;
  const keyed = `SELECT * EXCLUDE (${PARTITION_LIST}), eventid AS key_id, ${CONTENT_HASH} AS key_hash FROM (${staged})`;
  const notInLake = oldRows
    ? `ANTI JOIN (SELECT eventid AS key_id, ${CONTENT_HASH} AS key_hash FROM (${oldRows})) AS lake
         ON fresh.key_id IS NOT DISTINCT FROM lake.key_id AND fresh.key_hash = lake.key_hash`
    : '';
  return `SELECT fresh.* EXCLUDE (key_id, key_hash) FROM (${keyed}) AS fresh ${notInLake}
    ${fresh.mayRepeat ? 'QUALIFY row_number() OVER (PARTITION BY fresh.key_id, fresh.key_hash) = 1' : ''}
    ${order ? 'ORDER BY fresh.eventtime' : ''}`;
}

/** A partition's files in the lake now, and their rows. */
export interface CurrentFiles {
  readonly paths: readonly string[];
  readonly rows: number;
}

/**
 * The rows of a partition's next file: its current rows (`old`, less those of replaced
 * log files) then its fresh ones. Runs where the table `replaced` (URIs of log files read
 * again) exists, in an engine with `MERGE_DISABLED_OPTIMIZERS` turned off.
 */
export function partitionRowsSql(fresh: StagedPartition | undefined, old: CurrentFiles | undefined, rowGroupRows: number): string {
  const oldRows = old
    ? `SELECT * FROM read_parquet(${sqlStringList(old.paths)}, hive_partitioning = false) WHERE logfile NOT IN (SELECT uri FROM replaced)`
    : undefined;
  const total = (fresh?.rows ?? 0) + (old?.rows ?? 0);
  const freshRows = fresh ? freshRowsSql(fresh, oldRows, total > rowGroupRows) : undefined;
  return [oldRows, freshRows]
    .filter((sql) => sql !== undefined)
    .map((sql) => `(${sql})`)
    .join(' UNION ALL BY NAME ');
}

export async function writePartitions(engine: Engine, input: PartitionWriteInput): Promise<PartitionWriteResult> {
  const { staged, replacedLogFiles, base, lakeDir, staging } = input;
  const rowGroupRows = input.rowGroupRows ?? DEFAULT_ROW_GROUP_ROWS;
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
  // A partition of more than one row group takes a good part of the memory limit to write:
  // two at once, one per session, would need twice that, so they take turns.
  let largeTurn: Promise<unknown> = Promise.resolve();
  const inTurn = <T>(large: boolean, work: () => Promise<T>): Promise<T> => {
    if (!large) return work();
    const run = largeTurn.then(work);
    largeTurn = run.catch(() => {});
    return run;
  };
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
            const total = (fresh?.rows ?? 0) + (old?.rows ?? 0);
            // Staged under the same account=/region=/… folders, so a reader that meets a commit
            // whose moves a crash interrupted still reads the partition values from the path.
            const stagedPath = join(staging, 'data', key, `part-${i}.parquet`);
            await mkdir(dirname(stagedPath), { recursive: true });
            const copy = `COPY (${partitionRowsSql(fresh, old, rowGroupRows)})
              TO ${sqlString(stagedPath)} (FORMAT parquet, COMPRESSION ${total < SNAPPY_BELOW_ROWS ? 'snappy' : 'zstd'}, ROW_GROUP_SIZE ${rowGroupRows}, RETURN_STATS)`;
            const result = await inTurn(total > rowGroupRows, () => session.query(copy)).catch((e: Error) => {
              // DuckDB's hints name its own settings; the user has an ingest flag.
              if (!e.message.startsWith('Out of Memory Error')) throw e;
              throw new Error(
                `partition ${key} (${total.toLocaleString('en-US')} rows) does not fit in the memory limit of the merge: ` +
                  `re-run with a larger --memory-limit (e.g. 2GB); nothing of this batch was committed (${e.message.split('\n')[0]})`,
              );
            });
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
  await engine.run(`DROP TABLE replaced`);
  added.sort((a, b) => (a.stagedPath < b.stagedPath ? -1 : 1));
  const rows = added.reduce((n, f) => n + f.rows, 0);
  const newRows = [...staged.partitions.values()].reduce((n, p) => n + p.rows, 0);
  const existingRows = [...filesOf.values()].reduce((n, f) => n + f.rows, 0);
  return { added, replacedPartitions: touched, rows, duplicates: newRows - (rows - (existingRows - removedRows)) };
}
