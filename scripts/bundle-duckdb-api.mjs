/**
 * Bundles `@duckdb/node-api`'s ~150 CommonJS files into dist/engine/duckdb-node-api.cjs,
 * which the built engine requires (src/engine/duckdb-module.ts): resolving and compiling
 * them one by one is ~45 ms of every CLI start. The native binding stays outside, loaded
 * from its package as before.
 */
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

await build({
  stdin: { contents: `module.exports = require('@duckdb/node-api');`, resolveDir: root, loader: 'js' },
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: ['@duckdb/node-bindings'],
  outfile: `${root}dist/engine/duckdb-node-api.cjs`,
  logLevel: 'warning',
});
