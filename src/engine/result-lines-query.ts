/**
 * A query's rows as the CSV or JSON lines the CLI prints, made by DuckDB itself. Written from
 * rows in JavaScript, each line costs a `JSON.parse` of the row, a string per cell and, for
 * every struct or list, a `JSON.stringify` of what was just parsed; a day's `SELECT *` (38,520
 * rows, 60 MB of CSV) took 1.2 s that way and 0.7 s this way, all of M 23.8 s and 10.7 s.
 *
 * A line is byte for byte what `formatRows` (cli/result-format.ts) makes of the row's values.
 * CSV: NULL empty; text as it is; integers and booleans as JavaScript prints them; structs,
 * lists and maps as `JSON.stringify` writes them (here DuckDB's `to_json`); a cell quoted, its
 * quotes doubled, when it holds a quote, a comma or a line break. JSON lines: one object per
 * row, members in the columns' order, each value as `JSON.stringify` writes it.
 *
 * Where `to_json` would write other text than `JSON.stringify` (see `riskSql`), the row has no
 * line but its JSON object text (`json-rows-query.ts`), and is written from its values. Types
 * whose text differs everywhere give no query at all: floating point and decimals (JavaScript
 * prints numbers its own way), dates and timestamps (the dialect presents timestamps as
 * Athena prints them), and everything `json-rows-query.ts` does not write.
 */
import type { DuckDBType } from '@duckdb/node-api';
import { duckdb } from './duckdb-module.js';
import { EXACT, MAP_KEY_TYPES, integerJsonSql, jsonObjectSql, jsonValueSql } from './json-rows-query.js';
import { isIndexKey } from './result-lines.js';

const Id = duckdb.DuckDBTypeId;

export type LineFormat = 'csv' | 'jsonl';

/** Types written as text (their value is DuckDB's text of them, or the digits of an integer beyond 2^53). */
const TEXT: ReadonlySet<number> = new Set([Id.VARCHAR, Id.UUID, Id.ENUM]);
/** Integers and booleans: JavaScript prints them as DuckDB casts them to text. */
const NUMBERS: ReadonlySet<number> = new Set(
  [
    Id.BOOLEAN,
    Id.TINYINT,
    Id.SMALLINT,
    Id.INTEGER,
    Id.BIGINT,
    Id.HUGEINT,
    Id.UTINYINT,
    Id.USMALLINT,
    Id.UINTEGER,
    Id.UBIGINT,
    Id.UHUGEINT,
  ].map(Number),
);

/** Whether values of this type can have their line here. */
function hasLine(type: DuckDBType): boolean {
  switch (type.typeId) {
    case Id.LIST:
    case Id.ARRAY:
      return hasLine(type.valueType);
    case Id.STRUCT:
      return !type.entryNames.some(isIndexKey) && type.entryTypes.every(hasLine);
    case Id.MAP:
      return MAP_KEY_TYPES.has(type.keyType.typeId) && hasLine(type.valueType);
    default:
      return TEXT.has(type.typeId) || NUMBERS.has(type.typeId) || type.typeId === Id.SQLNULL;
  }
}

/** Whether a struct, list or map holds a value of DuckDB's JSON type. */
function hasJsonField(type: DuckDBType): boolean {
  switch (type.typeId) {
    case Id.VARCHAR:
      return type.alias === 'JSON';
    case Id.LIST:
    case Id.ARRAY:
      return hasJsonField(type.valueType);
    case Id.MAP:
      return hasJsonField(type.keyType) || hasJsonField(type.valueType);
    case Id.STRUCT:
      return type.entryTypes.some(hasJsonField);
    default:
      return false;
  }
}

/**
 * SQL true where `to_json` of `x` may write other text than `JSON.stringify` of its converted
 * value, besides an escape (found in the text: see `linesQuery`): a non-empty map (JavaScript
 * lists integer-like keys first) or an integer beyond 2^53 (JavaScript has it as a string).
 * Undefined where the type has neither.
 */
function riskSql(x: string, type: DuckDBType, depth: number): string | undefined {
  switch (type.typeId) {
    case Id.MAP:
      return `coalesce(cardinality(${x}) > 0, false)`;
    case Id.BIGINT:
    case Id.HUGEINT:
      return `coalesce(${x} NOT BETWEEN -${EXACT} AND ${EXACT}, false)`;
    case Id.UBIGINT:
    case Id.UHUGEINT:
      return `coalesce(${x} > ${EXACT}, false)`;
    case Id.LIST:
    case Id.ARRAY: {
      const e = `__r${depth}`;
      const item = riskSql(e, type.valueType, depth + 1);
      return item && `coalesce(list_bool_or(list_transform(${x}, lambda ${e}: ${item})), false)`;
    }
    case Id.STRUCT: {
      const fields = type.entryTypes.flatMap((t, i) => riskSql(`struct_extract_at(${x}, ${i + 1})`, t, depth + 1) ?? []);
      return fields.length ? `(${fields.join(' OR ')})` : undefined;
    }
    default:
      return undefined;
  }
}

