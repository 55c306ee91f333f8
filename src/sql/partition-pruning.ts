/**
 * Reading only what a query needs. From the WHERE clause over a lake table this finds which
 * files can hold a matching row, using what the snapshot knows of each file without opening
 * it (partition values, min/max eventtime), and the eventtime range every matching row lies
 * in, which the Parquet reader uses to skip row groups inside the files.
 *
 * Athena prunes only on partition columns (seed 003: 200 GB scanned without `year`/`month`,
 * 0.5 GB with). Here `eventtime` alone is enough: string ranges (`eventtime >= '2017-05-18T00:00:00Z'`),
 * `LIKE '2017-05-18%'`, and time ranges (`from_iso8601_timestamp(eventtime) >= now() - interval '7' day`).
 *
 * Pruning is conservative: a predicate it does not understand keeps every file, and OR
 * keeps a file either side keeps. Times assume CloudTrail's own form, `YYYY-MM-DDTHH:MM:SSZ`.
 */
import type { EventTimeRange } from './lake-scan.js';
import { castTo, columnNames, constantValue, functionCall, isNode, nodesOf, type AstNode } from './sql-ast.js';
import type { LakeReference } from './table-references.js';

export const PRUNABLE_PARTITIONS = ['region', 'year', 'month', 'day', 'account'] as const;
type PartitionName = (typeof PRUNABLE_PARTITIONS)[number];

/** What pruning knows of a file. */
export interface PrunableFile {
  readonly partition: Readonly<Record<string, string>>;
  readonly minEventTime: string | null;
  readonly maxEventTime: string | null;
}

type Target = { kind: 'partition'; column: PartitionName } | { kind: 'eventtime' } | { kind: 'instant' } | { kind: 'date' };

/** A constant a time comparison needs evaluated by the engine: epoch milliseconds or `YYYY-MM-DD`. */
export interface ConstantRequest {
  readonly node: AstNode;
  readonly as: 'instant' | 'date';
}

/** Whether an expression calls a function (`now()`, `to_days(...)`): its value may move between evaluation and the query. */
function callsFunction(node: AstNode): boolean {
  for (const { node: n } of nodesOf(node)) if (n.class === 'FUNCTION' && n.is_operator !== true) return true;
  return false;
}

export interface Pruning {
  /** Whether the file may hold a row the WHERE clause accepts. */
  readonly mayMatch: (file: PrunableFile) => boolean;
  /** Every accepted row's eventtime lies in this range. */
  readonly range: EventTimeRange;
  /** The columns whose predicates pruned, for `--stats`. */
  readonly columns: readonly string[];
}

const EVERYTHING: Pruning = { mayMatch: () => true, range: {}, columns: [] };

const FLIP: Record<string, string> = {
  COMPARE_LESSTHAN: 'COMPARE_GREATERTHAN',
  COMPARE_GREATERTHAN: 'COMPARE_LESSTHAN',
  COMPARE_LESSTHANOREQUALTO: 'COMPARE_GREATERTHANOREQUALTO',
  COMPARE_GREATERTHANOREQUALTO: 'COMPARE_LESSTHANOREQUALTO',
  COMPARE_EQUAL: 'COMPARE_EQUAL',
  COMPARE_NOTEQUAL: 'COMPARE_NOTEQUAL',
};

function isTimestampType(node: AstNode): boolean {
  const t = isNode(node.cast_type) ? String(node.cast_type.id) : '';
  return t === 'TIMESTAMP WITH TIME ZONE' || t === 'TIMESTAMP';
}

function castTypeId(node: AstNode): string {
  return isNode(node.cast_type) ? String(node.cast_type.id) : '';
}

/** What a comparison operand is, seen from one table reference. */
function targetOf(node: AstNode, ref: LakeReference): Target | undefined {
  const names = columnNames(node);
  if (names) {
    let column: string | undefined;
    if (names.length === 1 && ref.ownsUnqualified) column = names[0];
    else if (names.length === 2 && ref.qualifiers.some((q) => q.toLowerCase() === names[0]!.toLowerCase())) column = names[1];
    if (!column) return undefined;
    const c = column.toLowerCase();
    if (c === 'eventtime') return { kind: 'eventtime' };
    if ((PRUNABLE_PARTITIONS as readonly string[]).includes(c)) return { kind: 'partition', column: c as PartitionName };
    return undefined;
  }
  if (node.class === 'CAST' && node.try_cast !== true && isNode(node.child)) {
    const inner = targetOf(node.child, ref);
    if (inner?.kind === 'eventtime' && isTimestampType(node)) return { kind: 'instant' };
    if ((inner?.kind === 'eventtime' || inner?.kind === 'instant') && castTypeId(node) === 'DATE') return { kind: 'date' };
  }
  return undefined;
}

