/**
 * Child: one query on the lake, warm. Opens the lake once, runs the query once (the first
 * run in a fresh process: the bytes it reads are the query's "data scanned"), then `runs`
 * more times, timing each. A query that fails is reported, not thrown: one broken query
 * must not hide the others' figures.
 */
import { bytesReadSoFar } from '../process-io.js';
import { lakeSessionOpener } from '../lake-session.js';
import { rowsDigest } from '../row-digest.js';
import { childMain } from './child-main.js';

export interface WarmQueryRequest {
  readonly lake: string;
  readonly sql: string;
  readonly runs: number;
}

export type WarmQueryValue =
  | {
      readonly ok: true;
      /** Importing the SQL layer and DuckDB. */
      readonly loadSeconds: number;
      readonly openSeconds: number;
      readonly firstSeconds: number;
      readonly seconds: number[];
      readonly rows: number;
      readonly digest: string;
      readonly readBytes: number | null;
      readonly scannedBytes: number | null;
    }
  | { readonly ok: false; readonly error: string };

childMain<WarmQueryRequest, WarmQueryValue>(async (r) => {
  const loading = performance.now();
  const open = await lakeSessionOpener();
  const opened = performance.now();
  const session = await open(r.lake);
  try {
    const loadSeconds = (opened - loading) / 1000;
    const openSeconds = (performance.now() - opened) / 1000;
    const readBefore = bytesReadSoFar();
    const t0 = performance.now();
    let first;
    try {
      first = await session.query(r.sql);
    } catch (e) {
      return { ok: false, error: (e as Error).message };
    }
    const firstSeconds = (performance.now() - t0) / 1000;
    const readAfter = bytesReadSoFar();
    const seconds: number[] = [];
    for (let i = 0; i < r.runs; i++) {
      const t = performance.now();
      await session.query(r.sql);
      seconds.push((performance.now() - t) / 1000);
    }
    return {
      ok: true,
      loadSeconds,
      openSeconds,
      firstSeconds,
      seconds,
      rows: first.rows.length,
      digest: rowsDigest(first.rows),
      readBytes: readBefore === null || readAfter === null ? null : readAfter - readBefore,
      scannedBytes: first.scannedBytes,
    };
  } finally {
    session.close();
  }
});