/**
 * SQL giving the text of column `c{i}` in a line (NULL for NULL), and when that text may be
 * wrong, SQL true for the rows where it may.
 */
function cellSql(i: number, type: DuckDBType, format: LineFormat): { text: string; risk?: string } {
  const x = `c${i}`;
  if (type.typeId === Id.SQLNULL) return { text: 'NULL' };
  if (NUMBERS.has(type.typeId)) return { text: format === 'csv' ? `CAST(${x} AS VARCHAR)` : integerJsonSql(x, type)! };
  // DuckDB's `to_json` escapes U+000B, U+000E, U+000F and U+001A to U+001F with upper-case
  // hex, JavaScript with lower case: a `\u00` in the text (rare) sends the row to JavaScript.
  const escape = `contains(t${i}, '\\u00')`;
  if (TEXT.has(type.typeId))
    return format === 'csv' ? { text: `CAST(${x} AS VARCHAR)` } : { text: `CAST(to_json(CAST(${x} AS VARCHAR)) AS VARCHAR)`, risk: escape };
  // `to_json` of a struct writes a JSON-typed field as the JSON it holds; the converter has its text.
  const text = hasJsonField(type) ? `CASE WHEN ${x} IS NOT NULL THEN ${jsonValueSql(x, type)} END` : `CAST(to_json(${x}) AS VARCHAR)`;
  const risk = riskSql(x, type, 0);
  return { text, risk: risk ? `${escape} OR ${risk}` : escape };
}

/**
 * SQL giving a cell's text quoted, its quotes doubled, when it holds a quote, a comma or a
 * line break, or is empty (`""`, told from NULL, which is nothing). The JSON of a struct always
 * holds a quote (it has keys).
 */
function quotedSql(t: string, type: DuckDBType): string {
  if (NUMBERS.has(type.typeId) || type.typeId === Id.SQLNULL) return `coalesce(${t}, '')`;
  const quote = `'"' || replace(${t}, '"', '""') || '"'`;
  if (type.typeId === Id.STRUCT) return `coalesce(${quote}, '')`;
  // Four searches for a byte cost less than one regular expression.
  const special = `${t} = '' OR contains(${t}, '"') OR contains(${t}, ',') OR contains(${t}, chr(10)) OR contains(${t}, chr(13))`;
  return `coalesce(CASE WHEN ${special} THEN ${quote} ELSE ${t} END, '')`;
}

/**
 * The query that returns each row of `sql`, in `sql`'s order (projections keep it), as its
 * `line` in `format`, newline included; or, where DuckDB's text might differ from
 * JavaScript's, a NULL line and the row's JSON object text as `row`. Undefined when a
 * column's type has no line here, or (JSON lines) a column's name is integer-like, which
 * JavaScript lists first.
 */
export function linesQuery(sql: string, names: readonly string[], types: readonly DuckDBType[], format: LineFormat): string | undefined {
  if (types.length === 0 || !types.every(hasLine) || (format === 'jsonl' && names.some(isIndexKey))) return undefined;
  const row = jsonObjectSql(names, types);
  if (!row) return undefined;
  const cells = types.map((t, i) => cellSql(i, t, format));
  const columns = types.map((_, i) => `c${i}`).join(', ');
  const risks = cells.flatMap((c) => c.risk ?? []);
  const line =
    format === 'csv'
      ? `concat(${types.map((t, i) => quotedSql(`t${i}`, t)).join(", ',', ")}, chr(10))`
      : `concat(${names.map((n, i) => `'${`${i ? ',' : '{'}${JSON.stringify(n)}:`.replaceAll("'", "''")}', coalesce(t${i}, 'null')`).join(', ')}, '}', chr(10))`;
  // Each text once, in its own projection: the next reads it more than once.
  const texts = `SELECT *, ${cells.map((c, i) => `${c.text} AS t${i}`).join(', ')} FROM (${sql}) AS q(${columns})`;
  const risky = risks.length ? risks.join(' OR ') : 'false';
  return `SELECT CASE WHEN __risky THEN NULL ELSE ${line} END AS line, CASE WHEN __risky THEN ${row} END AS row
    FROM (SELECT *, ${risky} AS __risky FROM (${texts}))`;
}
