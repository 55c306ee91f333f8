/**
 * The one place the bench reaches into trailscope's SQL layer, for warm queries: open a
 * session on the lake once, run many queries. Everything else the bench does goes through
 * the public API (`ingest`) or the real CLI (`trailscope query`), so a change inside src/sql/
 * only ever needs this file updated. Runs the built code (see built-product.ts).
 */
import type { QueryResult } from '../src/engine/duckdb-engine.js';
import { builtSqlQuery } from './built-product.js';

export interface LakeQueryResult extends QueryResult {
  /** What the product says the query scanned (Athena's "Data scanned": bytes of the files pruning kept). */
  readonly scannedBytes: number | null;
}

export interface LakeSession {
  query(sql: string): Promise<LakeQueryResult>;
  close(): void;
}

/**
 * Loads the SQL layer (and with it DuckDB), then returns a function that opens sessions:
 * loading the code and opening the lake are timed apart.
 */
export async function lakeSessionOpener(): Promise<(lake: string) => Promise<LakeSession>> {
  const { openQuerySession } = await builtSqlQuery();
  return async (lake) => {
    const session = await openQuerySession({ lake });
    return {
      query: async (sql) => {
        const result = (await session.run(sql)).at(-1)!;
        return { ...result, scannedBytes: result.stats?.bytes.read ?? null };
      },
      close: () => session.close(),
    };
  };
}
