/**
 * Query results as text: an aligned table for people, CSV/JSON/JSON lines for programs.
 */
import type { QueryResult, JsonValue } from '../engine/duckdb-engine.js';

export type ResultFormat = 'table' | 'csv' | 'json' | 'jsonl';
export const RESULT_FORMATS: readonly ResultFormat[] = ['table', 'csv', 'json', 'jsonl'];

function cellText(v: JsonValue): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}

const MAX_CELL = 60;

function truncate(s: string, width: number): string {
  const oneLine = s.replace(/\s+/g, ' ');
  return oneLine.length > width ? `${oneLine.slice(0, width - 1)}…` : oneLine;
}

/** One row per line, keyed by the column names as the query names them. */
function jsonRow(result: QueryResult, row: Record<string, JsonValue>): Record<string, JsonValue> {
  return Object.fromEntries(result.columns.map((c) => [c, row[c] ?? null]));
}

function csvCell(s: string): string {
  return /[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

export function formatResult(result: QueryResult, format: ResultFormat, options: { maxCell?: number } = {}): string {
  switch (format) {
    case 'jsonl':
      return result.rows.map((r) => JSON.stringify(jsonRow(result, r)) + '\n').join('');
    case 'json':
      return (
        JSON.stringify(
          result.rows.map((r) => jsonRow(result, r)),
          null,
          2,
        ) + '\n'
      );
    case 'csv':
      return (
        [result.columns, ...result.rows.map((r) => result.columns.map((c) => cellText(r[c] ?? null)))]
          .map((cells) => cells.map(csvCell).join(','))
          .join('\n') + '\n'
      );
    case 'table': {
      const max = options.maxCell ?? MAX_CELL;
      const cells = result.rows.map((r) => result.columns.map((c) => (r[c] === null ? 'NULL' : truncate(cellText(r[c] ?? null), max))));
      const widths = result.columns.map((c, i) => Math.max(c.length, ...cells.map((row) => row[i]!.length)));
      const numeric = result.types.map((t) => /INT|DOUBLE|FLOAT|DECIMAL|REAL/.test(t));
      const line = (row: string[]) =>
        row
          .map((s, i) => (numeric[i] ? s.padStart(widths[i]!) : s.padEnd(widths[i]!)))
          .join(' | ')
          .trimEnd();
      const rule = widths.map((w) => '-'.repeat(w)).join('-+-');
      return [line(result.columns), rule, ...cells.map(line)].join('\n') + '\n';
    }
  }
}
