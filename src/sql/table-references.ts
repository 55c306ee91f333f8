/**
 * What a query reads. Walks the parse tree with CTE scoping and finds every table reference:
 * a lake table (resolved in the catalog), a CTE, or a table function. This is also the
 * gate that keeps user SQL inside the lake: a name that is neither a lake table nor a CTE is
 * an error (so `FROM '/etc/passwd'` is too), and only table functions that read no files
 * (`unnest`, `range`, `generate_series`) are allowed.
 *
 * For each lake reference it records the WHERE clause of the SELECT that reads it directly,
 * and which column qualifiers denote it, for pruning.
 */
import { isNode, locationOf, nodesOf, type AstNode, type ParsedStatement } from './sql-ast.js';
import { closest, sqlError } from './sql-error.js';
import { HIDDEN_COLUMNS } from './lake-scan.js';
import { qualifiedName, type LakeTable, type TableCatalog } from './table-catalog.js';

/** Table functions that read nothing but their arguments. */
const ALLOWED_TABLE_FUNCTIONS = new Set(['unnest', 'range', 'generate_series']);

const QUERY_NODES = new Set(['SELECT_NODE', 'SET_OPERATION_NODE', 'RECURSIVE_CTE_NODE', 'CTE_NODE']);

export interface LakeReference {
  /** The `BASE_TABLE` node, to be replaced by the table's scan. */
  readonly ref: AstNode;
  readonly table: LakeTable;
  /** The WHERE clause of the SELECT whose FROM holds the reference directly, if any. */
  readonly where: AstNode | undefined;
  /** Column qualifiers that mean this table (its alias, or its name). */
  readonly qualifiers: readonly string[];
  /** Whether unqualified columns in `where` are this table's (it is the only table in that FROM). */
  readonly ownsUnqualified: boolean;
}

interface Context {
  readonly catalog: TableCatalog;
  /** The user's whole script and where this statement starts in it, for error positions. */
  readonly script: string;
  /** The offset in the script of an offset in the parsed statement. */
  readonly locate: (at: number) => number;
  readonly found: LakeReference[];
}

/**
 * The lake references of a statement. Throws a located `SqlError` for an unknown table or a
 * forbidden table function.
 */
export function lakeReferences(
  statement: ParsedStatement,
  catalog: TableCatalog,
  script: string,
  locate: (at: number) => number,
): LakeReference[] {
  const ctx: Context = { catalog, script, locate, found: [] };
  visitQuery(statement.node, new Set(), ctx);
  return ctx.found;
}

function visitQuery(node: AstNode, ctes: ReadonlySet<string>, ctx: Context): void {
  const scope = new Set(ctes);
  const map = isNode(node.cte_map) && Array.isArray(node.cte_map.map) ? node.cte_map.map : [];
  for (const entry of map) if (isNode(entry)) scope.add(String(entry.key).toLowerCase());
  for (const entry of map) if (isNode(entry) && isNode(entry.value)) visitNested(entry.value, scope, ctx);

  if (node.type === 'SELECT_NODE') {
    const direct: Array<{ kind: 'lake' | 'other' | 'unnest'; ref?: AstNode; table?: LakeTable }> = [];
    if (isNode(node.from_table)) visitTableRef(node.from_table, scope, ctx, direct);
    const lake = direct.filter((d) => d.kind === 'lake');
    const producers = direct.filter((d) => d.kind !== 'unnest');
    const where = isNode(node.where_clause) ? node.where_clause : undefined;
    for (const d of lake) {
      const ref = d.ref!;
      const qualifiers = ref.alias ? [String(ref.alias)] : [String(ref.table_name)];
      ctx.found.push({ ref, table: d.table!, where, qualifiers, ownsUnqualified: producers.length === 1 });
    }
    for (const [k, v] of Object.entries(node))
      if (k !== 'from_table' && k !== 'cte_map' && v !== null && typeof v === 'object') visitNested(v, scope, ctx);
    return;
  }
  for (const [k, v] of Object.entries(node)) if (k !== 'cte_map' && v !== null && typeof v === 'object') visitNested(v, scope, ctx);
}

