/**
 * Running user SQL on the lake: an engine that can read the lake's files and nothing else.
 *
 * @example
 * const { rows } = await query({ lake: './trailscope-lake' }, "select count(*) as n from cloudtrail_logs");
 */
import { resolve } from 'node:path';
import { Engine, sqlString, type QueryResult } from '../engine/duckdb-engine.js';
import { openLake } from '../lake/lake.js';
import { attachLake } from './lake-catalog.js';

export interface QueryOptions {
  readonly lake: string;
}

/** An engine with the lake's tables defined and every door but the lake closed. */
export async function openLakeEngine(options: QueryOptions): Promise<Engine> {
  const lake = await openLake(options.lake);
  const engine = await Engine.create();
  try {
    await attachLake(engine, lake);
    await engine.run(`SET allowed_directories = [${sqlString(resolve(options.lake))}]`);
    await engine.run(`SET enable_external_access = false`);
    await engine.run(`SET lock_configuration = true`);
  } catch (e) {
    engine.close();
    throw e;
  }
  return engine;
}

export async function query(options: QueryOptions, sql: string): Promise<QueryResult> {
  const engine = await openLakeEngine(options);
  try {
    return await engine.query(sql);
  } finally {
    engine.close();
  }
}
