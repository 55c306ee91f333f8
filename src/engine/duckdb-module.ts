/**
 * `@duckdb/node-api`, loaded with `require`. Importing it as an ES module makes Node scan
 * each of its ~150 CommonJS files for export names first: ~150 ms more on every start of
 * the CLI, more than a small query takes. Built, it comes from one file the build bundles
 * (scripts/bundle-duckdb-api.mjs), another ~45 ms less than requiring those files one by
 * one; run from source (tsx), the package is required as it is.
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

export const duckdb = (
  import.meta.url.endsWith('.ts') ? require('@duckdb/node-api') : require('./duckdb-node-api.cjs')
) as typeof import('@duckdb/node-api');
