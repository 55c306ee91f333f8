/**
 * A fingerprint of a result's rows that does not depend on row order or on how each engine
 * spells struct field names (`userName` in the raw files, `username` in the lake), so the
 * lake's answer and DuckDB-over-raw-files' answer to the same question can be compared.
 *
 * A struct whose members are all NULL counts as NULL: `read_json` reads CloudTrail's
 * `"webIdFederationData": {}` as a struct of NULLs, the lake keeps it as NULL.
 */
import { createHash } from 'node:crypto';
import type { JsonRow, JsonValue } from '../src/engine/duckdb-engine.js';

function canonical(value: JsonValue): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  const entries = Object.entries(value)
    .map(([k, v]) => [k.toLowerCase(), canonical(v as JsonValue)] as const)
    .filter(([, v]) => v !== 'null')
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return entries.length ? `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(',')}}` : 'null';
}

/** Rows as values only (column names differ between engines: `count_star()` vs `_col0`). */
export function rowsDigest(rows: readonly JsonRow[]): string {
  const lines = rows.map((row) => canonical(Object.values(row) as JsonValue)).sort();
  const hash = createHash('sha256');
  for (const line of lines) hash.update(line).update('\n');
  return hash.digest('hex').slice(0, 16);
}