/** An expression with no columns, subqueries or aggregates: the engine can evaluate it once. */
export function isConstantExpression(node: AstNode): boolean {
  for (const { node: n } of nodesOf(node)) {
    if (n.class === 'COLUMN_REF' || n.class === 'SUBQUERY' || n.class === 'WINDOW' || n.class === 'LAMBDA' || n.class === 'PARAMETER')
      return false;
  }
  return true;
}

function comparisonSides(node: AstNode, ref: LakeReference): { target: Target; op: string; other: AstNode } | undefined {
  if (node.class !== 'COMPARISON' || !isNode(node.left) || !isNode(node.right)) return undefined;
  const left = targetOf(node.left, ref);
  if (left) return { target: left, op: String(node.type), other: node.right };
  const right = targetOf(node.right, ref);
  if (right) return { target: right, op: FLIP[String(node.type)] ?? '', other: node.left };
  return undefined;
}

/** The constants the WHERE clause compares with times; evaluate them, then call `analyze`. */
export function constantRequests(references: readonly LakeReference[]): ConstantRequest[] {
  const out: ConstantRequest[] = [];
  const seen = new Set<AstNode>();
  for (const ref of references) {
    if (!ref.where) continue;
    for (const { node } of nodesOf(ref.where)) {
      const cmp = comparisonSides(node, ref);
      const pairs: Array<[Target, AstNode]> = cmp ? [[cmp.target, cmp.other]] : [];
      if (node.class === 'BETWEEN' && isNode(node.input) && isNode(node.lower) && isNode(node.upper)) {
        const t = targetOf(node.input, ref);
        if (t) pairs.push([t, node.lower], [t, node.upper]);
      }
      for (const [target, other] of pairs) {
        if ((target.kind === 'instant' || target.kind === 'date') && !seen.has(other) && isConstantExpression(other)) {
          seen.add(other);
          out.push({ node: other, as: target.kind });
        }
      }
    }
  }
  return out;
}

/** The select items that evaluate the requests: epoch milliseconds, or the date as text. */
export function constantSelectItems(requests: readonly ConstantRequest[]): AstNode[] {
  return requests.map((r, i) => {
    const value =
      r.as === 'instant'
        ? functionCall('epoch_ms', [castTo(r.node, 'TIMESTAMP WITH TIME ZONE')])
        : castTo(castTo(r.node, 'DATE'), 'VARCHAR');
    return { ...value, alias: `c${i}` };
  });
}

const SECOND = 1000;
/** Slack around evaluated times: `now()` is read a moment before the query runs. */
const INSTANT_SLACK = 60 * SECOND;

function isoSeconds(ms: number): string {
  return new Date(Math.floor(ms / SECOND) * SECOND).toISOString().slice(0, 19);
}

function nextDay(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}

/** The least string greater than every string that starts with `prefix`. */
function afterPrefix(prefix: string): string | undefined {
  for (let i = prefix.length - 1; i >= 0; i--) {
    const code = prefix.charCodeAt(i);
    if (code < 0xffff) return prefix.slice(0, i) + String.fromCharCode(code + 1);
  }
  return undefined;
}

type Bound = { value: string; inclusive: boolean };

function intersect(a: EventTimeRange, b: EventTimeRange): EventTimeRange {
  const lower = !a.lower
    ? b.lower
    : !b.lower
      ? a.lower
      : a.lower.value > b.lower.value || (a.lower.value === b.lower.value && !a.lower.inclusive)
        ? a.lower
        : b.lower;
  const upper = !a.upper
    ? b.upper
    : !b.upper
      ? a.upper
      : a.upper.value < b.upper.value || (a.upper.value === b.upper.value && !a.upper.inclusive)
        ? a.upper
        : b.upper;
  return { ...(lower ? { lower } : {}), ...(upper ? { upper } : {}) };
}

function hull(a: EventTimeRange, b: EventTimeRange): EventTimeRange {
  const lower =
    a.lower && b.lower
      ? a.lower.value < b.lower.value || (a.lower.value === b.lower.value && a.lower.inclusive)
        ? a.lower
        : b.lower
      : undefined;
  const upper =
    a.upper && b.upper
      ? a.upper.value > b.upper.value || (a.upper.value === b.upper.value && a.upper.inclusive)
        ? a.upper
        : b.upper
      : undefined;
  return { ...(lower ? { lower } : {}), ...(upper ? { upper } : {}) };
}

