/**
 * DuckDB's errors in the user's terms. DuckDB ran the rewritten SQL, so its "LINE 1: ..."
 * excerpt shows text the user never wrote: it is dropped, and the name the error is about
 * is located in the user's own statement through the parse tree's positions. Unknown
 * columns and struct fields get "did you mean" from the tables the query reads.
 */
import { structLeaves, CLOUDTRAIL_COLUMNS } from '../cloudtrail/athena-table.js';
import type { SqlDialect } from './dialect/dialect.js';
import { DIVISION_BY_ZERO } from './dialect/trino-functions.js';
import { HIDDEN_COLUMNS, PARTITION_COLUMN_ORDER } from './lake-scan.js';
import { flatColumns } from './relationalize.js';
import { columnNames, functionName, locationOf, nodesOf, type AstNode } from './sql-ast.js';
import { closest, didYouMean, SqlError, sqlError } from './sql-error.js';
import type { LakeTable } from './table-catalog.js';

export interface ErrorContext {
  /** The user's statement as parsed (positions are offsets in its text). */
  readonly tree: AstNode;
  readonly script: string;
  /** The offset in the script of an offset in the parsed statement. */
  readonly locate: (at: number) => number;
  readonly tables: readonly LakeTable[];
  readonly dialect: SqlDialect;
  readonly timedOut: boolean;
  readonly timeoutMs: number;
  readonly memoryLimit: string;
}

/** Every name a column reference may use on these tables: columns, dotted struct paths. */
export function columnCandidates(tables: readonly LakeTable[]): string[] {
  const out = new Set<string>([...PARTITION_COLUMN_ORDER, ...HIDDEN_COLUMNS]);
  for (const t of tables) {
    if (t.shape.kind === 'logs') {
      for (const c of CLOUDTRAIL_COLUMNS) out.add(c.name);
      for (const l of structLeaves()) out.add(l.name);
    } else {
      for (const c of flatColumns()) out.add(c.name);
      if (t.shape.kind === 'api') for (const c of t.shape.columns) out.add(c.name);
    }
  }
  return [...out];
}

function located(ctx: ErrorContext, kind: SqlError['kind'], message: string, node: AstNode | undefined): SqlError {
  const at = node ? locationOf(node) : undefined;
  return sqlError(kind, message, ctx.script, at === undefined ? undefined : ctx.locate(at));
}

function findColumn(ctx: ErrorContext, test: (names: string[]) => boolean): AstNode | undefined {
  for (const { node } of nodesOf(ctx.tree)) {
    const names = columnNames(node);
    if (names && test(names)) return node;
  }
  return undefined;
}

