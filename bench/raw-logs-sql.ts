/**
 * The SQL a DuckDB user writes by hand over CloudTrail's raw `.json.gz` files: `read_json`
 * with the `Records` array typed from the lake's own column list (so both sides read the
 * same fields), `unnest(Records)`, and each column under the lake's lower-case name.
 * JSON-valued fields are read as JSON and cast to text, as the lake stores them.
 *
 * The partition columns are derived from each event (`awsRegion`, the UTC day of
 * `eventTime`, `recipientAccountId`), as the lake derives them: the folder an event is
 * delivered in can be the next day's, so path-derived partitions would count other rows.
 */
import { CLOUDTRAIL_COLUMNS, type Column, type ColumnType } from '../src/cloudtrail/athena-table.js';

const quoteIdent = (name: string) => `"${name.replaceAll('"', '""')}"`;
const quoteString = (text: string) => `'${text.replaceAll("'", "''")}'`;

/** The DuckDB type `read_json` reads a record field as (record keys, JSON kept as JSON). */
function rawType(type: ColumnType): string {
  switch (type.kind) {
    case 'string':
      return 'VARCHAR';
    case 'json':
      return 'JSON';
    case 'map':
      return 'MAP(VARCHAR, VARCHAR)';
    case 'struct':
      return `STRUCT(${type.fields.map((f) => `${quoteIdent(f.field)} ${rawType(f.type)}`).join(', ')})`;
    case 'array':
      return `${rawType(type.element)}[]`;
  }
}

/** `columns = {Records: 'STRUCT(...)[]'}` for `read_json`. */
export function recordsColumnsSpec(): string {
  const record = `STRUCT(${CLOUDTRAIL_COLUMNS.map((c) => `${quoteIdent(c.field)} ${rawType(c.type)}`).join(', ')})`;
  return `{Records: ${quoteString(`${record}[]`)}}`;
}

function lakeColumn(c: Column, record: string): string {
  const value = `${record}.${quoteIdent(c.field)}`;
  return `${c.type.kind === 'json' ? `CAST(${value} AS VARCHAR)` : value} AS ${c.name}`;
}

/** A DuckDB list literal of file paths. */
export function fileListSql(files: readonly string[]): string {
  return `[${files.map(quoteString).join(', ')}]`;
}

/** One row per record, with the lake's columns (no partitions): what the COPY baseline writes. */
export function rawRecordsSelect(files: readonly string[]): string {
  return `SELECT ${CLOUDTRAIL_COLUMNS.map((c) => lakeColumn(c, 'r')).join(', ')}
          FROM (SELECT unnest(Records) AS r FROM read_json(${fileListSql(files)}, columns = ${recordsColumnsSpec()}))`;
}

/**
 * `cloudtrail_logs` (and `"default".cloudtrail_logs`, as seed 003 names it) as a view over
 * the raw files, with the partition columns the lake has.
 */
export function rawLogsViews(files: readonly string[]): string[] {
  return [
    `CREATE OR REPLACE VIEW cloudtrail_logs AS
     SELECT *, awsregion AS region, substr(eventtime, 1, 4) AS year, substr(eventtime, 6, 2) AS month,
            substr(eventtime, 9, 2) AS day, recipientaccountid AS account
     FROM (${rawRecordsSelect(files)})`,
    `CREATE SCHEMA IF NOT EXISTS "default"`,
    `CREATE OR REPLACE VIEW "default".cloudtrail_logs AS SELECT * FROM main.cloudtrail_logs`,
  ];
}
