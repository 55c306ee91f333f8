import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { describe, it } from 'node:test';

const require = createRequire(import.meta.url);
// Built files, named by variables: `npm test` type-checks before it builds them.
const BUNDLE = '../dist/engine/duckdb-node-api.cjs';
const BUILT_MODULE = '../dist/engine/duckdb-module.js';

describe('the built engine', () => {
  it('loads @duckdb/node-api from the one-file bundle, with every export of the package, and runs SQL through it', async () => {
    const bundle = require(BUNDLE) as typeof import('@duckdb/node-api');
    const pkg = require('@duckdb/node-api') as typeof import('@duckdb/node-api');
    assert.deepEqual(Object.keys(bundle).sort(), Object.keys(pkg).sort());
    assert.notEqual(bundle.DuckDBInstance, pkg.DuckDBInstance, 'the bundle is its own copy, not the package re-exported');

    const { duckdb } = (await import(BUILT_MODULE)) as { duckdb: typeof import('@duckdb/node-api') };
    assert.equal(duckdb, bundle, 'dist/ requires the bundle, not the package');

    const instance = await duckdb.DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    const reader = await connection.runAndReadAll(`SELECT 42 AS answer, {'a': [1, 2]} AS nested`);
    assert.deepEqual(reader.getRowObjectsJson(), [{ answer: 42, nested: { a: [1, 2] } }]);
    connection.closeSync();
    instance.closeSync();
  });
});
