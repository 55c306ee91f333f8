/**
 * A query's rows as the CSV or JSON lines the CLI prints, made by DuckDB itself. Written from
 * rows in JavaScript, each line costs a `JSON.parse` of the row, a string per cell and, for
 * every struct or list, a `JSON.stringify` of what was just parsed; a day's `SELECT *` (38,520
 * rows, 60 MB of CSV) took 1.2 s that way and 0.7 s this way, all of M 23.8 s and 10.7 s.
 *
 * The text is byte for byte what `formatRows` (cli/result-format.ts) makes of `Engine.query`'s
 * values. CSV: NULL empty; text as it is; integers and booleans as JavaScript prints them;
 * structs, lists and maps as `JSON.stringify` writes them; a cell quoted, its quotes doubled,
 * when it holds a quote, a comma or a line break. JSON lines: one object per row, members in
 * the columns' order, values as `JSON.stringify` writes them. Types whose text would differ
 * give `undefined`, and the caller takes rows instead: floating point and decimals
 * (JavaScript prints numbers its own way), dates and timestamps (the dialect presents
 * timestamps as Athena prints them), and the rest `json-rows-query.ts` does not write.
 */
import type { DuckDBType } from '@duckdb/node-api';
import { duckdb } from './duckdb-module.js';
import { EXACT, MAP_KEY_TYPES, integerJsonSql } from './json-rows-query.js';

const Id = duckdb.DuckDBTypeId;

/** Types whose value JavaScript prints as DuckDB casts it to text (integers beyond 2^53 are the digits as a string). */
const AS_TEXT: ReadonlySet<number> = new Set([
  Id.VARCHAR,
  Id.UUID,
  Id.ENUM,
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
]);

/** A name JavaScript objects list before all others (an array index), so a parsed struct would not keep its fields' order. */
const isIndexKey = (name: string) => /^(0|[1-9]\d*)$/.test(name) && Number(name) < 2 ** 32 - 1;

/**
 * `JSON.stringify` of a string, in SQL. DuckDB's `to_json` writes the same, but for the
 * control characters U+000B, U+000E, U+000F and U+001A to U+001F, whose hex it writes in upper
 * case where JavaScript writes lower case: `exact` escapes one character at a time, for the
 * rare cell that has a `\u00` escape at all (see `cellText`).
 */
function jsonString(x: string, exact: boolean): string {
  if (!exact) return `CAST(to_json(CAST(${x} AS VARCHAR)) AS VARCHAR)`;
  const escapes: Array<[string, string]> = [
    ['chr(92)', `'\\\\'`],
    ['chr(34)', `'\\"'`],
    ...Array.from({ length: 32 }, (_, code): [string, string] => [
      `chr(${code})`,
      `'${JSON.stringify(String.fromCharCode(code)).slice(1, -1)}'`,
    ]),
  ];
  return `'"' || ${escapes.reduce((text, [from, to]) => `replace(${text}, ${from}, ${to})`, `CAST(${x} AS VARCHAR)`)} || '"'`;
}

