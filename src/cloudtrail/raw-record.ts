/**
 * The original record, recoverable from every row without storing it twice.
 *
 * Most records are nothing but Athena's columns: for those, the record can be rebuilt from
 * the row, and the lake stores no `raw` text (that halves what ingest writes). A record
 * with anything the columns cannot give back (a field no column has, lower-case keys, a
 * number where CloudTrail writes a string) keeps its full text in `raw`. Ingest decides
 * per record by rebuilding it and comparing; queries see `coalesce(raw, <rebuilt>)`.
 *
 * "The same record" means equal as JSON, with members in any order and a member whose
 * value is null or an empty object the same as a missing one (CloudTrail writes
 * `"responseElements": null` and `"webIdFederationData": {}` and leaves fields out interchangeably).
 */
import { CLOUDTRAIL_COLUMNS, sqlLiteral, type Column, type ColumnType } from './athena-table.js';

/** Fields CloudTrail writes as JSON booleans; the table has them as 'true'/'false'. */
export const BOOLEAN_FIELDS: ReadonlySet<string> = new Set(['readOnly', 'managementEvent']);

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function rebuildValue(value: unknown, column: Column): Json | undefined {
  if (value === null || value === undefined) return undefined;
  return rebuildTyped(value, column.type, column.field);
}

function rebuildTyped(value: unknown, type: ColumnType, field: string): Json | undefined {
  switch (type.kind) {
    case 'string':
      if (BOOLEAN_FIELDS.has(field)) return value === 'true' ? true : value === 'false' ? false : (value as string);
      return value as string;
    case 'json':
      return JSON.parse(value as string) as Json;
    case 'map':
      return value as Json;
    case 'struct':
      return rebuildStruct(value as Record<string, unknown>, type.fields);
    case 'array':
      return (value as unknown[]).map((v) =>
        v === null ? null : (rebuildStruct(v as Record<string, unknown>, type.element.fields) ?? {}),
      );
  }
}

function rebuildStruct(row: Record<string, unknown>, fields: readonly Column[]): { [key: string]: Json } | undefined {
  const out: { [key: string]: Json } = {};
  let any = false;
  for (const f of fields) {
    const v = rebuildValue(row[f.name], f);
    if (v !== undefined) {
      out[f.field] = v;
      any = true;
    }
  }
  return any ? out : undefined;
}

/** The record as the row's columns give it back. */
export function recordFromRow(row: Record<string, unknown>): { [key: string]: Json } {
  return rebuildStruct(row, CLOUDTRAIL_COLUMNS) ?? {};
}

/**
 * A member that says nothing: null, or an empty object (CloudTrail writes
 * `"webIdFederationData": {}` on every assumed-role event; the table has it as NULL).
 */
function absent(v: unknown): boolean {
  return v === null || v === undefined || (typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 0);
}

/** Equal as JSON, ignoring member order, with null members the same as missing ones. */
export function sameRecord(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((x, i) => sameRecord(x, b[i]));
  }
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  for (const k of Object.keys(ao)) if (!absent(ao[k]) && !sameRecord(ao[k], bo[k])) return false;
  for (const k of Object.keys(bo)) if (!absent(bo[k]) && absent(ao[k])) return false;
  return true;
}

function valueSql(expr: string, type: ColumnType, field: string): string {
  switch (type.kind) {
    case 'string':
      return BOOLEAN_FIELDS.has(field) ? `(CASE ${expr} WHEN 'true' THEN true WHEN 'false' THEN false END)` : expr;
    case 'json':
      return `json(${expr})`;
    case 'map':
      return `to_json(${expr})`;
    case 'struct':
      return `(CASE WHEN ${expr} IS NULL THEN NULL ELSE ${structSql(expr, type.fields)} END)`;
    case 'array':
      return `list_transform(${expr}, x -> json_merge_patch('{}', ${structSql('x', type.element.fields)}))`;
  }
}

function structSql(expr: string, fields: readonly Column[]): string {
  return `json_object(${fields.map((f) => `${sqlLiteral(f.field)}, ${valueSql(`${expr}."${f.name}"`, f.type, f.field)}`).join(', ')})`;
}

/**
 * A DuckDB expression over a lake row giving the record's JSON text: the stored `raw` when
 * there is one, else the record rebuilt from the columns (as `recordFromRow` does).
 */
export function rawRecordSql(rawColumn = 'raw'): string {
  const rebuilt = `json_merge_patch('{}', json_object(${CLOUDTRAIL_COLUMNS.map(
    (c) => `${sqlLiteral(c.field)}, ${valueSql(`"${c.name}"`, c.type, c.field)}`,
  ).join(', ')}))`;
  return `coalesce(${rawColumn}, CAST(${rebuilt} AS VARCHAR))`;
}
