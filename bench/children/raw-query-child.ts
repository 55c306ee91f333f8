/**
 * Child: the query baseline. Each question asked of DuckDB directly over the raw `.json.gz`
 * files (a view doing `read_json` + `unnest(Records)`), in DuckDB's own SQL, with DuckDB's
 * default settings but the thread count (as the ingest baseline). Each query runs once, and is interrupted at the timeout: over many small
 * files one run can take minutes. DuckDB keeps nothing of a JSON scan between queries, so
 * one process for all of them times each as a fresh process would.
 */
import { readFile } from 'node:fs/promises';
import { Engine } from '../../src/engine/duckdb-engine.js';
import { bytesReadSoFar } from '../process-io.js';
import { rawLogsViews } from '../raw-logs-sql.js';
import { rowsDigest } from '../row-digest.js';
import { childMain } from './child-main.js';

export interface RawQueryRequest {
  readonly fileList: string;
  readonly queries: ReadonlyArray<{ readonly id: string; readonly sql: string }>;
  readonly timeoutSeconds: number;
  /** DuckDB threads; undefined leaves DuckDB's default (one per core). */
  readonly threads?: number;
}

export type RawQueryResult =
  | { readonly outcome: 'ok'; readonly seconds: number; readonly rows: number; readonly digest: string; readonly readBytes: number | null }
  | { readonly outcome: 'timeout'; readonly timeoutSeconds: number }
  | { readonly outcome: 'failed'; readonly error: string }
  | { readonly outcome: 'skipped'; readonly why: string };

/** After this many timeouts in a row the rest would time out too (L): they are skipped, not waited for. */
const TIMEOUTS_BEFORE_GIVING_UP = 2;

export type RawQueryValue = Record<string, RawQueryResult>;

childMain<RawQueryRequest, RawQueryValue>(async (r) => {
  const files = JSON.parse(await readFile(r.fileList, 'utf8')) as string[];
  const engine = await Engine.create(r.threads ? { threads: r.threads } : {});
  const results: RawQueryValue = {};
  try {
    for (const statement of rawLogsViews(files)) await engine.run(statement);
    let timeoutsInARow = 0;
    for (const q of r.queries) {
      if (timeoutsInARow >= TIMEOUTS_BEFORE_GIVING_UP) {
        results[q.id] = { outcome: 'skipped', why: `${TIMEOUTS_BEFORE_GIVING_UP} queries before it took over ${r.timeoutSeconds} s` };
        continue;
      }
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        engine.connection.interrupt();
      }, r.timeoutSeconds * 1000);
      const readBefore = bytesReadSoFar();
      const started = performance.now();
      try {
        const result = await engine.query(q.sql);
        const seconds = (performance.now() - started) / 1000;
        const readAfter = bytesReadSoFar();
        results[q.id] = {
          outcome: 'ok',
          seconds,
          rows: result.rows.length,
          digest: rowsDigest(result.rows),
          readBytes: readBefore === null || readAfter === null ? null : readAfter - readBefore,
        };
      } catch (e) {
        results[q.id] = timedOut
          ? { outcome: 'timeout', timeoutSeconds: r.timeoutSeconds }
          : { outcome: 'failed', error: (e as Error).message };
      } finally {
        clearTimeout(timer);
        timeoutsInARow = timedOut ? timeoutsInARow + 1 : 0;
      }
    }
  } finally {
    engine.close();
  }
  return results;
});
