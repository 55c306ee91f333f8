/**
 * Relationalize, as seed 002's Glue job does it: nested structs become one column per leaf,
 * named with dots (`useridentity.sessioncontext.sessionissuer.username`), so dashboards can
 * group by them; and for one API, the keys of its `requestparameters`/`responseelements`
 * JSON become typed columns (`requestparameters.groupid`), inferred from the lake.
 *
 * @example
 * const table = await relationalizeApi(session, { eventSource: 'ec2.amazonaws.com', eventName: 'AuthorizeSecurityGroupIngress' });
 * // table.name === 'cloudtrail_ec2_authorizesecuritygroupingress'
 */
import { CLOUDTRAIL_COLUMNS, structLeaves } from '../cloudtrail/athena-table.js';
import { sqlString } from '../engine/duckdb-engine.js';
import type { ApiColumn } from './table-catalog.js';

/** A column of a view: its name and the SQL that computes it from the lake's row. */
export interface ViewColumn {
  readonly name: string;
  readonly sql: string;
}

const ident = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** `cloudtrail_flat`'s columns: each top-level column, with structs replaced by their leaves. */
export function flatColumns(): ViewColumn[] {
  const leaves = structLeaves();
  const out: ViewColumn[] = [];
  for (const c of CLOUDTRAIL_COLUMNS) {
    if (c.type.kind !== 'struct') {
      out.push({ name: c.name, sql: ident(c.name) });
      continue;
    }
    for (const leaf of leaves.filter((l) => l.path[0] === c.name)) out.push({ name: leaf.name, sql: leaf.path.map(ident).join('.') });
  }
  return out;
}

function jsonPath(path: readonly string[]): string {
  return '$' + path.map((k) => (/^[A-Za-z_][A-Za-z0-9_]*$/.test(k) ? `.${k}` : `."${k.replaceAll('"', '\\"')}"`)).join('');
}

/** The SQL of an API column: the key's value, cast to the type seen in the lake (NULL where a record disagrees). */
export function apiColumnSql(c: ApiColumn): string {
  const path = sqlString(jsonPath(c.path));
  if (c.type === 'JSON') return `CAST(json_extract(${ident(c.source)}, ${path}) AS VARCHAR)`;
  const text = `json_extract_string(${ident(c.source)}, ${path})`;
  return c.type === 'VARCHAR' ? text : `TRY_CAST(${text} AS ${c.type})`;
}

/** The default name of an API's view: `cloudtrail_<service>_<eventname>`. */
export function apiViewName(eventSource: string, eventName: string): string {
  const service = eventSource.replace(/\.amazonaws\.com$/, '').replace(/[^a-z0-9]+/gi, '_');
  return `cloudtrail_${service}_${eventName.replace(/[^a-z0-9]+/gi, '_')}`.toLowerCase();
}

const SCALARS: Record<string, ApiColumn['type']> = {
  VARCHAR: 'VARCHAR',
  NULL: 'VARCHAR',
  BOOLEAN: 'BOOLEAN',
  UBIGINT: 'BIGINT',
  BIGINT: 'BIGINT',
  DOUBLE: 'DOUBLE',
};

/**
 * Columns from a merged JSON structure (DuckDB's `json_group_structure`): objects are
 * walked, each scalar leaf is a column; arrays, and keys whose type differs between
 * records, stay JSON text. Names are lower-cased; a clash gets a numeric suffix.
 */
export function columnsFromStructure(source: ApiColumn['source'], structure: unknown): ApiColumn[] {
  const out: ApiColumn[] = [];
  const taken = new Set<string>();
  const walk = (value: unknown, path: string[]) => {
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      for (const [k, v] of Object.entries(value)) walk(v, [...path, k]);
      return;
    }
    if (path.length === 0) return;
    const type = typeof value === 'string' ? (SCALARS[value] ?? 'JSON') : 'JSON';
    const base = [source, ...path].join('.').toLowerCase();
    let name = base;
    for (let n = 2; taken.has(name); n++) name = `${base}_${n}`;
    taken.add(name);
    out.push({ name, source, path, type });
  };
  walk(structure, []);
  return out;
}