/** A file may hold an eventtime inside `range`. */
function overlaps(file: PrunableFile, range: EventTimeRange): boolean {
  const { minEventTime: min, maxEventTime: max } = file;
  if (min === null || max === null) return false;
  if (range.lower && (range.lower.inclusive ? max < range.lower.value : max <= range.lower.value)) return false;
  if (range.upper && (range.upper.inclusive ? min > range.upper.value : min >= range.upper.value)) return false;
  return true;
}

function rangeOf(op: string, value: string): EventTimeRange | undefined {
  const incl = (v: string): Bound => ({ value: v, inclusive: true });
  const excl = (v: string): Bound => ({ value: v, inclusive: false });
  switch (op) {
    case 'COMPARE_EQUAL':
      return { lower: incl(value), upper: incl(value) };
    case 'COMPARE_GREATERTHAN':
      return { lower: excl(value) };
    case 'COMPARE_GREATERTHANOREQUALTO':
      return { lower: incl(value) };
    case 'COMPARE_LESSTHAN':
      return { upper: excl(value) };
    case 'COMPARE_LESSTHANOREQUALTO':
      return { upper: incl(value) };
    default:
      return undefined;
  }
}

/** The eventtime string range of `CAST(eventtime AS TIMESTAMP) op t`, at whole seconds, widened by `slack`. */
function instantRange(op: string, ms: number, slack: number): EventTimeRange | undefined {
  const low = { value: isoSeconds(ms - slack), inclusive: true };
  const high = { value: isoSeconds(ms + slack + SECOND), inclusive: false };
  if (op === 'COMPARE_EQUAL') return { lower: low, upper: high };
  if (op === 'COMPARE_GREATERTHAN' || op === 'COMPARE_GREATERTHANOREQUALTO') return { lower: low };
  if (op === 'COMPARE_LESSTHAN' || op === 'COMPARE_LESSTHANOREQUALTO') return { upper: high };
  return undefined;
}

/** The eventtime string range of `CAST(eventtime AS DATE) op d`. */
function dateRange(op: string, day: string): EventTimeRange | undefined {
  const at = (v: string, inclusive: boolean): Bound => ({ value: v, inclusive });
  switch (op) {
    case 'COMPARE_EQUAL':
      return { lower: at(day, true), upper: at(nextDay(day), false) };
    case 'COMPARE_GREATERTHAN':
      return { lower: at(nextDay(day), true) };
    case 'COMPARE_GREATERTHANOREQUALTO':
      return { lower: at(day, true) };
    case 'COMPARE_LESSTHAN':
      return { upper: at(day, false) };
    case 'COMPARE_LESSTHANOREQUALTO':
      return { upper: at(nextDay(day), false) };
    default:
      return undefined;
  }
}

function compareStrings(op: string, a: string, b: string): boolean {
  switch (op) {
    case 'COMPARE_EQUAL':
      return a === b;
    case 'COMPARE_NOTEQUAL':
      return a !== b;
    case 'COMPARE_LESSTHAN':
      return a < b;
    case 'COMPARE_LESSTHANOREQUALTO':
      return a <= b;
    case 'COMPARE_GREATERTHAN':
      return a > b;
    case 'COMPARE_GREATERTHANOREQUALTO':
      return a >= b;
    default:
      return true;
  }
}

/** SQL LIKE (no ESCAPE) as a regular expression. */
function likePattern(pattern: string): RegExp {
  const body = [...pattern].map((ch) => (ch === '%' ? '.*' : ch === '_' ? '.' : ch.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))).join('');
  return new RegExp(`^${body}$`, 's');
}

/**
 * The pruning of one lake reference. `constants` holds the evaluated value of each
 * `constantRequests` node (epoch ms or `YYYY-MM-DD`); a missing value leaves that
 * predicate unused.
 */
