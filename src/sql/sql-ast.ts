/**
 * DuckDB's own parse tree of a query, as JSON (`json_serialize_sql`), and back to SQL
 * (`json_deserialize_sql`). Rewriting this tree rather than the SQL text is what keeps the
 * dialect layer safe: names, strings and comments can never be confused, and what runs is
 * exactly what was analysed (tables, functions, predicates).
 *
 * Only SELECT statements serialize; DuckDB answers anything else with "Only SELECT
 * statements can be serialized", which is how non-queries are told apart.
 */
import type { Engine } from '../engine/duckdb-engine.js';
import { LosslessNumber, parseLossless, stringifyLossless, type LosslessValue } from './lossless-json.js';

/** A node of the tree: an object with a `type` (and for expressions a `class`). */
export type AstNode = { [key: string]: LosslessValue };

export interface ParsedStatement {
  readonly node: AstNode;
  readonly named_param_map: LosslessValue;
}

export type ParseOutcome =
  | { readonly ok: true; readonly statement: ParsedStatement }
  | { readonly ok: false; readonly notSelect: boolean; readonly message: string; readonly position?: number };

/** Parses one statement (no binding: unknown tables and functions are fine here). */
export async function parseStatement(engine: Engine, sql: string): Promise<ParseOutcome> {
  const reader = await engine.connection.runAndReadAll('SELECT json_serialize_sql($1::VARCHAR) AS ast', [sql]);
  const json = parseLossless(String(reader.getRows()[0]![0])) as AstNode;
  if (json.error === true) {
    const message = String(json.error_message ?? 'cannot parse the statement');
    const position = json.position === undefined ? undefined : Number(json.position);
    return { ok: false, notSelect: /Only SELECT statements/i.test(message), message, ...(position === undefined ? {} : { position }) };
  }
  const statements = json.statements as AstNode[];
  if (statements.length !== 1) return { ok: false, notSelect: false, message: 'expected one statement' };
  return { ok: true, statement: statements[0] as unknown as ParsedStatement };
}

/** The SQL text of a (rewritten) statement. */
export async function statementSql(engine: Engine, statement: ParsedStatement): Promise<string> {
  const json = stringifyLossless({ error: false, statements: [statement as unknown as LosslessValue] });
  const reader = await engine.connection.runAndReadAll('SELECT json_deserialize_sql($1::VARCHAR) AS sql', [json]);
  return String(reader.getRows()[0]![0]);
}

export function isNode(value: LosslessValue | undefined): value is AstNode {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof LosslessNumber);
}

/** Every node below `root` (itself included), depth first, with its parent chain. */
export function* nodesOf(root: LosslessValue, parents: AstNode[] = []): Generator<{ node: AstNode; parents: AstNode[] }> {
  if (Array.isArray(root)) {
    for (const v of root) yield* nodesOf(v, parents);
    return;
  }
  if (!isNode(root)) return;
  yield { node: root, parents };
  const below = [...parents, root];
  for (const v of Object.values(root)) if (v !== null && typeof v === 'object') yield* nodesOf(v, below);
}

/** Offset in the statement text where the node starts, if DuckDB recorded one. */
export function locationOf(node: AstNode): number | undefined {
  const at = node.query_location;
  return typeof at === 'number' ? at : undefined;
}

/** The deep copy every rewrite starts from, so a cached tree is never changed. */
export function cloneNode<T extends LosslessValue>(value: T): T {
  if (Array.isArray(value)) return value.map((v) => cloneNode(v)) as T;
  if (isNode(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, cloneNode(v)])) as T;
  return value;
}

export function functionName(node: AstNode): string | undefined {
  return node.class === 'FUNCTION' && typeof node.function_name === 'string' ? node.function_name.toLowerCase() : undefined;
}

export function children(node: AstNode): AstNode[] {
  return Array.isArray(node.children) ? (node.children.filter(isNode) as AstNode[]) : [];
}

export function columnNames(node: AstNode): string[] | undefined {
  return node.class === 'COLUMN_REF' && Array.isArray(node.column_names) ? node.column_names.map(String) : undefined;
}

