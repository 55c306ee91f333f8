/**
 * Running Athena SQL on the lake, as a library: `query` for one answer, `queryStatements`
 * for every statement of a script, `openQuerySession` to keep an engine warm between
 * queries (the shell, a server).
 *
 * SQL reads the lake and nothing else: non-queries are refused (except Athena's table DDL),
 * table functions that read files are refused, and the engine itself can only open files
 * inside the lake folder.
 *
 * @example
 * const { rows, stats } = await query({ lake: './trailscope-lake' }, "select count(*) as n from cloudtrail_logs where eventtime >= '2024-03-09'");
 * console.log(rows[0].n, stats.bytes.read);
 */
import type { QueryResult } from '../engine/duckdb-engine.js';
import { LakeSession, type SessionOptions, type StatementResult } from './lake-session.js';

export type QueryOptions = SessionOptions;
export type { StatementResult, StatementKind } from './lake-session.js';
export type { ScanStats, TableScan, Counted } from './query-stats.js';
export { SqlError } from './sql-error.js';
export type { SqlErrorKind } from './sql-error.js';
export { LakeSession };
export { relationalizeApi } from './api-view.js';
export type { ApiView, ApiViewRequest } from './api-view.js';

/** Opens a session; close it when done. */
export function openQuerySession(options: QueryOptions): Promise<LakeSession> {
  return LakeSession.open(options);
}

/** Runs every statement of `sql` in order; resolves to the last one's result. */
export async function query(options: QueryOptions, sql: string): Promise<StatementResult> {
  const results = await queryStatements(options, sql);
  return results.at(-1)!;
}

/** Runs every statement of `sql` in order; resolves to each statement's result. Throws `SqlError` at the first failure. */
export async function queryStatements(options: QueryOptions, sql: string): Promise<StatementResult[]> {
  const session = await LakeSession.open({ footerCache: false, ...options });
  try {
    return await session.run(sql);
  } finally {
    session.close();
  }
}

export type { QueryResult };