/** SQL giving `JSON.stringify` of the converted value of `x` (NULL for NULL), or undefined when it cannot. */
function jsonText(x: string, type: DuckDBType, depth: number, exact: boolean): string | undefined {
  switch (type.typeId) {
    case Id.VARCHAR:
      return jsonString(x, exact);
    case Id.LIST:
    case Id.ARRAY: {
      const e = `__c${depth}`;
      const item = jsonText(e, type.valueType, depth + 1, exact);
      return (
        item &&
        `CASE WHEN ${x} IS NOT NULL THEN concat('[', array_to_string(list_transform(${x}, lambda ${e}: coalesce(${item}, 'null')), ','), ']') END`
      );
    }
    case Id.MAP: {
      // The converter makes a map an object keyed by `String(key)`, and JavaScript lists an
      // object's integer-like keys first, in ascending order: entries are sorted on that
      // index, or on 2^32 plus their position.
      if (!MAP_KEY_TYPES.has(type.keyType.typeId)) return undefined;
      const e = `__c${depth}`;
      const at = `__i${depth}`;
      const value = jsonText(`${e}.value`, type.valueType, depth + 1, exact);
      if (!value) return undefined;
      const key = `CAST(${e}.key AS VARCHAR)`;
      const order = `CASE WHEN regexp_full_match(${key}, '0|[1-9][0-9]{0,9}') AND CAST(${key} AS UBIGINT) < 4294967295 THEN CAST(${key} AS UBIGINT) ELSE 4294967296 + ${at} END`;
      const members = `list_sort(list_transform(map_entries(${x}), lambda ${e}, ${at}: {'o': ${order}, 'm': concat(${jsonString(key, exact)}, ':', coalesce(${value}, 'null'))}))`;
      return `CASE WHEN ${x} IS NOT NULL THEN concat('{', array_to_string(list_transform(${members}, lambda __m${depth}: __m${depth}.m), ','), '}') END`;
    }
    case Id.STRUCT: {
      if (type.entryNames.some(isIndexKey)) return undefined;
      const fields = type.entryTypes.map((t, i) => jsonText(`struct_extract_at(${x}, ${i + 1})`, t, depth + 1, exact));
      if (fields.some((f) => f === undefined)) return undefined;
      const members = fields.map(
        (f, i) => `'${`${i ? ',' : ''}${JSON.stringify(type.entryNames[i])}:`.replaceAll("'", "''")}', coalesce(${f}, 'null')`,
      );
      return `CASE WHEN ${x} IS NOT NULL THEN concat('{', ${members.join(', ')}, '}') END`;
    }
    default:
      return integerJsonSql(x, type);
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
 * SQL true where DuckDB's `to_json` of `x` may differ from `JSON.stringify` of its converted
 * value other than by an escape (which `cellText` finds in the text): a non-empty map
 * (JavaScript may reorder its keys) or an integer beyond 2^53 (JavaScript has it as a string).
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
 * SQL giving `JSON.stringify` of column `c{i}`'s value (NULL for NULL), from the row of
 * `c{i}` and `f{i}` (its `fast` text, DuckDB's `to_json`, right for nearly every row);
 * undefined when it cannot.
 */
function jsonValue(i: number, type: DuckDBType): { fast?: string; text: string } | undefined {
  const x = `c${i}`;
  if (type.typeId === Id.SQLNULL) return { text: 'NULL' };
  const integer = integerJsonSql(x, type);
  if (integer) return { text: integer };
  const isText = type.typeId === Id.VARCHAR || type.typeId === Id.UUID || type.typeId === Id.ENUM;
  const exact = isText ? jsonString(x, true) : jsonText(x, type, 0, true);
  if (!exact) return undefined;
  const risk = riskSql(x, type, 0);
  // `to_json` of a struct writes a JSON-typed field as the JSON it holds; the converter has its text.
  const fast = isText ? jsonString(x, false) : hasJsonField(type) ? jsonText(x, type, 0, false)! : `CAST(to_json(${x}) AS VARCHAR)`;
  // A `\u00` escape is a control character, or a backslash before "u00" in the text: both rare.
  return {
    fast,
    text: `CASE WHEN contains(f${i}, '\\u00')${risk ? ` OR ${risk}` : ''} THEN ${exact} ELSE f${i} END`,
  };
}

/** SQL giving the text of column `c{i}`'s CSV cell before quoting (NULL for NULL), as `jsonValue`; undefined when it cannot. */
function cellText(i: number, type: DuckDBType): { fast?: string; text: string } | undefined {
  if (AS_TEXT.has(type.typeId)) return { text: `CAST(c${i} AS VARCHAR)` };
  return type.typeId === Id.STRUCT ||
    type.typeId === Id.LIST ||
    type.typeId === Id.ARRAY ||
    type.typeId === Id.MAP ||
    type.typeId === Id.SQLNULL
    ? jsonValue(i, type)
    : undefined;
}

/** Text that never holds a quote, a comma or a line break: integers, booleans. */
const NEVER_QUOTED: ReadonlySet<number> = new Set([...AS_TEXT].filter((id) => id !== Id.VARCHAR && id !== Id.ENUM));

/**
 * SQL giving a cell's text quoted, its quotes doubled, when it holds a quote, a comma or a
 * line break; empty for NULL. The JSON of a struct always holds a quote (it has keys).
 */
function quoted(t: string, type: DuckDBType): string {
  if (NEVER_QUOTED.has(type.typeId) || type.typeId === Id.SQLNULL) return `coalesce(${t}, '')`;
  const quote = `'"' || replace(${t}, '"', '""') || '"'`;
  if (type.typeId === Id.STRUCT) return `coalesce(${quote}, '')`;
  // Four searches for a byte cost less than one regular expression.
  const special = `contains(${t}, '"') OR contains(${t}, ',') OR contains(${t}, chr(10)) OR contains(${t}, chr(13))`;
  return `coalesce(CASE WHEN ${special} THEN ${quote} ELSE ${t} END, '')`;
}

export type LineFormat = 'csv' | 'jsonl';

/**
 * The query that returns each row of `sql` as its line in `format`, newline included, in
 * `sql`'s order (projections keep it); undefined when a column's type prints differently
 * here, or (JSON lines) a column name is integer-like, which JavaScript would list first.
 * Each expression is computed once, in its own projection, as the next reads it more than once.
 */
export function linesQuery(sql: string, names: readonly string[], types: readonly DuckDBType[], format: LineFormat): string | undefined {
  if (format === 'jsonl' && names.some(isIndexKey)) return undefined;
  const values = types.map((t, i) => (format === 'csv' ? cellText(i, t) : jsonValue(i, t)));
  if (values.length === 0 || values.some((v) => v === undefined)) return undefined;
  const columns = types.map((_, i) => `c${i}`);
  const fast = values.flatMap((v, i) => (v!.fast ? [`${v!.fast} AS f${i}`] : []));
  const withFast = `SELECT *${fast.map((f) => `, ${f}`).join('')} FROM (${sql}) AS q(${columns.join(', ')})`;
  const texts = `SELECT ${values.map((v, i) => `${v!.text} AS t${i}`).join(', ')} FROM (${withFast})`;
  const line =
    format === 'csv'
      ? `concat(${types.map((t, i) => quoted(`t${i}`, t)).join(", ',', ")}, chr(10))`
      : `concat(${names.map((n, i) => `'${`${i ? ',' : '{'}${JSON.stringify(n)}:`.replaceAll("'", "''")}', coalesce(t${i}, 'null')`).join(', ')}, '}', chr(10))`;
  return `SELECT ${line} AS line FROM (${texts})`;
}
