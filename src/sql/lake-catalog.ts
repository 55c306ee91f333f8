/**
 * The lake as tables: `cloudtrail_logs` (also `default.cloudtrail_logs`) is a view over the
 * committed snapshot's Parquet files, with Athena's columns, the partition columns, and
 * `"$path"` (the log file a row came from) and `raw` (the whole original record: stored, or
 * rebuilt from the columns when it held nothing more; see raw-record.ts).
 */
import { CLOUDTRAIL_COLUMNS, LOG_FILE_COLUMN, PARTITION_COLUMNS, RAW_COLUMN, lakeFileColumns } from '../cloudtrail/athena-table.js';
import { rawRecordSql } from '../cloudtrail/raw-record.js';
import { sqlStringList, type Engine } from '../engine/duckdb-engine.js';
import type { Lake } from '../lake/lake.js';
import type { LakeFile, Snapshot } from '../lake/snapshot.js';

export const TABLE_NAME = 'cloudtrail_logs';

/** What the view reads; `files` may be a pruned subset of the snapshot. */
export function cloudTrailLogsSelect(files: ReadonlyArray<Pick<LakeFile, 'partition'> & { absolutePath: string }>): string {
  const athena = CLOUDTRAIL_COLUMNS.map((c) => `"${c.name}"`).join(', ');
  const partitions = ['region', 'year', 'month', 'day', 'account'].map((p) => `"${p}"`).join(', ');
  if (files.length === 0) {
    const typed = [...lakeFileColumns(), ...PARTITION_COLUMNS.map((p) => [p, 'VARCHAR'] as const)]
      .map(([name, type]) => `CAST(NULL AS ${type}) AS "${name}"`)
      .join(', ');
    return `SELECT ${athena}, ${partitions}, "${LOG_FILE_COLUMN}" AS "$path", ${rawRecordSql(RAW_COLUMN)} AS raw FROM (SELECT ${typed}) WHERE false`;
  }
  return `SELECT ${athena}, ${partitions}, "${LOG_FILE_COLUMN}" AS "$path", ${rawRecordSql(RAW_COLUMN)} AS raw
          FROM read_parquet(${sqlStringList(files.map((f) => f.absolutePath))}, hive_partitioning = true, hive_types_autocast = false, union_by_name = true)`;
}

/** Creates `cloudtrail_logs` and `"default".cloudtrail_logs` over the lake's committed files. */
export async function attachLake(engine: Engine, lake: Lake, snapshot?: Snapshot): Promise<void> {
  const files = await lake.readableFiles(snapshot);
  await engine.run(`CREATE OR REPLACE VIEW main.${TABLE_NAME} AS ${cloudTrailLogsSelect(files)}`);
  await engine.run(`CREATE SCHEMA IF NOT EXISTS "default"`);
  await engine.run(`CREATE OR REPLACE VIEW "default".${TABLE_NAME} AS SELECT * FROM main.${TABLE_NAME}`);
}