/** Finds query nodes anywhere below `value` (subqueries in expressions, set operation sides). */
function visitNested(value: NonNullable<unknown>, scope: ReadonlySet<string>, ctx: Context): void {
  if (Array.isArray(value)) {
    for (const v of value) if (v !== null && typeof v === 'object') visitNested(v, scope, ctx);
    return;
  }
  if (!isNode(value as AstNode)) return;
  const node = value as AstNode;
  if (typeof node.type === 'string' && QUERY_NODES.has(node.type)) return visitQuery(node, scope, ctx);
  if (typeof node.type === 'string' && TABLE_REF_TYPES.has(node.type) && 'alias' in node && !('class' in node)) {
    return visitTableRef(node, scope, ctx, []);
  }
  for (const v of Object.values(node)) if (v !== null && typeof v === 'object') visitNested(v, scope, ctx);
}

const TABLE_REF_TYPES = new Set([
  'BASE_TABLE',
  'JOIN',
  'SUBQUERY',
  'TABLE_FUNCTION',
  'EXPRESSION_LIST',
  'EMPTY',
  'EMPTY_FROM',
  'PIVOT',
  'SHOW_REF',
  'COLUMN_DATA',
  'DELIM_GET',
  'BOUND_REF',
]);

function visitTableRef(
  ref: AstNode,
  scope: ReadonlySet<string>,
  ctx: Context,
  direct: Array<{ kind: 'lake' | 'other' | 'unnest'; ref?: AstNode; table?: LakeTable }>,
): void {
  const at = locationOf(ref);
  switch (ref.type) {
    case 'BASE_TABLE': {
      const name = String(ref.table_name);
      const schema = String(ref.schema_name ?? '');
      if (!schema && scope.has(name.toLowerCase())) {
        direct.push({ kind: 'other' });
        return;
      }
      const table = ctx.catalog.resolve(schema || undefined, name);
      if (!table) throw tableNotFound(ctx, schema, name, at);
      direct.push({ kind: 'lake', ref, table });
      return;
    }
    case 'JOIN':
      if (isNode(ref.left)) visitTableRef(ref.left, scope, ctx, direct);
      if (isNode(ref.right)) visitTableRef(ref.right, scope, ctx, direct);
      if (isNode(ref.condition)) visitNested(ref.condition, scope, ctx);
      return;
    case 'SUBQUERY':
      direct.push({ kind: isUnnestSubquery(ref) ? 'unnest' : 'other' });
      if (isNode(ref.subquery) && isNode(ref.subquery.node)) visitQuery(ref.subquery.node, scope, ctx);
      return;
    case 'TABLE_FUNCTION': {
      const fn = isNode(ref.function) ? String(ref.function.function_name ?? '').toLowerCase() : '';
      if (!ALLOWED_TABLE_FUNCTIONS.has(fn)) {
        throw sqlError(
          'forbidden',
          `table function ${fn}() is not allowed: SQL here reads the lake's tables only (${tableList(ctx)}); unnest, range and generate_series are the table functions it may use`,
          ctx.script,
          at === undefined ? undefined : ctx.locate(at),
        );
      }
      direct.push({ kind: fn === 'unnest' ? 'unnest' : 'other' });
      visitNested(ref.function as AstNode, scope, ctx);
      return;
    }
    case 'EXPRESSION_LIST':
      direct.push({ kind: 'other' });
      visitNested(ref.values ?? [], scope, ctx);
      return;
    case 'EMPTY':
    case 'EMPTY_FROM':
      return;
    case 'PIVOT':
      if (isNode(ref.source)) visitTableRef(ref.source, scope, ctx, direct);
      return;
    case 'SHOW_REF':
      throw sqlError(
        'unsupported',
        'this SHOW or SUMMARIZE is not available; the ones there are: SHOW TABLES, SHOW DATABASES, SHOW COLUMNS FROM t, DESCRIBE t, SHOW PARTITIONS t, SHOW CREATE TABLE t',
        ctx.script,
        at === undefined ? undefined : ctx.locate(at),
      );
    default:
      throw sqlError(
        'forbidden',
        `${String(ref.type).toLowerCase().replace(/_/g, ' ')} is not allowed in a query here`,
        ctx.script,
        at === undefined ? undefined : ctx.locate(at),
      );
  }
}

