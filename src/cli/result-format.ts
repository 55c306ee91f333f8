/**
 * Query results as text: an aligned table for people, CSV/JSON/JSON lines for programs.
 */
import type { QueryResult } from '../engine/duckdb-engine.js';
import { cellText, csvHeader, jsonRow, rowLines } from '../engine/result-lines.js';

export { csvHeader };

export type ResultFormat = 'table' | 'csv' | 'json' | 'jsonl';
export const RESULT_FORMATS: readonly ResultFormat[] = ['table', 'csv', 'json', 'jsonl'];

const MAX_CELL = 60;

function truncate(s: string, width: number): string {
  const oneLine = s.replace(/\s+/g, ' ');
  return oneLine.length > width ? `${oneLine.slice(0, width - 1)}…` : oneLine;
}

function csv(result: QueryResult): string {
  return csvHeader(result.columns) + rowLines(result, 'csv').join('');
}

/**
 * Rows of a `json` result as `JSON.stringify(rows, null, 2)` lays them out, `rowsBefore`
 * rows into the array (the first opens it), so that it can be written a chunk at a time;
 * `jsonArrayEnd` closes it. JSON text has no raw newline inside a string, so every newline
 * is layout, and indenting after each one nests the row in the array.
 */
function jsonArrayRows(result: QueryResult, rowsBefore: number): string {
  return result.rows
    .map((r, i) => (rowsBefore + i === 0 ? '[\n  ' : ',\n  ') + JSON.stringify(jsonRow(result, r), null, 2).replaceAll('\n', '\n  '))
    .join('');
}

/** What ends a `json` result of `rows` rows written by `formatRows`. */
export function jsonArrayEnd(rows: number): string {
  return rows === 0 ? '[]\n' : '\n]\n';
}

export type RowByRowFormat = Exclude<ResultFormat, 'table'>;

/**
 * Some rows of a result, with no header, to follow the `rowsBefore` rows already written:
 * every format but `table` can be written as the rows come.
 */
export function formatRows(result: QueryResult, format: RowByRowFormat, rowsBefore: number): string {
  switch (format) {
    case 'csv':
    case 'jsonl':
      return rowLines(result, format).join('');
    case 'json':
      return jsonArrayRows(result, rowsBefore);
  }
}

export function formatResult(result: QueryResult, format: ResultFormat, options: { maxCell?: number } = {}): string {
  switch (format) {
    case 'jsonl':
      return rowLines(result, 'jsonl').join('');
    case 'json':
      return jsonArrayRows(result, 0) + jsonArrayEnd(result.rows.length);
    case 'csv':
      return csv(result);
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

/** `1.2 MB`: bytes as people read them. */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let v = n / 1024;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v.toFixed(v < 10 ? 1 : 0)} ${units[u]}`;
}

const thousands = (n: number) => n.toLocaleString('en-US');

/**
 * Rows a table shows. A table sizes its columns from the rows it prints, so it holds them;
 * past this many it counts the rest without keeping them: `SELECT *` on a lake of millions of
 * events must not have to fit in memory to reach a terminal. csv, json and jsonl print every row.
 */
export const TABLE_ROWS = 1_000;

/** The line under a table: `(3 rows, 12 ms)`, and how many were shown when not all were. */
export function formatFooter(rowCount: number, elapsedMs: number, shown = rowCount): string {
  const cut = shown < rowCount ? `; the first ${thousands(shown)} shown: --format csv, json or jsonl prints every row` : '';
  return `(${thousands(rowCount)} row${rowCount === 1 ? '' : 's'}, ${formatMs(elapsedMs)}${cut})\n`;
}

function formatMs(ms: number): string {
  return ms < 1000 ? `${Math.max(1, Math.round(ms))} ms` : `${(ms / 1000).toFixed(2)} s`;
}

export interface ScanSummary {
  readonly partitions: { read: number; total: number };
  readonly files: { read: number; total: number };
  readonly bytes: { read: number; total: number };
  readonly rows: { read: number; total: number };
  readonly rowGroups?: { read: number; total: number };
  readonly scans: ReadonlyArray<{ readonly prunedBy: readonly string[] }>;
}

/** Athena's "Data scanned", in the lake's terms: `Data scanned: 1.2 MB of 8.0 MB (2 of 12 partitions, ...)`. */
export function formatScanStats(stats: ScanSummary, elapsedMs: number): string {
  const parts = [
    `${thousands(stats.partitions.read)} of ${thousands(stats.partitions.total)} partitions`,
    `${thousands(stats.files.read)} of ${thousands(stats.files.total)} files`,
  ];
  if (stats.rowGroups) parts.push(`${thousands(stats.rowGroups.read)} of ${thousands(stats.rowGroups.total)} row groups`);
  parts.push(`${thousands(stats.rows.read)} of ${thousands(stats.rows.total)} rows`);
  const by = [...new Set(stats.scans.flatMap((s) => s.prunedBy))];
  const pruned = by.length ? `; pruned by ${by.join(', ')}` : '';
  return `Data scanned: ${formatBytes(stats.bytes.read)} of ${formatBytes(stats.bytes.total)} (${parts.join(', ')})${pruned}; ${formatMs(elapsedMs)}\n`;
}