/** A string, number or boolean literal's value; `undefined` for anything else. */
export function constantValue(node: AstNode): string | number | boolean | null | undefined {
  if (node.class !== 'CONSTANT' || !isNode(node.value)) return undefined;
  const v = node.value;
  if (v.is_null === true) return null;
  const id = isNode(v.type) ? String(v.type.id) : '';
  if (id === 'VARCHAR') return String(v.value);
  if (id === 'BOOLEAN') return v.value === true;
  if (/INT|DOUBLE|FLOAT/.test(id) && typeof v.value === 'number') return v.value;
  return undefined;
}

export function isStringConstant(node: AstNode): boolean {
  return typeof constantValue(node) === 'string';
}

// Node builders. Fields DuckDB needs are all present; query_location is left out (none).

/** A literal of DuckDB's type `typeId`; `null` for SQL NULL. */
function constant(typeId: string, value: string | number | null): AstNode {
  const type = { id: typeId, type_info: null };
  return {
    class: 'CONSTANT',
    type: 'VALUE_CONSTANT',
    alias: '',
    value: value === null ? { type, is_null: true } : { type, is_null: false, value },
  };
}

export const varcharConstant = (value: string): AstNode => constant('VARCHAR', value);
export const integerConstant = (value: number): AstNode => constant('INTEGER', value);
export const nullConstant = (): AstNode => constant('NULL', null);

export function columnRef(...names: string[]): AstNode {
  return { class: 'COLUMN_REF', type: 'COLUMN_REF', alias: '', column_names: names };
}

export function functionCall(name: string, args: AstNode[], schema = ''): AstNode {
  return {
    class: 'FUNCTION',
    type: 'FUNCTION',
    alias: '',
    function_name: name,
    schema,
    children: args,
    filter: null,
    order_bys: { type: 'ORDER_MODIFIER', orders: [] },
    distinct: false,
    is_operator: false,
    export_state: false,
    catalog: '',
  };
}

export function castTo(child: AstNode, typeId: string, tryCast = false): AstNode {
  return { class: 'CAST', type: 'OPERATOR_CAST', alias: '', child, cast_type: { id: typeId, type_info: null }, try_cast: tryCast };
}

export type ComparisonType =
  | 'COMPARE_EQUAL'
  | 'COMPARE_NOTEQUAL'
  | 'COMPARE_LESSTHAN'
  | 'COMPARE_GREATERTHAN'
  | 'COMPARE_LESSTHANOREQUALTO'
  | 'COMPARE_GREATERTHANOREQUALTO';

export function comparison(type: ComparisonType, left: AstNode, right: AstNode): AstNode {
  return { class: 'COMPARISON', type, alias: '', left, right };
}

/** A `SELECT <list> FROM <from>` query node. */
export function selectNode(selectList: AstNode[], from: AstNode): AstNode {
  return {
    type: 'SELECT_NODE',
    modifiers: [],
    cte_map: { map: [] },
    select_list: selectList,
    from_table: from,
    where_clause: null,
    group_expressions: [],
    group_sets: [],
    aggregate_handling: 'STANDARD_HANDLING',
    having: null,
    sample: null,
    qualify: null,
  };
}

/** The FROM of a SELECT without one. */
export const EMPTY_FROM: AstNode = { type: 'EMPTY', alias: '', sample: null };

export function conjunction(parts: AstNode[]): AstNode | null {
  if (parts.length === 0) return null;
  if (parts.length === 1) return parts[0]!;
  return { class: 'CONJUNCTION', type: 'CONJUNCTION_AND', alias: '', children: parts };
}

/** A copy of the tree with `fn` applied to every node, children first (so `fn` sees rewritten arguments). */
export function transformTree<T extends LosslessValue>(value: T, fn: (node: AstNode) => AstNode): T {
  if (Array.isArray(value)) return value.map((v) => transformTree(v, fn)) as T;
  if (!isNode(value)) return value;
  const out: AstNode = {};
  for (const [k, v] of Object.entries(value)) out[k] = v !== null && typeof v === 'object' ? transformTree(v, fn) : v;
  return fn(out) as T;
}
