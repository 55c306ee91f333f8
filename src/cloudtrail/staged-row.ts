/**
 * A lake row as one line of the text ingest stages for DuckDB, and the SQL that reads it back.
 *
 * Why not JSON lines: DuckDB spends more time parsing nested JSON than everything else in a
 * merge, and would parse `requestParameters` and the like only to print them again. Here
 * every struct is cut into its leaves, JSON-valued columns travel as the text they are, and
 * a line is fields split by a control character, which DuckDB's CSV reader takes apart at
 * several hundred MB/s. The SQL puts the structs back together.
 *
 * Field encoding: empty means NULL; a value holding a control character (or empty) is
 * wrapped in QUOTE with QUOTE doubled inside. JSON text never holds a raw control
 * character, so only odd plain strings (an `errorMessage` with a newline) are quoted.
 *
 * Most records take the fast path, `stagedRecordLine`, straight from the parsed record
 * with no intermediate row. A record it cannot vouch for (a field no column has, a number
 * where CloudTrail writes a string, lower-case keys...) goes through `toLakeRow`, which
 * also decides `raw`, and `stagedLakeRowLine`. Both give the same line for the same record.
 */
import { CLOUDTRAIL_COLUMNS, PARTITION_COLUMNS, sqlLiteral, structLeaves, type Column, type ColumnLeaf } from './athena-table.js';
import { BOOLEAN_FIELDS } from './raw-record.js';
import type { LakeRow, Partition } from './record.js';

const DELIMITER = '\x1f';
const QUOTE = '\x01';
// Control characters are the point here: they are what the format uses and must escape.
// eslint-disable-next-line no-control-regex
const NEEDS_QUOTES = /[\x00-\x1f]/;
// eslint-disable-next-line no-control-regex
const QUOTES = /\x01/g;

/** The staged fields of a row start with one per leaf of the column tree. */
const LEAVES = structLeaves();

/**
 * Staged fields after the leaves: `raw`, the log file's URI, then the partition values. The URI
 * is on every row rather than a number looked up in a table of the batch's log files: that
 * join cost a few ms of every partition's merge, most of the work for a partition of a few
 * hundred rows, and an organization trail of many accounts and regions has thousands of those.
 */
const TRAILER = ['raw', 'logfile', ...PARTITION_COLUMNS] as const;

function field(text: string): string {
  return text === '' || NEEDS_QUOTES.test(text) ? QUOTE + text.replace(QUOTES, QUOTE + QUOTE) + QUOTE : text;
}

/**
 * The column tree, prepared for the fast path: every field ends in DELIMITER, so a column
 * that is absent is `empty` (one DELIMITER per leaf), and a struct whose text equals its
 * `empty` had no value at all.
 */
interface PlainNode {
  readonly field: string;
  readonly kind: 'string' | 'boolean' | 'json' | 'map' | 'struct' | 'array';
  readonly empty: string;
  readonly children: readonly PlainNode[];
  /** Array elements' fields: [key in the record, lower-case key in the row]. */
  readonly elementFields: ReadonlyArray<readonly [string, string]>;
}

function plainNodes(columns: readonly Column[]): PlainNode[] {
  return columns.map((c) => {
    const children = c.type.kind === 'struct' ? plainNodes(c.type.fields) : [];
    return {
      field: c.field,
      kind: c.type.kind === 'string' && BOOLEAN_FIELDS.has(c.field) ? 'boolean' : c.type.kind,
      empty: children.length ? children.map((n) => n.empty).join('') : DELIMITER,
      children,
      elementFields: c.type.kind === 'array' ? c.type.element.fields.map((f) => [f.field, f.name] as const) : [],
    };
  });
}

const PLAIN_NODES = plainNodes(CLOUDTRAIL_COLUMNS);

/**
 * The fields of `nodes` taken from a record's object `value` (keys as CloudTrail writes
 * them), or undefined when the columns could not give the object back as it is, i.e. when
 * `toLakeRow` would store `raw`.
 */
function plainFields(value: Record<string, unknown>, nodes: readonly PlainNode[]): string | undefined {
  let matched = 0;
  let text = '';
  for (const node of nodes) {
    const v = value[node.field];
    if (v === undefined || v === null) {
      if (v === null) matched++;
      text += node.empty;
      continue;
    }
    matched++;
    switch (node.kind) {
      case 'string':
        if (typeof v !== 'string') return undefined;
        text += field(v) + DELIMITER;
        break;
      case 'boolean':
        // The rebuilt record has JSON booleans here (raw-record.ts); a string needs `raw`.
        if (typeof v !== 'boolean') return undefined;
        text += (v ? 'true' : 'false') + DELIMITER;
        break;
      case 'json':
        text += field(JSON.stringify(v)) + DELIMITER;
        break;
      case 'map': {
        if (typeof v !== 'object' || Array.isArray(v)) return undefined;
        for (const x of Object.values(v)) if (typeof x !== 'string') return undefined;
        text += field(JSON.stringify(v)) + DELIMITER;
        break;
      }
      case 'struct': {
        if (typeof v !== 'object' || Array.isArray(v)) return undefined;
        const inner = plainFields(v as Record<string, unknown>, node.children);
        if (inner === undefined) return undefined;
        // `{"type": null}` says more than nothing, and only `raw` can keep it.
        if (inner === node.empty && Object.keys(v).length > 0) return undefined;
        text += inner;
        break;
      }
      case 'array': {
        if (!Array.isArray(v)) return undefined;
        const elements: Array<Record<string, string>> = [];
        for (const e of v as unknown[]) {
          if (e === null || typeof e !== 'object' || Array.isArray(e)) return undefined;
          const lc: Record<string, string> = {};
          let keys = 0;
          let values = 0;
          for (const [key, name] of node.elementFields) {
            const x = (e as Record<string, unknown>)[key];
            if (x === undefined) continue;
            keys++;
            if (x === null) continue;
            if (typeof x !== 'string') return undefined;
            lc[name] = x;
            values++;
          }
          if (keys !== Object.keys(e).length || values === 0) return undefined;
          elements.push(lc);
        }
        text += field(JSON.stringify(elements)) + DELIMITER;
        break;
      }
    }
  }
  return matched === Object.keys(value).length ? text : undefined;
}

