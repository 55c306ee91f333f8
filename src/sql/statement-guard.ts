/**
 * Why a statement that is not a query is refused. User SQL reads the lake and nothing else:
 * DuckDB only serializes SELECT statements, so anything else (COPY, ATTACH, INSTALL, SET,
 * INSERT, CREATE ...) never runs; this module only picks the message that says what to do
 * instead. Athena's own DDL is handled before this (`athena-statement.ts`).
 *
 * The engine is locked down as well (`allowed_directories`, `enable_external_access`,
 * `lock_configuration`), so a gap here would still not reach the machine's files.
 */
import { tokenize } from './sql-text.js';

const REASONS: Array<[RegExp, string]> = [
  [/^(copy|export|import)$/, 'SQL here reads the lake and writes no files (save results with --format csv > file.csv)'],
  [/^(attach|detach|use)$/, 'SQL here reads this lake only, no other database'],
  [/^(install|load|force|update extensions)$/, 'no extension can be installed or loaded at run time'],
  [/^(set|reset|pragma)$/, 'engine settings are fixed; use the command flags instead (--timeout, --memory-limit)'],
  [/^(insert|update|delete|merge|truncate|upsert)$/, 'the lake is read-only to SQL (add data with `trailscope ingest`)'],
  [
    /^(create|drop|alter|comment)$/,
    "the DDL allowed is CREATE EXTERNAL TABLE ... LOCATION 's3://.../AWSLogs/...' (a name for part of the lake), DROP TABLE of such a name, ALTER TABLE ... ADD PARTITION and MSCK REPAIR TABLE",
  ],
  [/^(checkpoint|vacuum|analyze)$/, 'the lake is maintained by `trailscope ingest`'],
  [/^(call|prepare|execute|deallocate)$/, 'send the query itself'],
  [/^(begin|start|commit|rollback|abort|end)$/, 'each query runs on its own, without transactions'],
];

/** The reason a non-query statement is refused, naming its first keyword. */
export function refusal(statement: string): string {
  const words = tokenize(statement)
    .filter((t) => t.kind === 'word')
    .slice(0, 2)
    .map((t) => t.value.toLowerCase());
  const first = words[0] ?? '';
  const keyword = first === 'update' && words[1] === 'extensions' ? 'update extensions' : first;
  const reason =
    REASONS.find(([re]) => re.test(keyword))?.[1] ?? 'SQL here reads the lake with SELECT (and the Athena DDL that names tables)';
  return `${keyword ? keyword.toUpperCase() : 'this statement'} is not allowed: ${reason}`;
}
