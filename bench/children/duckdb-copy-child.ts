/**
 * Child: the ingest baseline. What a DuckDB user writes by hand to turn the same log files
 * into Parquet, with DuckDB's default settings except, unless asked otherwise, one thread:
 * over thousands of small files DuckDB is several times faster and needs a tenth of the
 * memory with one thread than with its default of one per core (see docs/BENCHMARKS.md).
 */
import { readFile } from 'node:fs/promises';
import { Engine, sqlString } from '../../src/engine/duckdb-engine.js';
import { rawRecordsSelect } from '../raw-logs-sql.js';
import { childMain } from './child-main.js';

export interface DuckDbCopyRequest {
  /** A JSON file holding the list of log file paths (the list can be megabytes). */
  readonly fileList: string;
  readonly out: string;
  /** DuckDB threads; undefined leaves DuckDB's default (one per core). */
  readonly threads?: number;
}

export interface DuckDbCopyValue {
  readonly seconds: number;
  readonly rows: number;
  /** `current_setting('threads')`: what DuckDB chose by default on this machine. */
  readonly threads: number;
  readonly duckdbVersion: string;
}

childMain<DuckDbCopyRequest, DuckDbCopyValue>(async (r) => {
  const files = JSON.parse(await readFile(r.fileList, 'utf8')) as string[];
  const engine = await Engine.create(r.threads ? { threads: r.threads } : {});
  try {
    const settings = (await engine.query(`SELECT current_setting('threads') AS threads, version() AS version`)).rows[0]!;
    const started = performance.now();
    const copied = await engine.query(`COPY (${rawRecordsSelect(files)}) TO ${sqlString(r.out)} (FORMAT parquet)`);
    const seconds = (performance.now() - started) / 1000;
    return {
      seconds,
      rows: Number(Object.values(copied.rows[0] ?? {})[0] ?? 0),
      threads: Number(settings.threads),
      duckdbVersion: String(settings.version),
    };
  } finally {
    engine.close();
  }
});
