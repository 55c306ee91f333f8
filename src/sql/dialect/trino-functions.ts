/**
 * Trino's functions (Athena engine v3) in DuckDB terms. Each entry says what DuckDB runs for a
 * Trino call: a rename when only the name differs, a `trino_*` macro when the semantics
 * differ (NULL for JSON objects in `json_extract_scalar`, `date_diff` counting whole units,
 * `split_part` past the end), or a tree rewrite when the arguments must change (date formats
 * translated, `element_at` as a subscript). Functions with the same name and meaning in both
 * (`date_trunc`, `count_if`, `strpos`, `lower`...) are not listed: they pass through.
 *
 * Calls are rewritten on DuckDB's parse tree, never on SQL text.
 */
import {
  castTo,
  comparison,
  constantValue,
  functionCall,
  integerConstant,
  isNode,
  locationOf,
  nullConstant,
  varcharConstant,
  type AstNode,
} from '../sql-ast.js';
import { DateFormatError, jodaToStrftime, mysqlToStrftime } from './datetime-format.js';

/** A call this dialect cannot translate (wrong arguments, a format it cannot read). */
export class DialectError extends Error {
  override readonly name = 'DialectError';
  constructor(
    message: string,
    /** Offset in the statement. */
    readonly at: number | undefined,
  ) {
    super(message);
  }
}

export interface FunctionTranslation {
  /** Argument counts Trino accepts and this translation supports. */
  readonly arity: readonly number[];
  /** The DuckDB expression for a call, given its arguments (already translated). */
  readonly translate: (args: AstNode[], call: AstNode) => AstNode;
}

/** The text of the failing cast that stands for Trino's "Division by zero" (engine-error.ts names it). */
export const DIVISION_BY_ZERO = 'Division by zero';

/**
 * Helper macros. Names start with `trino_` so they never shadow DuckDB's own functions,
 * which trailscope's internal SQL still uses.
 */