export function explainEngineError(error: unknown, ctx: ErrorContext): SqlError {
  const raw = error instanceof Error ? error.message : String(error);
  const message = ctx.dialect.explainError(raw.replace(/\n+LINE \d+:[\s\S]*$/, '').trim());
  const lc = (s: string) => s.toLowerCase();

  if (/^INTERRUPT Error/i.test(raw)) {
    return ctx.timedOut
      ? new SqlError(
          `the query ran longer than the time limit of ${+(ctx.timeoutMs / 1000).toFixed(3)} s and was stopped: narrow it (a range on eventtime, fewer partitions) or raise --timeout`,
          'timeout',
        )
      : new SqlError('the query was stopped before it finished', 'interrupted');
  }
  if (/Out of Memory Error/i.test(raw)) {
    const detail = /Out of Memory Error: (.*)/i.exec(message)?.[1] ?? '';
    return new SqlError(
      `the query needed more memory than the limit of ${ctx.memoryLimit}: narrow it (a range on eventtime, fewer columns than SELECT *, a LIMIT) or raise --memory-limit (${detail.split('\n')[0]})`,
      'memory',
    );
  }
  let m = /Referenced column "(.+?)" was not found because the FROM clause is missing/.exec(raw);
  if (m) {
    const node = findColumn(ctx, (names) => lc(names[0]!) === lc(m![1]!));
    return located(ctx, 'not-found', `column '${m[1]}' cannot be resolved: the query has no FROM (e.g. FROM cloudtrail_logs)`, node);
  }
  m = /Referenced column "(.+?)" not found/.exec(raw);
  if (m) {
    const name = m[1]!;
    const bindings =
      /Candidate bindings: (.*)/
        .exec(raw)?.[1]
        ?.match(/"([^"]+)"/g)
        ?.map((s) => s.slice(1, -1).replace(/^.*\./, '')) ?? [];
    const near = closest(name, [...columnCandidates(ctx.tables), ...bindings]);
    const node = findColumn(ctx, (names) => lc(names[0]!) === lc(name));
    return located(ctx, 'not-found', `column '${name}' cannot be resolved${didYouMean(near)}`, node);
  }
  m = /Could not find key "(.+?)" in struct/.exec(raw);
  if (m) {
    const key = m[1]!;
    const node = findColumn(ctx, (names) => names.slice(1).some((n) => lc(n) === lc(key)));
    const names = node ? columnNames(node)! : [key];
    const path = names.slice(0, names.findIndex((n, i) => i > 0 && lc(n) === lc(key)) + 1 || names.length).join('.');
    const candidates = columnCandidates(ctx.tables).filter((c) => c.includes('.'));
    const near = closest(path, candidates).filter((c) => lc(c) !== lc(path));
    return located(ctx, 'not-found', `field '${path}' does not exist${didYouMean(near.length ? near : closest(key, candidates))}`, node);
  }
  m = /Referenced table "(.+?)" not found/.exec(raw);
  if (m) {
    const name = m[1]!;
    const node = findColumn(ctx, (names) => names.length > 1 && lc(names[0]!) === lc(name));
    const near = closest(name, columnCandidates(ctx.tables));
    return located(ctx, 'not-found', `'${name}' is neither a table of this query nor a column${didYouMean(near)}`, node);
  }
  m = /(?:Scalar|Aggregate|Table) Function with name "?([^"\s!]+)"? does not exist/.exec(raw);
  if (m) {
    const name = ctx.dialect.explainError(m[1]!);
    const duck = /Did you mean "(.+?)"/.exec(raw)?.[1];
    const near = closest(name, [...ctx.dialect.functionNames, ...(duck ? [duck] : [])]);
    const node = [...nodesOf(ctx.tree)].map((n) => n.node).find((n) => functionName(n) === lc(name));
    return located(ctx, 'not-found', `function '${name}' does not exist${didYouMean(near)}`, node);
  }
  m = /column "?([^"\s]+)"? must appear in the GROUP BY clause/.exec(raw);
  if (m) {
    const column = m[1]!;
    const candidates = columnCandidates(ctx.tables);
    // DuckDB names the column, where the user may have written one of its fields.
    const node = findColumn(ctx, (names) => lc(names[0]!) === lc(column));
    if (!candidates.some((c) => lc(c) === lc(column) || lc(c).startsWith(`${lc(column)}.`))) {
      // Not a column at all (a typo in HAVING): DuckDB asks for it in GROUP BY, Trino says it does not exist.
      return located(ctx, 'not-found', `column '${column}' cannot be resolved${didYouMean(closest(column, candidates))}`, node);
    }
    const name = node ? columnNames(node)!.join('.') : column;
    return located(
      ctx,
      'query',
      `'${name}' must be an aggregate expression or appear in GROUP BY (or take any of its values with arbitrary(${name}))`,
      node,
    );
  }
  if (raw.includes(`Could not convert string '${DIVISION_BY_ZERO}'`)) return new SqlError(DIVISION_BY_ZERO, 'query');
  if (/Cannot compare values of type VARCHAR and type (TIMESTAMP|DATE)/.test(raw)) {
    // The usual CloudTrail slip: eventtime is text in the table, as in Athena.
    const node = findColumn(ctx, (names) => lc(names.at(-1)!) === 'eventtime');
    return located(
      ctx,
      'query',
      `cannot compare text with a time: eventtime is a string (ISO 8601) in CloudTrail's table; compare from_iso8601_timestamp(eventtime) with a time, or eventtime with a string such as '2024-03-01T00:00:00Z'`,
      node,
    );
  }
  m = /No function matches the given name and argument types '(\w+)\(/.exec(raw);
  if (m) {
    const name = ctx.dialect.explainError(m[1]!);
    const node = [...nodesOf(ctx.tree)].map((n) => n.node).find((n) => functionName(n) === lc(name));
    return located(ctx, 'query', message.replace(/^Binder Error: /, ''), node);
  }
  return new SqlError(message, 'query');
}
