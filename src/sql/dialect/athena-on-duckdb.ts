/**
 * Athena engine v3 (Trino) SQL on DuckDB. Where the two engines differ, Trino wins:
 *
 * - `7 / 2` is 3 (`integer_division`), NULLs sort last in both directions, times are UTC;
 * - Trino functions are translated (`trino-functions.ts`);
 * - a result column without a name is `_col0`, `_col1`, ... as Athena names it.
 *
 * `LIKE` is case-sensitive and identifiers (struct fields included) case-insensitive in both
 * engines already.
 */
import type { JsonValue, QueryResult } from '../../engine/duckdb-engine.js';
import {
  EMPTY_FROM,
  castTo,
  constantValue,
  functionCall,
  isNode,
  selectNode,
  transformTree,
  varcharConstant,
  type AstNode,
  type ParsedStatement,
} from '../sql-ast.js';
import type { SqlDialect } from './dialect.js';
import { TRINO_FUNCTION_NAMES, TRINO_MACROS, isMapValued, translateCall } from './trino-functions.js';

const SETTINGS = [`SET integer_division = true`, `SET TimeZone = 'UTC'`, `SET default_null_order = 'nulls_last'`];

/**
 * Trino's UNNEST forms DuckDB's table function does not take: an array of rows with one alias
 * per field (`UNNEST(resources) AS t(arn, accountid, type)` gives three columns), and several
 * arrays side by side (`UNNEST(a, b) AS t(x, y)`). Both become a lateral subquery.
 * `UNNEST(resources) AS t(r)` (one struct column) is DuckDB's own behaviour already.
 */
function translateUnnest(ref: AstNode): AstNode {
  const fn = isNode(ref.function) ? ref.function : undefined;
  if (!fn || String(fn.function_name).toLowerCase() !== 'unnest' || ref.with_ordinality === 'WITH_ORDINALITY') return ref;
  // A map unnests to its key and value, as rows of two fields do.
  const args = (Array.isArray(fn.children) ? (fn.children.filter(isNode) as AstNode[]) : []).map((a) =>
    isMapValued(a) ? functionCall('map_entries', [a]) : a,
  );
  const aliases = Array.isArray(ref.column_name_alias) ? ref.column_name_alias : [];
  const unnest = (arg: AstNode, alias = '') => ({ ...functionCall('unnest', [arg]), alias });
  let select: AstNode;
  if (args.length > 1)
    select = selectNode(
      args.map((a) => unnest(a)),
      EMPTY_FROM,
    );
  else if (args.length === 1 && aliases.length > 1) {
    const rows = {
      type: 'SUBQUERY',
      alias: '',
      sample: null,
      subquery: { node: selectNode([unnest(args[0]!, '__row')], EMPTY_FROM), named_param_map: [] },
      column_name_alias: [],
    };
    const star = {
      class: 'STAR',
      type: 'STAR',
      alias: '',
      relation_name: '__row',
      exclude_list: [],
      replace_list: [],
      columns: false,
      expr: null,
      qualified_exclude_list: [],
      rename_list: [],
    };
    select = selectNode([star], rows);
  } else return ref;
  return {
    type: 'SUBQUERY',
    alias: ref.alias ?? '',
    sample: null,
    subquery: { node: select, named_param_map: [] },
    column_name_alias: aliases,
  };
}

/** Whether a (translated) expression's value is DuckDB's JSON type: a JSON literal, a cast to it, `json_extract`, `json_parse`. */
function isJsonValued(node: AstNode): boolean {
  if (node.class === 'FUNCTION') return ['trino_json_extract', 'json'].includes(String(node.function_name).toLowerCase());
  if (node.class !== 'CAST' || !isNode(node.cast_type)) return false;
  const type = node.cast_type;
  return type.id === 'JSON' || (type.id === 'UNBOUND' && isNode(type.type_info) && String(type.type_info.name).toLowerCase() === 'json');
}

/** A time literal's zone: an offset, `UTC`, `Z` or a region name such as `America/New_York`. */
const WITH_ZONE =
  /^(\d{4}-\d{2}-\d{2})[ T](\d{1,2}:\d{2})(:\d{2}(?:\.\d+)?)?\s*([+-]\d{2}(?::?\d{2})?|Z|UTC|(?<=\s)[A-Za-z]+\/[A-Za-z_/+-]+)$/;

/**
 * `CAST(json_extract(...) AS varchar)` is the value of a JSON string in Trino (`x`), its JSON
 * text in DuckDB (`"x"`): the usual `cast(json_extract(...) as varchar) = 'x'` would match nothing.
 */