const TRINO_MACRO_STATEMENTS: readonly string[] = [
  // Trino returns NULL for invalid JSON, and json_extract_scalar NULL for objects/arrays.
  // try() gives that NULL with one parse of the text, where json_valid() would be a second
  // (and json_type() a third); a path that is not a constant and not valid gives NULL too.
  `CREATE OR REPLACE MACRO trino_json_extract(j, p) AS try(json_extract(j, p))`,
  // json_value: the scalar's JSON text (NULL for objects and arrays); '$' unquotes it.
  `CREATE OR REPLACE MACRO trino_json_extract_scalar(j, p) AS json_extract_string(try(json_value(j, p)), '$')`,
  // CAST(json AS varchar): a JSON string's value, unquoted, a number's or boolean's text.
  `CREATE OR REPLACE MACRO trino_json_to_varchar(j) AS json_extract_string(j, '$')`,
  `CREATE OR REPLACE MACRO trino_json_exists(j, p) AS CASE WHEN j IS NOT NULL THEN coalesce(try(json_exists(j, p)), false) END`,
  `CREATE OR REPLACE MACRO trino_json_array_length(j) AS
     CASE WHEN json_valid(j) AND json_type(j) = 'ARRAY' THEN CAST(json_array_length(j) AS BIGINT) END`,
  `CREATE OR REPLACE MACRO trino_json_size(j, p) AS
     CASE WHEN json_valid(j) THEN CASE json_type(j, p) WHEN 'OBJECT' THEN CAST(len(json_keys(j, p)) AS BIGINT)
       WHEN 'ARRAY' THEN CAST(json_array_length(j, p) AS BIGINT) WHEN NULL THEN NULL ELSE CAST(0 AS BIGINT) END END`,
  `CREATE OR REPLACE MACRO trino_json_array_contains(j, v) AS
     CASE WHEN json_valid(j) AND json_type(j) = 'ARRAY' THEN list_contains(CAST(json_extract(j, '$[*]') AS VARCHAR[]), CAST(to_json(v) AS VARCHAR)) END`,
  `CREATE OR REPLACE MACRO trino_interval(unit, n) AS CASE lower(unit)
     WHEN 'millisecond' THEN to_milliseconds(n) WHEN 'second' THEN to_seconds(n) WHEN 'minute' THEN to_minutes(n)
     WHEN 'hour' THEN to_hours(n) WHEN 'day' THEN to_days(CAST(n AS INTEGER)) WHEN 'week' THEN to_weeks(CAST(n AS INTEGER))
     WHEN 'month' THEN to_months(CAST(n AS INTEGER)) WHEN 'quarter' THEN to_months(CAST(n * 3 AS INTEGER))
     WHEN 'year' THEN to_years(CAST(n AS INTEGER))
     ELSE error('date_add: unknown unit ''' || unit || ''' (millisecond, second, minute, hour, day, week, month, quarter, year)') END`,
  `CREATE OR REPLACE MACRO trino_date_diff(unit, a, b) AS date_sub(lower(unit), a, b)`,
  `CREATE OR REPLACE MACRO trino_regexp_extract(s, p) AS CASE WHEN regexp_matches(s, p) THEN regexp_extract(s, p) END,
     (s, p, g) AS CASE WHEN regexp_matches(s, p) THEN regexp_extract(s, p, g) END`,
  `CREATE OR REPLACE MACRO trino_regexp_replace(s, p) AS regexp_replace(s, p, '', 'g'),
     (s, p, r) AS regexp_replace(s, p, regexp_replace(r, '\\$(\\d)', '\\\\\\1', 'g'), 'g')`,
  `CREATE OR REPLACE MACRO trino_split_part(s, d, i) AS string_split(s, d)[i]`,
  // IPv4 only: an address as a number, and whether it lies in a CIDR block ('10.0.0.0/8').
  `CREATE OR REPLACE MACRO trino_ipv4(ip) AS CASE WHEN regexp_full_match(ip, '(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})') THEN
     (CAST(split_part(ip, '.', 1) AS BIGINT) << 24) + (CAST(split_part(ip, '.', 2) AS BIGINT) << 16)
     + (CAST(split_part(ip, '.', 3) AS BIGINT) << 8) + CAST(split_part(ip, '.', 4) AS BIGINT) END`,
  `CREATE OR REPLACE MACRO trino_cidr_contains(block, ip) AS
     trino_ipv4(ip) >> (32 - CAST(split_part(block, '/', 2) AS INTEGER)) = trino_ipv4(split_part(block, '/', 1)) >> (32 - CAST(split_part(block, '/', 2) AS INTEGER))`,
  `CREATE OR REPLACE MACRO trino_regexp_count(s, p) AS CAST(len(regexp_extract_all(s, p)) AS BIGINT)`,
  `CREATE OR REPLACE MACRO trino_array_join(a, d) AS array_to_string(a, d),
     (a, d, r) AS array_to_string(list_transform(a, lambda x: coalesce(CAST(x AS VARCHAR), r)), d)`,
  `CREATE OR REPLACE MACRO trino_array_position(a, x) AS coalesce(list_position(a, x), 0)`,
  `CREATE OR REPLACE MACRO trino_slice(a, s, n) AS CASE WHEN s > 0 THEN list_slice(a, s, s + n - 1) ELSE list_slice(a, len(a) + s + 1, len(a) + s + n) END`,
  // map_agg keeps one value of a key given twice (DuckDB's maps refuse duplicate keys) and skips
  // NULL keys: the entries sorted, each kept unless its key is the one before's (paired with the
  // list shifted by one, so each step looks at its own pair: O(n log n) in all).
  `CREATE OR REPLACE MACRO trino_map_agg(k, v) AS CASE WHEN count(*) > 0 THEN map_from_entries(list_transform(list_filter(
     list_zip(list_sort(list({'key': k, 'value': v}) FILTER (WHERE k IS NOT NULL)),
              list_prepend(NULL, list_sort(list({'key': k, 'value': v}) FILTER (WHERE k IS NOT NULL))), true),
     lambda p: p[2] IS NULL OR p[1].key IS DISTINCT FROM p[2].key), lambda p: p[1])) END`,
  `CREATE OR REPLACE MACRO trino_array_remove(a, x) AS list_filter(a, lambda e: e IS DISTINCT FROM x)`,
  // Trino keeps the first of each value in its place; DuckDB's list_distinct does not keep order.
  `CREATE OR REPLACE MACRO trino_array_distinct(a) AS list_filter(a, lambda x, i: list_position(a, x) = i)`,
  // Trino fails an integer division by zero; DuckDB gives NULL, which would pass unnoticed.
  // The failure is a cast that cannot succeed, not error(): that is volatile, which TRY refuses,
  // and try(a / b) is how Athena queries ask for NULL instead.
  `CREATE OR REPLACE MACRO trino_divide(a, b) AS
     CASE WHEN b = 0 AND typeof(a / b) NOT IN ('DOUBLE', 'FLOAT') THEN CAST('${DIVISION_BY_ZERO}' AS INTEGER) ELSE a / b END`,
  `CREATE OR REPLACE MACRO trino_modulus(a, b) AS
     CASE WHEN b = 0 AND typeof(a % b) NOT IN ('DOUBLE', 'FLOAT') THEN CAST('${DIVISION_BY_ZERO}' AS INTEGER) ELSE a % b END`,
  `CREATE OR REPLACE MACRO trino_to_iso8601(t) AS strftime(CAST(t AS TIMESTAMPTZ), '%Y-%m-%dT%H:%M:%S.%gZ')`,
];

