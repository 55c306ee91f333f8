/**
 * Rows as the lines of text of the CLI's `csv` and `jsonl` formats, written from their values.
 * DuckDB writes the same lines itself for most results (`result-lines-query.ts`); these are
 * what its lines must equal, and what writes the rows it leaves to JavaScript.
 */
import type { JsonRow, JsonValue, QueryResult } from './duckdb-engine.js';
import type { LineFormat } from './result-lines-query.js';

/** A value as text: NULL empty, a string as it is, numbers and booleans as JavaScript prints them, the rest as JSON. */
export function cellText(v: JsonValue): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}

const CSV_SPECIAL = /[",\n\r]/;

/** A CSV cell: quoted when it must be, and an empty string quoted (`""`) so it is not read back as NULL (nothing). */
function csvCell(s: string): string {
  return s === '' || CSV_SPECIAL.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/** The header line of a CSV result. */
export function csvHeader(columns: readonly string[]): string {
  return columns.map(csvCell).join(',') + '\n';
}

/** A name JavaScript objects list before all others (an array index), so an object cannot keep the order of its keys. */
export const isIndexKey = (name: string) => /^(0|[1-9]\d*)$/.test(name) && Number(name) < 2 ** 32 - 1;

/** A row as an object keyed by the column names as the query names them, in their order where JavaScript allows. */
export function jsonRow(result: QueryResult, row: JsonRow): JsonRow {
  return Object.fromEntries(result.columns.map((c) => [c, row[c] ?? null]));
}

/**
 * Each row's line, newline included. JSON lines are `JSON.stringify(jsonRow(result, row))`,
 * written without building each row again: members in the columns' order (which `jsonRow`
 * keeps unless a column is named like an array index).
 */
export function rowLines(result: QueryResult, format: LineFormat): string[] {
  const { columns, rows } = result;
  if (format === 'jsonl' && (columns.length === 0 || columns.some(isIndexKey)))
    return rows.map((r) => JSON.stringify(jsonRow(result, r)) + '\n');
  const cells: string[] = new Array<string>(columns.length);
  const keys = columns.map((c, i) => `${i ? ',' : '{'}${JSON.stringify(c)}:`);
  return rows.map((row) => {
    for (let i = 0; i < columns.length; i++) {
      const v = row[columns[i]!];
      if (format === 'jsonl') cells[i] = keys[i] + JSON.stringify(v ?? null);
      else cells[i] = v === null || v === undefined ? '' : csvCell(typeof v === 'string' ? v : cellText(v));
    }
    return format === 'csv' ? cells.join(',') + '\n' : cells.join('') + '}\n';
  });
}