/** The lateral subquery the dialect makes of Trino's multi-column UNNEST: it reads no table. */
function isUnnestSubquery(ref: AstNode): boolean {
  const node = isNode(ref.subquery) && isNode(ref.subquery.node) ? ref.subquery.node : undefined;
  if (!node || node.type !== 'SELECT_NODE' || !Array.isArray(node.select_list)) return false;
  const inner =
    isNode(node.from_table) && node.from_table.type === 'SUBQUERY'
      ? isUnnestSubquery(node.from_table)
      : node.from_table !== null && isNode(node.from_table) && node.from_table.type === 'EMPTY';
  return (
    inner &&
    node.select_list.every(
      (e) =>
        isNode(e) &&
        ((e.class === 'FUNCTION' && String(e.function_name).toLowerCase() === 'unnest') ||
          (e.class === 'STAR' && e.relation_name === '__row')),
    )
  );
}

function tableList(ctx: Context): string {
  return ctx.catalog
    .tables()
    .map((t) => qualifiedName(t))
    .join(', ');
}

function tableNotFound(ctx: Context, schema: string, name: string, at: number | undefined) {
  const written = schema ? `${schema}.${name}` : name;
  const names = ctx.catalog.tables().map((t) => qualifiedName(t));
  const near = closest(name, names);
  const hint = near.length ? ` Did you mean ${near.join(' or ')}?` : '';
  return sqlError(
    'not-found',
    `table ${written} does not exist.${hint} Tables: ${names.join(', ')} (cloudtrail_logs is the whole lake; CREATE EXTERNAL TABLE registers another name)`,
    ctx.script,
    at === undefined ? undefined : ctx.locate(at),
  );
}

/**
 * Makes `SELECT *` (and `t.*`) leave out `"$path"` and `raw`, as Athena leaves out its
 * pseudo-columns; both stay selectable by name. Applies to stars of a SELECT that reads a
 * lake table directly.
 */
export function hidePseudoColumns(
  statement: ParsedStatement,
  references: readonly LakeReference[],
  hidden: readonly string[] = HIDDEN_COLUMNS,
): void {
  const lakeRefs = new Set(references.map((r) => r.ref));
  for (const { node } of nodesOf(statement.node)) {
    if (node.type !== 'SELECT_NODE' || !isNode(node.from_table) || !Array.isArray(node.select_list)) continue;
    const direct = directRefs(node.from_table).filter((r) => lakeRefs.has(r));
    if (direct.length === 0) continue;
    const names = new Set(direct.map((r) => String(r.alias || r.table_name).toLowerCase()));
    for (const item of node.select_list) {
      if (!isNode(item) || item.class !== 'STAR' || item.columns === true || item.expr) continue;
      const relation = String(item.relation_name ?? '');
      if (relation && !names.has(relation.toLowerCase())) continue;
      const existing = (Array.isArray(item.exclude_list) ? item.exclude_list : []).map(String);
      const taken = new Set(existing.map((c) => c.toLowerCase()));
      item.exclude_list = [...existing, ...hidden.filter((c) => !taken.has(c))];
    }
  }
}

/** Whether any column reference (or `* EXCLUDE` list) of the statement names `column`, in any part: `raw`, `t.raw`. */
export function mentionsColumn(statement: ParsedStatement, column: string): boolean {
  for (const { node } of nodesOf(statement.node)) {
    const names = node.class === 'COLUMN_REF' ? node.column_names : node.class === 'STAR' ? node.exclude_list : undefined;
    if (Array.isArray(names) && names.some((n) => String(n).toLowerCase() === column)) return true;
  }
  return false;
}

function directRefs(ref: AstNode): AstNode[] {
  if (ref.type === 'JOIN') return [...(isNode(ref.left) ? directRefs(ref.left) : []), ...(isNode(ref.right) ? directRefs(ref.right) : [])];
  return ref.type === 'EMPTY' || ref.type === 'EMPTY_FROM' ? [] : [ref];
}