export function analyze(ref: LakeReference, constants: ReadonlyMap<AstNode, number | string | null>): Pruning {
  if (!ref.where) return EVERYTHING;
  const columns = new Set<string>();

  const timeValue = (target: Target, other: AstNode): number | string | undefined => {
    if (target.kind === 'eventtime' || target.kind === 'partition') {
      const v = constantValue(other);
      return typeof v === 'string' ? v : undefined;
    }
    const v = constants.get(other);
    return v === null ? undefined : v;
  };

  const fromRange = (range: EventTimeRange | undefined): Pruning | undefined => {
    if (!range) return undefined;
    columns.add('eventtime');
    return { mayMatch: (f) => overlaps(f, range), range, columns: [] };
  };

  const single = (target: Target, op: string, value: string | number, other?: AstNode): Pruning | undefined => {
    switch (target.kind) {
      case 'partition': {
        if (typeof value !== 'string') return undefined;
        columns.add(target.column);
        return { mayMatch: (f) => compareStrings(op, f.partition[target.column] ?? '', value), range: {}, columns: [] };
      }
      case 'eventtime':
        return typeof value === 'string' ? fromRange(rangeOf(op, value)) : undefined;
      case 'instant':
        return typeof value === 'number'
          ? fromRange(instantRange(op, value, other && callsFunction(other) ? INSTANT_SLACK : 0))
          : undefined;
      case 'date':
        return typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value) ? fromRange(dateRange(op, value)) : undefined;
    }
  };

  const visit = (node: AstNode): Pruning | undefined => {
    if (node.type === 'CONJUNCTION_AND' || node.type === 'CONJUNCTION_OR') {
      const parts = (Array.isArray(node.children) ? node.children.filter(isNode) : []).map((c) => visit(c as AstNode));
      if (node.type === 'CONJUNCTION_AND') {
        const known = parts.filter((p): p is Pruning => p !== undefined);
        if (known.length === 0) return undefined;
        return {
          mayMatch: (f) => known.every((p) => p.mayMatch(f)),
          range: known.reduce<EventTimeRange>((r, p) => intersect(r, p.range), {}),
          columns: [],
        };
      }
      if (parts.some((p) => p === undefined)) return undefined;
      const known = parts as Pruning[];
      return {
        mayMatch: (f) => known.some((p) => p.mayMatch(f)),
        range: known.slice(1).reduce((r, p) => hull(r, p.range), known[0]!.range),
        columns: [],
      };
    }
    const cmp = comparisonSides(node, ref);
    if (cmp) {
      const value = timeValue(cmp.target, cmp.other);
      return value === undefined ? undefined : single(cmp.target, cmp.op, value, cmp.other);
    }
    if ((node.type === 'COMPARE_IN' || node.type === 'COMPARE_NOT_IN') && Array.isArray(node.children) && isNode(node.children[0])) {
      const target = targetOf(node.children[0], ref);
      const items = node.children.slice(1).filter(isNode) as AstNode[];
      const values = items.map((c) => (target ? timeValue(target, c) : undefined));
      if (!target || values.some((v) => v === undefined)) return undefined;
      if (node.type === 'COMPARE_NOT_IN') {
        if (target.kind !== 'partition') return undefined;
        columns.add(target.column);
        return { mayMatch: (f) => !values.includes(f.partition[target.column] ?? ''), range: {}, columns: [] };
      }
      const each = values.map((v, i) => single(target, 'COMPARE_EQUAL', v!, items[i]));
      if (each.some((p) => p === undefined)) return undefined;
      const known = each as Pruning[];
      return {
        mayMatch: (f) => known.some((p) => p.mayMatch(f)),
        range: known.slice(1).reduce((r, p) => hull(r, p.range), known[0]?.range ?? {}),
        columns: [],
      };
    }
    if (node.class === 'BETWEEN' && isNode(node.input) && isNode(node.lower) && isNode(node.upper)) {
      const target = targetOf(node.input, ref);
      const low = target && timeValue(target, node.lower);
      const high = target && timeValue(target, node.upper);
      if (!target || low === undefined || high === undefined) return undefined;
      return combineAnd(
        single(target, 'COMPARE_GREATERTHANOREQUALTO', low, node.lower),
        single(target, 'COMPARE_LESSTHANOREQUALTO', high, node.upper),
      );
    }
    const like = typeof node.function_name === 'string' ? node.function_name : '';
    if (
      node.class === 'FUNCTION' &&
      (like === '~~' || like === '!~~') &&
      Array.isArray(node.children) &&
      isNode(node.children[0]) &&
      isNode(node.children[1])
    ) {
      const target = targetOf(node.children[0], ref);
      const pattern = constantValue(node.children[1]);
      if (!target || typeof pattern !== 'string') return undefined;
      if (target.kind === 'partition') {
        const re = likePattern(pattern);
        columns.add(target.column);
        const negate = like === '!~~';
        return { mayMatch: (f) => re.test(f.partition[target.column] ?? '') !== negate, range: {}, columns: [] };
      }
      if (target.kind !== 'eventtime' || like !== '~~') return undefined;
      const prefix = /^[^%_]*/.exec(pattern)![0];
      if (!prefix) return undefined;
      const after = afterPrefix(prefix);
      return fromRange({ lower: { value: prefix, inclusive: true }, ...(after ? { upper: { value: after, inclusive: false } } : {}) });
    }
    return undefined;
  };

  const result = visit(ref.where);
  return result ? { ...result, columns: [...columns] } : EVERYTHING;
}

function combineAnd(a: Pruning | undefined, b: Pruning | undefined): Pruning | undefined {
  if (!a || !b) return a ?? b;
  return { mayMatch: (f) => a.mayMatch(f) && b.mayMatch(f), range: intersect(a.range, b.range), columns: [] };
}
