/**
 * How a table of the catalog reads the lake: a `SELECT` over `read_parquet` of exactly the
 * files pruning kept, shaped as the table's columns. Each reference to a lake table in a
 * query becomes its own such subquery, so two references with different predicates read
 * different files.
 *
 * `"$path"` is the log file a row came from (Athena's pseudo-column) and `raw` the whole
 * original record (stored, or rebuilt from the columns: see `raw-record.ts`); `SELECT *`
 * leaves both out (see `table-references.ts`).
 */
import { randomUUID } from 'node:crypto';
import { CLOUDTRAIL_COLUMNS, LOG_FILE_COLUMN, RAW_COLUMN, emptyLakeRowsSql, lakeFileColumns } from '../cloudtrail/athena-table.js';
import { rawRecordSql } from '../cloudtrail/raw-record.js';
import { sqlString, type Engine } from '../engine/duckdb-engine.js';
import { apiColumnSql, flatColumns } from './relationalize.js';
import {
  cloneNode,
  columnRef,
  comparison,
  conjunction,
  functionName,
  isNode,
  nodesOf,
  parseStatement,
  varcharConstant,
  type AstNode,
  type ParsedStatement,
} from './sql-ast.js';
import type { LakeTable, TableShape } from './table-catalog.js';

export const PATH_COLUMN = '$path';
/** Columns every table has but `SELECT *` does not show. */
export const HIDDEN_COLUMNS = [PATH_COLUMN, RAW_COLUMN] as const;
/** The partition columns, in Athena's order (`account` is the lake's own). */
export const PARTITION_COLUMN_ORDER = ['region', 'year', 'month', 'day', 'account'] as const;

export interface ScanFile {
  readonly absolutePath: string;
}

/** A range of `eventtime` strings implied by the query, handed to the Parquet reader for row-group skipping. */
export interface EventTimeRange {
  readonly lower?: { readonly value: string; readonly inclusive: boolean };
  readonly upper?: { readonly value: string; readonly inclusive: boolean };
}

const ident = (name: string) => `"${name.replaceAll('"', '""')}"`;

/**
 * The table's columns in order, as SQL select items over a lake row. `raw` is rebuilt from
 * every column when the row did not store it, a large expression that costs binding time
 * on every file; queries that never name `raw` are given a scan without it.
 */
export function projection(shape: TableShape, withRaw = true): string[] {
  const base =
    shape.kind === 'logs'
      ? CLOUDTRAIL_COLUMNS.map((c) => ident(c.name))
      : flatColumns().map((c) => (c.sql === ident(c.name) ? c.sql : `${c.sql} AS ${ident(c.name)}`));
  const api = shape.kind === 'api' ? shape.columns.map((c) => `${apiColumnSql(c)} AS ${ident(c.name)}`) : [];
  const day = shape.kind === 'logs' && shape.dayColumn;
  const sep = day ? sqlString(day.separator) : '';
  return [
    ...base,
    ...api,
    ...PARTITION_COLUMN_ORDER.map(ident),
    ...(day ? [`concat("year", ${sep}, "month", ${sep}, "day") AS ${ident(day.name)}`] : []),
    `${ident(LOG_FILE_COLUMN)} AS ${ident(PATH_COLUMN)}`,
    ...(withRaw ? [`${rawRecordSql(ident(RAW_COLUMN))} AS ${ident(RAW_COLUMN)}`] : []),
  ];
}

/** The table's own row filter (API views keep one API's events). */
function rowFilter(shape: TableShape): string {
  return shape.kind === 'api' ? ` WHERE eventsource = ${sqlString(shape.eventSource)} AND eventname = ${sqlString(shape.eventName)}` : '';
}

const FILES_PLACEHOLDER = '__trailscope_files__';

/**
 * The file lists of one query's scans, each standing in the tree as one placeholder string
 * until `sql` writes the paths into the SQL text. Placeholders carry a random token, so no
 * string a user writes can be taken for one.
 */
export class FileLists {
  readonly #token = randomUUID().replaceAll('-', '');
  readonly #lists: Array<readonly ScanFile[]> = [];

  /** The placeholder string for `files`. */
  add(files: readonly ScanFile[]): string {
    this.#lists.push(files);
    return `__trailscope_files_${this.#token}_${this.#lists.length - 1}__`;
  }

  /**
   * `text` with each placeholder literal replaced by its files. `firstOnly`: one file per
   * scan, for binding the query's result columns cheaply (scans match columns by position,
   * so the first file decides them).
   */
  sql(text: string, firstOnly = false): string {
    return this.#lists.reduce((out, files, i) => {
      const list = (firstOnly ? files.slice(0, 1) : files).map((f) => sqlString(f.absolutePath)).join(', ');
      return out.replaceAll(sqlString(`__trailscope_files_${this.#token}_${i}__`), list);
    }, text);
  }
}