/** Each helper macro's name and the statement that defines it. */
export const TRINO_MACROS: ReadonlyMap<string, string> = new Map(
  TRINO_MACRO_STATEMENTS.map((sql) => [/^CREATE OR REPLACE MACRO (\w+)/.exec(sql)![1]!, sql]),
);

const rename =
  (to: string, keep?: number) =>
  (args: AstNode[], call: AstNode): AstNode => ({
    ...call,
    function_name: to,
    schema: '',
    children: keep === undefined ? args : args.slice(0, keep),
  });

const macro = (name: string) => rename(`trino_${name}`);

/**
 * A Trino JSONPath in DuckDB's words: `$["key"]` (Trino's quoting) becomes `$."key"`.
 * Paths that are not literals pass unchanged.
 */
export function duckdbJsonPath(path: string): string {
  return path.replace(/\[\s*"((?:[^"\\]|\\.)*)"\s*\]/g, (_, key: string) => `."${key}"`);
}

const withJsonPath =
  (name: string, pathIndex: number) =>
  (args: AstNode[], call: AstNode): AstNode => {
    const path = args[pathIndex];
    const value = path ? constantValue(path) : undefined;
    const fixed = typeof value === 'string' ? args.map((a, i) => (i === pathIndex ? varcharConstant(duckdbJsonPath(value)) : a)) : args;
    return macro(name)(fixed, call);
  };

/** A SQL/JSON function's arguments with its path (`lax $.a`, `strict $.a`) as DuckDB's JSONPath. */
function sqlJsonArgs([json, path]: AstNode[]): AstNode[] {
  const value = constantValue(path!);
  if (typeof value !== 'string') return [json!, path!];
  return [json!, varcharConstant(duckdbJsonPath(value.replace(/^\s*(?:lax|strict)\s+/i, '')))];
}

/** A date stays a date after `date_add` (DuckDB would make it a timestamp). */
function isDate(node: AstNode | undefined): boolean {
  return node?.class === 'CAST' && isNode(node.cast_type) && node.cast_type.id === 'DATE';
}

const cast =
  (typeId: string) =>
  ([x]: AstNode[]): AstNode =>
    castTo(x!, typeId);

function literalFormat(node: AstNode | undefined, fn: string, translate: (f: string) => string): AstNode {
  const value = node ? constantValue(node) : undefined;
  if (typeof value !== 'string') throw new DialectError(`${fn}: the format must be a string literal`, node ? locationOf(node) : undefined);
  try {
    return varcharConstant(translate(value));
  } catch (e) {
    if (e instanceof DateFormatError) throw new DialectError(`${fn}: ${e.message}`, locationOf(node!));
    throw e;
  }
}

