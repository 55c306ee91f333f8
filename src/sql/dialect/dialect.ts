/**
 * The seam between the SQL people write (Athena's, i.e. Trino's) and the engine that runs it.
 * Today the one dialect is Athena-on-DuckDB (`athena-on-duckdb.ts`); an Athena/Trino
 * pass-through would be a second implementation that translates nothing and lets the remote
 * engine prune. Differences are capability flags and these few hooks, never
 * `if (engine === ...)` elsewhere, in the way kysely keeps its dialects.
 */
import type { QueryResult } from '../../engine/duckdb-engine.js';
import type { ParsedStatement } from '../sql-ast.js';

export interface SqlDialect {
  readonly name: string;
  /** Statements run once when a session opens, before any user SQL: settings. */
  readonly sessionSetup: readonly string[];
  /**
   * Functions translated SQL may call that the engine does not have, by name, with the
   * statement that defines each. A session defines one before the first query that calls it
   * (defining all of them up front would cost each short-lived CLI process ~10 ms).
   */
  readonly helperFunctions: ReadonlyMap<string, string>;
  /** Whether trailscope must choose the files a query reads (an embedded engine) or the engine does (Athena). */
  readonly prunesFiles: boolean;
  /** Function names users of this dialect know, for "did you mean" suggestions. */
  readonly functionNames: readonly string[];
  /**
   * The statement as the engine must run it: function calls translated, result columns
   * named as the dialect names them. Returns a new tree; throws `DialectError` for calls it
   * cannot translate.
   */
  translate(statement: ParsedStatement): ParsedStatement;
  /** An engine error message in the dialect's words (helper names replaced by what the user wrote). */
  explainError(message: string): string;
  /** Values as the dialect prints them (Athena: `2017-05-18 10:00:00.000 UTC`). */
  presentResult(result: QueryResult): QueryResult;
}