export interface ScanOptions {
  /** Include `raw` (see `projection`). */
  readonly withRaw: boolean;
  /**
   * Read each file's schema and match columns by name. Needed only when files of different
   * trailscope versions (different columns) meet in one scan, and it doubles the time to
   * open many files; queries try without it first (see `LakeSession`).
   */
  readonly unionByName: boolean;
  /**
   * Lake-file columns (name, DuckDB type) that none of the scan's files has, read as NULL of
   * their type: files written by a trailscope that did not have them yet (`absentColumns`).
   */
  readonly absent?: ReadonlyArray<readonly [string, string]>;
}

const ROBUST: ScanOptions = { withRaw: true, unionByName: true };

/** The SQL text of a scan, for trailscope's own queries (never user SQL). */
export function scanSql(table: LakeTable, files: readonly ScanFile[], options: ScanOptions = ROBUST): string {
  const select = projection(table.shape, options.withRaw).join(', ');
  if (files.length === 0) return emptyScan(select);
  const list = files.map((f) => sqlString(f.absolutePath)).join(', ');
  const read = `read_parquet([${list}], hive_partitioning = true, hive_types_autocast = false, union_by_name = ${options.unionByName})`;
  const absent = (options.absent ?? []).map(([name, type]) => `CAST(NULL AS ${type}) AS ${ident(name)}`);
  return `SELECT ${select} FROM ${absent.length ? `(SELECT *, ${absent.join(', ')} FROM ${read})` : read}${rowFilter(table.shape)}`;
}

/** The lake-file columns that none of `files` has, for a scan matching columns by name (`ScanOptions.absent`). */
export async function absentColumns(engine: Engine, files: readonly ScanFile[]): Promise<Array<readonly [string, string]>> {
  if (files.length === 0) return [];
  const list = files.map((f) => sqlString(f.absolutePath)).join(', ');
  const described = await engine.query(`DESCRIBE SELECT * FROM read_parquet([${list}], union_by_name = true)`);
  const present = new Set(described.rows.map((r) => String(r.column_name)));
  return lakeFileColumns().filter(([name]) => !present.has(name));
}

function emptyScan(select: string): string {
  return `SELECT ${select} FROM (${emptyLakeRowsSql()})`;
}

/**
 * Builds scan subqueries as parse trees. The tree of each table shape is parsed once per
 * session; each query only swaps in its eventtime range, and a placeholder for its file
 * list: hundreds of paths in the tree would cost more to turn back into SQL than the
 * query takes, so `FileLists` writes them into the SQL text afterwards.
 */
export class ScanBuilder {
  readonly #templates = new Map<string, ParsedStatement>();

  constructor(private readonly engine: Engine) {}

  /** A `SUBQUERY` table reference reading `files` as `table`, to put where the user named the table. */
  async subquery(
    table: LakeTable,
    files: readonly ScanFile[],
    range: EventTimeRange,
    ref: AstNode,
    options: ScanOptions & { readonly lists: FileLists },
  ): Promise<AstNode> {
    const template = await this.#template(table, files.length > 0, options);
    const statement = cloneNode(template as unknown as AstNode) as unknown as ParsedStatement;
    const node = statement.node;
    if (files.length > 0) {
      for (const { node: n } of nodesOf(node.from_table!)) {
        if (functionName(n) === 'list_value' && Array.isArray(n.children)) {
          n.children = [varcharConstant(options.lists.add(files))];
          break;
        }
      }
    }
    const bounds: AstNode[] = [];
    if (range.lower)
      bounds.push(
        comparison(
          range.lower.inclusive ? 'COMPARE_GREATERTHANOREQUALTO' : 'COMPARE_GREATERTHAN',
          columnRef('eventtime'),
          varcharConstant(range.lower.value),
        ),
      );
    if (range.upper)
      bounds.push(
        comparison(
          range.upper.inclusive ? 'COMPARE_LESSTHANOREQUALTO' : 'COMPARE_LESSTHAN',
          columnRef('eventtime'),
          varcharConstant(range.upper.value),
        ),
      );
    node.where_clause = conjunction([...(isNode(node.where_clause) ? [node.where_clause] : []), ...bounds]);
    return {
      type: 'SUBQUERY',
      alias: String(ref.alias || ref.table_name),
      sample: ref.sample ?? null,
      subquery: statement as unknown as AstNode,
      column_name_alias: ref.column_name_alias ?? [],
    };
  }

  async #template(table: LakeTable, withFiles: boolean, options: ScanOptions): Promise<ParsedStatement> {
    const key = `${withFiles}:${options.withRaw}:${options.unionByName}:${JSON.stringify(options.absent ?? [])}:${JSON.stringify(table.shape)}`;
    let template = this.#templates.get(key);
    if (!template) {
      const sql = scanSql(table, withFiles ? [{ absolutePath: FILES_PLACEHOLDER }] : [], options);
      const parsed = await parseStatement(this.engine, sql);
      if (!parsed.ok) throw new Error(`internal: cannot parse the scan of ${table.name}: ${parsed.message}`);
      template = parsed.statement;
      this.#templates.set(key, template);
    }
    return template;
  }
}