const formatted =
  (fn: string, to: string, translate: (f: string) => string, then?: string) =>
  ([value, format]: AstNode[]): AstNode => {
    const pattern = literalFormat(format, fn, translate);
    // Joda's Z reads `Z` for UTC as well as an offset; strptime's %z only an offset.
    const utcZ = to === 'strptime' && String(constantValue(pattern)).includes('%z');
    const text = utcZ ? functionCall('regexp_replace', [value!, varcharConstant('Z$'), varcharConstant('+00:00')]) : value!;
    const out = functionCall(to, [text, pattern]);
    return then ? castTo(out, then) : out;
  };

/** ISO 8601 times DuckDB's cast does not read, as it reads them: minutes without seconds (`2026-10-30T00:00Z`). */
function iso8601([value]: AstNode[]): AstNode {
  const text = constantValue(value!);
  const m = typeof text === 'string' ? /^(\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2})(Z|[+-]\d{2}(?::?\d{2})?)?$/.exec(text.trim()) : null;
  return castTo(m ? varcharConstant(`${m[1]}:00${m[2] ?? ''}`) : value!, 'TIMESTAMP WITH TIME ZONE');
}

export const TRINO_FUNCTIONS: ReadonlyMap<string, FunctionTranslation> = new Map<string, FunctionTranslation>([
  // JSON
  ['json_extract', { arity: [2], translate: withJsonPath('json_extract', 1) }],
  ['json_extract_scalar', { arity: [2], translate: withJsonPath('json_extract_scalar', 1) }],
  ['json_array_length', { arity: [1], translate: macro('json_array_length') }],
  ['json_size', { arity: [2], translate: withJsonPath('json_size', 1) }],
  ['json_array_contains', { arity: [2], translate: macro('json_array_contains') }],
  ['json_parse', { arity: [1], translate: rename('json') }],
  // SQL/JSON (Athena engine v3), with their defaults: NULL (json_exists: false) on error.
  ['json_value', { arity: [2], translate: (args, call) => macro('json_extract_scalar')(sqlJsonArgs(args), call) }],
  ['json_query', { arity: [2], translate: (args, call) => castTo(macro('json_extract')(sqlJsonArgs(args), call), 'VARCHAR') }],
  ['json_exists', { arity: [2], translate: (args, call) => macro('json_exists')(sqlJsonArgs(args), call) }],
  ['json_format', { arity: [1], translate: cast('VARCHAR') }],
  // Dates and times
  ['from_iso8601_timestamp', { arity: [1], translate: iso8601 }],
  ['from_iso8601_date', { arity: [1], translate: cast('DATE') }],
  ['to_iso8601', { arity: [1], translate: macro('to_iso8601') }],
  ['date_parse', { arity: [2], translate: formatted('date_parse', 'strptime', mysqlToStrftime) }],
  ['date_format', { arity: [2], translate: formatted('date_format', 'strftime', mysqlToStrftime) }],
  ['parse_datetime', { arity: [2], translate: formatted('parse_datetime', 'strptime', jodaToStrftime, 'TIMESTAMP WITH TIME ZONE') }],
  ['format_datetime', { arity: [2], translate: formatted('format_datetime', 'strftime', jodaToStrftime) }],
  ['to_unixtime', { arity: [1], translate: rename('epoch') }],
  ['with_timezone', { arity: [2], translate: ([t, zone], call) => rename('timezone')([zone!, t!], call) }],
  ['at_timezone', { arity: [2], translate: ([t, zone], call) => rename('timezone')([zone!, t!], call) }],
  ['current_timezone', { arity: [0], translate: () => varcharConstant('UTC') }],
  ['from_unixtime', { arity: [1], translate: rename('to_timestamp') }],
  [
    'date_add',
    {
      arity: [3],
      translate: ([unit, n, t]) => {
        const sum = { ...functionCall('+', [t!, functionCall('trino_interval', [unit!, n!])]), is_operator: true };
        return isDate(t) ? castTo(sum, 'DATE') : sum;
      },
    },
  ],
  ['date_diff', { arity: [3], translate: macro('date_diff') }],
  ['day_of_week', { arity: [1], translate: rename('isodow') }],
  ['dow', { arity: [1], translate: rename('isodow') }],
  ['day_of_year', { arity: [1], translate: rename('dayofyear') }],
  ['doy', { arity: [1], translate: rename('dayofyear') }],
  ['day_of_month', { arity: [1], translate: rename('day') }],
  ['year_of_week', { arity: [1], translate: rename('isoyear') }],
  // Aggregates (renamed, so FILTER, DISTINCT and OVER keep working)
  // DuckDB's approx_count_distinct keeps a 64-register sketch: 10-25% off (79 source IPs
  // counted as 71), where Athena's standard error is 2.3%. The exact count is within any
  // error bound Trino takes, and costs about twice the sketch over 10M distinct values.
  ['approx_distinct', { arity: [1, 2], translate: (args, call) => ({ ...rename('count', 1)(args, call), distinct: true }) }],
  ['approx_percentile', { arity: [2], translate: rename('approx_quantile') }],
  ['arbitrary', { arity: [1], translate: rename('any_value') }],
  ['every', { arity: [1], translate: rename('bool_and') }],
  // DuckDB's count_if is NULL where every condition is NULL (a group with no errorcode at all);
  // Trino counts 0. count() of a CASE keeps FILTER and OVER.
  ['count_if', { arity: [1], translate: ([condition], call) => rename('count')([whenThen(condition!, integerConstant(1))], call) }],
  ['set_agg', { arity: [1], translate: (args, call) => ({ ...rename('list')(args, call), distinct: true }) }],
  ['map_agg', { arity: [2], translate: macro('map_agg') }],
  // Strings and regular expressions
  ['regexp_like', { arity: [2], translate: rename('regexp_matches') }],
  ['regexp_split', { arity: [2], translate: rename('regexp_split_to_array') }],
  ['regexp_count', { arity: [2], translate: macro('regexp_count') }],
  [
    'replace',
    { arity: [2, 3], translate: (args, call) => rename('replace')(args.length === 2 ? [...args, varcharConstant('')] : args, call) },
  ],
  ['codepoint', { arity: [1], translate: rename('unicode') }],
  ['hamming_distance', { arity: [2], translate: rename('hamming') }],
  ['to_utf8', { arity: [1], translate: rename('encode') }],
  ['from_utf8', { arity: [1], translate: rename('decode') }],
  ['regexp_extract', { arity: [2, 3], translate: macro('regexp_extract') }],
  ['regexp_replace', { arity: [2, 3], translate: macro('regexp_replace') }],
  ['split', { arity: [2], translate: rename('string_split') }],
  ['split_part', { arity: [3], translate: macro('split_part') }],
  ['levenshtein_distance', { arity: [2], translate: rename('levenshtein') }],
  ['format', { arity: [1, 2, 3, 4, 5, 6, 7, 8], translate: rename('printf') }],
  // Arrays and maps
  ['cardinality', { arity: [1], translate: (args, call) => rename(isMapValued(args[0]!) ? 'cardinality' : 'len')(args, call) }],
  ['element_at', { arity: [2], translate: ([x, i]) => ({ class: 'OPERATOR', type: 'ARRAY_EXTRACT', alias: '', children: [x!, i!] }) }],
  [
    'contains',
    {
      arity: [2],
      // contains('10.0.0.0/8', CAST(ip AS IPADDRESS)) is Athena's test of an address in a block.
      translate: (args, call) =>
        /^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/.test(String(constantValue(args[0]!)))
          ? macro('cidr_contains')(args, call)
          : rename('list_contains')(args, call),
    },
  ],
  ['array_join', { arity: [2, 3], translate: macro('array_join') }],
  ['array_position', { arity: [2], translate: macro('array_position') }],
  ['array_distinct', { arity: [1], translate: macro('array_distinct') }],
  ['array_sort', { arity: [1], translate: rename('list_sort') }],
  ['array_max', { arity: [1], translate: rename('list_max') }],
  ['array_min', { arity: [1], translate: rename('list_min') }],
  ['slice', { arity: [3], translate: macro('slice') }],
  ['transform', { arity: [2], translate: rename('list_transform') }],
  ['filter', { arity: [2], translate: rename('list_filter') }],
  ['any_match', { arity: [2], translate: (args) => matching(args, 'any') }],
  ['all_match', { arity: [2], translate: (args) => matching(args, 'all') }],
  ['none_match', { arity: [2], translate: (args) => matching(args, 'none') }],
  ['array_remove', { arity: [2], translate: macro('array_remove') }],
  ['sequence', { arity: [2, 3], translate: rename('generate_series') }],
  // Numbers
  ['/', { arity: [2], translate: (args) => functionCall('trino_divide', args) }],
  ['%', { arity: [2], translate: (args) => functionCall('trino_modulus', args) }],
  ['rand', { arity: [0], translate: rename('random') }],
  ['nan', { arity: [0], translate: () => castTo(varcharConstant('NaN'), 'DOUBLE') }],
  ['infinity', { arity: [0], translate: () => castTo(varcharConstant('Infinity'), 'DOUBLE') }],
  ['is_nan', { arity: [1], translate: rename('isnan') }],
  ['is_finite', { arity: [1], translate: rename('isfinite') }],
  ['is_infinite', { arity: [1], translate: rename('isinf') }],
  ['bitwise_and', { arity: [2], translate: operator('&') }],
  ['bitwise_or', { arity: [2], translate: operator('|') }],
  ['bitwise_xor', { arity: [2], translate: rename('xor') }],
  ['bitwise_not', { arity: [1], translate: operator('~') }],
  ['last_day_of_month', { arity: [1], translate: rename('last_day') }],
]);