/** A log file's URI as a staged field: made once per file, written on each of its rows. */
export type StagedLogFile = string & { readonly __stagedLogFile: true };

export function stagedLogFile(uri: string): StagedLogFile {
  return field(uri) as StagedLogFile;
}

/**
 * The staged line of a record whose columns give it back exactly (so `raw` is NULL), or
 * undefined when the record needs `toLakeRow`.
 */
export function stagedRecordLine(record: Record<string, unknown>, logFile: StagedLogFile, partition: Partition): string | undefined {
  const leaves = plainFields(record, PLAIN_NODES);
  if (leaves === undefined) return undefined;
  // `raw` is empty (NULL): the columns are the record.
  return `${leaves}${DELIMITER}${logFile}${DELIMITER}${partition.account}${DELIMITER}${partition.region}${DELIMITER}${partition.year}${DELIMITER}${partition.month}${DELIMITER}${partition.day}`;
}

function rowLeaves(value: Record<string, unknown> | null, columns: readonly Column[], out: string[]) {
  for (const c of columns) {
    const v = value?.[c.name];
    if (c.type.kind === 'struct') {
      rowLeaves((v as Record<string, unknown> | null | undefined) ?? null, c.type.fields, out);
    } else if (v === null || v === undefined) {
      out.push('');
    } else {
      out.push(field(c.type.kind === 'string' || c.type.kind === 'json' ? (v as string) : JSON.stringify(v)));
    }
  }
}

/** The staged line of a row built by `toLakeRow` (its `logfile` is the log file's URI). */
export function stagedLakeRowLine(row: LakeRow): string {
  const out: string[] = [];
  rowLeaves(row, CLOUDTRAIL_COLUMNS, out);
  out.push(row.raw === null ? '' : field(row.raw), field(row.logfile), row.account, row.region, row.year, row.month, row.day);
  return out.join(DELIMITER);
}

function csvReader(files: readonly string[], columns: ReadonlyArray<readonly [string, string]>, maxLineBytes: number): string {
  const spec = `{${columns.map(([name, type]) => `${sqlLiteral(name)}: ${sqlLiteral(type)}`).join(', ')}}`;
  // buffer_size is set because DuckDB's default is 16× max_line_size; fresh memory is not free.
  return `read_csv([${files.map(sqlLiteral).join(', ')}], columns = ${spec}, header = false, auto_detect = false,
    delim = '${DELIMITER}', quote = '${QUOTE}', escape = '${QUOTE}', new_line = '\\n', nullstr = '', allow_quoted_nulls = false,
    max_line_size = ${maxLineBytes}, buffer_size = ${Math.max(1 << 20, 2 * maxLineBytes)}, strict_mode = true)`;
}

function leafSql(leaf: ColumnLeaf): string {
  const col = `"${leaf.name}"`;
  switch (leaf.type.kind) {
    case 'string':
    case 'json':
      return col;
    case 'map':
      return `from_json(${col}, '"MAP(VARCHAR, VARCHAR)"')`;
    case 'array': {
      const element = Object.fromEntries(leaf.type.element.fields.map((f) => [f.name, 'VARCHAR']));
      return `from_json(${col}, ${sqlLiteral(JSON.stringify([element]))})`;
    }
  }
}

function columnSql(c: Column, prefix: string): string {
  const name = `${prefix}${c.name}`;
  if (c.type.kind !== 'struct') return leafSql(LEAVES.find((l) => l.name === name)!);
  const here = `${name}.`;
  // A struct whose every leaf is NULL is NULL, as `toLakeRow` has it.
  const empty = LEAVES.filter((l) => l.name.startsWith(here))
    .map((l) => `"${l.name}" IS NULL`)
    .join(' AND ');
  return `CASE WHEN ${empty} THEN NULL ELSE {${c.type.fields.map((f) => `${sqlLiteral(f.name)}: ${columnSql(f, here)}`).join(', ')}} END`;
}

/**
 * A SELECT of lake rows (the file columns, `logfile` included, then the partition columns) from
 * staged files. `maxLineChars` bounds the longest line: DuckDB sizes its read buffers by it.
 */
export function stagedRowsSql(rowFiles: readonly string[], maxLineChars: number): string {
  const rowColumns = [...LEAVES.map((l) => [l.name, 'VARCHAR'] as const), ...TRAILER.map((t) => [t, 'VARCHAR'] as const)];
  // Characters to bytes: UTF-8 takes up to 3 bytes for a UTF-16 unit.
  return `SELECT ${CLOUDTRAIL_COLUMNS.map((c) => `${columnSql(c, '')} AS "${c.name}"`).join(', ')},
      s.raw, s.logfile, ${PARTITION_COLUMNS.map((p) => `s.${p}`).join(', ')}
    FROM ${csvReader(rowFiles, rowColumns, Math.max(1 << 20, maxLineChars * 3 + 1024))} AS s`;
}