function translateCast(node: AstNode): AstNode {
  if (!isNode(node.cast_type) || !isNode(node.child)) return node;
  // `timestamp '2026-10-30 00:00 America/New_York'` is a time with zone in Trino, an error in DuckDB.
  const zoned = node.cast_type.id === 'TIMESTAMP' ? WITH_ZONE.exec(String(constantValue(node.child)).trim()) : null;
  if (zoned) {
    // As DuckDB reads it: seconds always, an offset right after them, a zone name after a space.
    const [, day, minutes, seconds, zone] = zoned as unknown as string[];
    const text = `${day} ${minutes}${seconds ?? ':00'}${/^[+-]/.test(zone!) ? zone : zone === 'Z' ? '+00:00' : ` ${zone}`}`;
    return { ...castTo(varcharConstant(text), 'TIMESTAMP WITH TIME ZONE'), alias: node.alias ?? '' };
  }
  if (node.cast_type.id !== 'VARCHAR' || !isJsonValued(node.child)) return node;
  const call = functionCall('trino_json_to_varchar', [node.child]);
  return { ...call, alias: node.alias ?? '', ...(node.query_location !== undefined ? { query_location: node.query_location } : {}) };
}

function translateNode(node: AstNode): AstNode {
  if (node.type === 'TABLE_FUNCTION') return translateUnnest(node);
  if (node.class === 'CAST') return translateCast(node);
  if (node.class !== 'FUNCTION' && node.class !== 'WINDOW') return node;
  const name = typeof node.function_name === 'string' ? node.function_name.toLowerCase() : undefined;
  if (!name || (typeof node.schema === 'string' && node.schema !== '' && node.schema !== 'main')) return node;
  const args = Array.isArray(node.children) ? (node.children.filter(isNode) as AstNode[]) : [];
  const translated = translateCall(node, name, args);
  if (!translated) return node;
  return { ...translated, alias: node.alias ?? '', ...(node.query_location !== undefined ? { query_location: node.query_location } : {}) };
}

/** The select list that names a query's result: the leftmost SELECT of a set operation. */
function resultSelect(node: AstNode): AstNode | undefined {
  if (node.type === 'SELECT_NODE') return node;
  if (node.type === 'SET_OPERATION_NODE') {
    const left = node.left ?? (Array.isArray(node.children) ? node.children[0] : undefined);
    return isNode(left) ? resultSelect(left) : undefined;
  }
  return undefined;
}

/** Names unnamed expressions `_col<i>`, as Athena does (columns keep their own names). */
function nameResultColumns(node: AstNode): void {
  const select = resultSelect(node);
  if (!select || !Array.isArray(select.select_list)) return;
  const items = select.select_list.filter(isNode) as AstNode[];
  if (items.some((e) => e.class === 'STAR')) return;
  items.forEach((e, i) => {
    if (e.alias) return;
    if (e.class === 'COLUMN_REF') return;
    e.alias = `_col${i}`;
  });
}

const TIMESTAMP = /^(\d{4,}-\d{2}-\d{2} \d{2}:\d{2}:\d{2})(?:\.(\d+))?(?:([+-]\d{2}(?::?\d{2})?))?$/;

/** `2017-05-18 10:00:00+00` as Trino prints a timestamp(3) with time zone: `2017-05-18 10:00:00.000 UTC`. */
function athenaTimestamp(value: JsonValue, withZone: boolean): JsonValue {
  if (typeof value !== 'string') return value;
  const m = TIMESTAMP.exec(value);
  if (!m) return value;
  const fraction = (m[2] ?? '').padEnd(3, '0');
  const zone = !withZone ? '' : !m[3] || /^[+-]00(:?00)?$/.test(m[3]) ? ' UTC' : ` ${m[3]}`;
  return `${m[1]}.${fraction.length > 3 ? fraction.padEnd(6, '0') : fraction}${zone}`;
}

export const athenaOnDuckDB: SqlDialect = {
  name: 'athena-on-duckdb',
  sessionSetup: SETTINGS,
  helperFunctions: TRINO_MACROS,
  prunesFiles: true,
  functionNames: TRINO_FUNCTION_NAMES,
  translate(statement: ParsedStatement): ParsedStatement {
    const translated = transformTree(statement as unknown as AstNode, translateNode) as unknown as ParsedStatement;
    nameResultColumns(translated.node);
    return translated;
  },
  presentResult(result: QueryResult): QueryResult {
    const timestamps: Array<[string, boolean]> = [];
    result.columns.forEach((c, i) => {
      if (result.types[i] === 'TIMESTAMP WITH TIME ZONE' || result.types[i] === 'TIMESTAMP')
        timestamps.push([c, result.types[i] !== 'TIMESTAMP']);
    });
    if (timestamps.length === 0) return result;
    const rows = result.rows.map((row) => {
      const out = { ...row };
      for (const [c, zone] of timestamps) out[c] = athenaTimestamp(row[c] ?? null, zone);
      return out;
    });
    return { ...result, rows };
  },
  explainError(message: string): string {
    return message.replace(/\btrino_(\w+)/g, '$1').replace(/\bcount_star\(\)/g, 'count(*)');
  },
};