/** `CASE WHEN condition THEN value END`. */
function whenThen(condition: AstNode, value: AstNode): AstNode {
  return {
    class: 'CASE',
    type: 'CASE_EXPR',
    alias: '',
    case_checks: [{ when_expr: condition, then_expr: value }],
    else_expr: nullConstant(),
  };
}

/**
 * Whether an expression is a map, as far as its form tells: DuckDB's functions for maps and
 * for lists differ (`cardinality` takes only maps, `len` only lists), and the parse tree has
 * no types. A cast to a map, a map built by a function, or the table's one map column.
 */
export function isMapValued(node: AstNode): boolean {
  if (node.class === 'CAST') return isNode(node.cast_type) && node.cast_type.id === 'MAP';
  if (node.class === 'FUNCTION')
    return ['map', 'map_from_entries', 'trino_map_agg', 'map_concat'].includes(String(node.function_name).toLowerCase());
  if (node.class === 'COLUMN_REF' && Array.isArray(node.column_names)) {
    return node.column_names
      .map((n) => String(n).toLowerCase())
      .join('.')
      .endsWith('webidfederationdata.attributes');
  }
  return false;
}

/** `any_match`, `all_match`, `none_match`: how many elements the predicate holds for, compared. */
function matching([array, predicate]: AstNode[], kind: 'any' | 'all' | 'none'): AstNode {
  const matches = functionCall('len', [functionCall('list_filter', [array!, predicate!])]);
  if (kind === 'all') return comparison('COMPARE_EQUAL', matches, functionCall('len', [array!]));
  return comparison(kind === 'any' ? 'COMPARE_GREATERTHAN' : 'COMPARE_EQUAL', matches, integerConstant(0));
}

function operator(op: string) {
  return (args: AstNode[]): AstNode => ({ ...functionCall(op, args), is_operator: true });
}

/** Trino names users may mean, for "did you mean" when a function is unknown. */
export const TRINO_FUNCTION_NAMES: readonly string[] = [
  ...TRINO_FUNCTIONS.keys(),
  'current_timestamp',
  'now',
  'date_trunc',
  'count_if',
  'strpos',
  'try',
  'try_cast',
  'lower',
  'upper',
  'substr',
  'length',
  'concat',
  'coalesce',
  'max_by',
  'min_by',
  'array_agg',
  'histogram',
  'map_keys',
  'map_values',
];

/** Translates one call, checking its argument count; `undefined` when Trino and DuckDB agree. */
export function translateCall(call: AstNode, name: string, args: AstNode[]): AstNode | undefined {
  const translation = TRINO_FUNCTIONS.get(name);
  if (!translation) return undefined;
  if (!translation.arity.includes(args.length)) {
    const counts = translation.arity.join(' or ');
    throw new DialectError(
      `${name}() takes ${counts} argument${translation.arity.at(-1) === 1 ? '' : 's'}, not ${args.length}`,
      locationOf(call),
    );
  }
  return translation.translate(args, call);
}
