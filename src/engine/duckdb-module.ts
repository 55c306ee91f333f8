/**
 * `@duckdb/node-api`, loaded with `require`. Importing it as an ES module makes Node scan
 * each of its ~150 CommonJS files for export names first: ~150 ms more on every start of
 * the CLI, more than a small query takes.
 */
import { createRequire } from 'node:module';

export const duckdb = createRequire(import.meta.url)('@duckdb/node-api') as typeof import('@duckdb/node-api');
