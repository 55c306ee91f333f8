/**
 * The statements people paste from Athena that are not queries: Hive DDL
 * (`CREATE EXTERNAL TABLE ... ROW FORMAT SERDE ... LOCATION`), partition maintenance
 * (`ALTER TABLE ... ADD PARTITION`, `MSCK REPAIR TABLE`), catalog questions
 * (`SHOW TABLES`, `SHOW DATABASES`, `DESCRIBE`, `SHOW PARTITIONS`) and `EXPLAIN`. DuckDB's parser takes none
 * of the Hive forms, so they are read here from tokens; everything else is `{ kind: 'query' }`
 * and goes to DuckDB's parser.
 *
 * @example
 * parseAthenaStatement("MSCK REPAIR TABLE cloudtrail_logs") // { kind: 'repair-table', table: { name: 'cloudtrail_logs' } }
 */
import { tokenize, type Token } from './sql-text.js';

/** A table name as written: `t`, `db.t`, `"db"."t"`, `` `t` ``. */
export interface TableName {
  readonly schema?: string;
  readonly name: string;
  /** Offset in the statement, for error messages. */
  readonly at: number;
}

export type AthenaStatement =
  | {
      readonly kind: 'create-table';
      readonly table: TableName;
      readonly ifNotExists: boolean;
      readonly columns: readonly string[];
      readonly partitionedBy: readonly string[];
      readonly serde?: string;
      readonly storedAs?: string;
      readonly location?: string;
      /** TBLPROPERTIES, keys in lower case. */
      readonly properties: Readonly<Record<string, string>>;
    }
  | { readonly kind: 'add-partition'; readonly table: TableName; readonly partitions: ReadonlyArray<Readonly<Record<string, string>>> }
  | { readonly kind: 'repair-table'; readonly table: TableName }
  | { readonly kind: 'drop-table'; readonly table: TableName; readonly ifExists: boolean }
  | { readonly kind: 'show-tables'; readonly schema?: string; readonly like?: string }
  | { readonly kind: 'show-databases'; readonly like?: string }
  | { readonly kind: 'create-database'; readonly name: string; readonly ifNotExists: boolean }
  | { readonly kind: 'show-create-table'; readonly table: TableName }
  | { readonly kind: 'show-partitions'; readonly table: TableName }
  | { readonly kind: 'describe'; readonly table: TableName }
  | { readonly kind: 'explain'; readonly analyze: boolean; readonly query: string; readonly queryStart: number }
  | { readonly kind: 'query' };

/** A statement that looked like Athena DDL but is not well formed. */
export class AthenaSyntaxError extends Error {
  override readonly name = 'AthenaSyntaxError';
  constructor(
    message: string,
    /** Offset in the statement. */
    readonly at: number,
  ) {
    super(message);
  }
}

class Cursor {
  i = 0;
  constructor(
    readonly tokens: Token[],
    readonly text: string,
  ) {}
  peek(ahead = 0): Token | undefined {
    return this.tokens[this.i + ahead];
  }
  isWord(word: string, ahead = 0): boolean {
    const t = this.peek(ahead);
    return t?.kind === 'word' && t.value.toLowerCase() === word;
  }
  isSymbol(symbol: string, ahead = 0): boolean {
    const t = this.peek(ahead);
    return t?.kind === 'symbol' && t.value === symbol;
  }
  acceptWords(...words: string[]): boolean {
    if (!words.every((w, k) => this.isWord(w, k))) return false;
    this.i += words.length;
    return true;
  }
  expectWords(...words: string[]): void {
    if (!this.acceptWords(...words)) this.fail(`expected ${words.join(' ').toUpperCase()}`);
  }
  fail(message: string): never {
    const t = this.peek();
    throw new AthenaSyntaxError(
      `${message}${t ? ` at "${this.text.slice(t.start, t.end)}"` : ' at the end of the statement'}`,
      t?.start ?? this.text.length,
    );
  }
  name(): string {
    const t = this.peek();
    if (!t || (t.kind !== 'word' && t.kind !== 'quoted')) this.fail('expected a name');
    this.i++;
    return t.value;
  }
  string(): string {
    const t = this.peek();
    if (t?.kind !== 'string') this.fail('expected a quoted string');
    this.i++;
    return t.value;
  }
  tableName(): TableName {
    const at = this.peek()?.start ?? this.text.length;
    const first = this.name();
    if (this.isSymbol('.')) {
      this.i++;
      return { schema: first, name: this.name(), at };
    }
    return { name: first, at };
  }
  /** Skips a balanced `( ... )` (or `< ... >` inside it), returning the tokens of each top-level comma-separated item. */
  parenthesized(): Token[][] {
    if (!this.isSymbol('(')) this.fail('expected "("');
    this.i++;
    const items: Token[][] = [[]];
    let depth = 0;
    for (;;) {
      const t = this.peek();
      if (!t) this.fail('expected ")"');
      this.i++;
      if (t.kind === 'symbol') {
        for (const ch of t.value) {
          if (ch === '(' || ch === '<') depth++;
          if (ch === ')' || ch === '>') depth--;
        }
        if (depth < 0) return items.filter((it) => it.length > 0);
        if (depth === 0 && t.value === ',') {
          items.push([]);
          continue;
        }
      }
      items.at(-1)!.push(t);
    }
  }
  get done(): boolean {
    return this.i >= this.tokens.length;
  }
}

export function parseAthenaStatement(text: string): AthenaStatement {
  const c: Cursor = new Cursor(tokenize(text), text);
  if (c.acceptWords('create', 'external', 'table')) return createTable(c);
  if (c.acceptWords('create', 'database') || c.acceptWords('create', 'schema')) {
    const ifNotExists = c.acceptWords('if', 'not', 'exists');
    const name = c.name();
    // COMMENT, LOCATION and properties say where Athena keeps its catalog: nothing here.
    while (!c.done) c.i++;
    return { kind: 'create-database', name, ifNotExists };
  }
  if (c.isWord('alter') && c.isWord('table', 1) && addsPartition(c.tokens)) return addPartition(c);
  if (c.acceptWords('msck', 'repair', 'table')) return end(c, { kind: 'repair-table', table: c.tableName() });
  if (c.acceptWords('drop', 'table')) {
    const ifExists = c.acceptWords('if', 'exists');
    return end(c, { kind: 'drop-table', table: c.tableName(), ifExists });
  }
  if (c.acceptWords('show', 'tables')) {
    const schema = c.acceptWords('in') || c.acceptWords('from') ? c.name() : undefined;
    const like = c.acceptWords('like') ? c.string() : c.peek()?.kind === 'string' ? c.string() : undefined;
    return end(c, { kind: 'show-tables', ...(schema ? { schema } : {}), ...(like ? { like } : {}) });
  }
  if (c.acceptWords('show', 'databases') || c.acceptWords('show', 'schemas')) {
    const like = c.acceptWords('like') ? c.string() : undefined;
    return end(c, { kind: 'show-databases', ...(like ? { like } : {}) });
  }
  if (c.acceptWords('show', 'create', 'table')) return end(c, { kind: 'show-create-table', table: c.tableName() });
  if (c.acceptWords('show', 'partitions')) return end(c, { kind: 'show-partitions', table: c.tableName() });
  if (c.acceptWords('show', 'columns')) {
    if (!c.acceptWords('from') && !c.acceptWords('in')) c.fail('expected FROM or IN');
    return end(c, { kind: 'describe', table: c.tableName() });
  }
  if ((c.isWord('describe') || c.isWord('desc')) && !c.isWord('select', 1)) {
    c.i++;
    if (!c.acceptWords('formatted')) c.acceptWords('extended');
    return end(c, { kind: 'describe', table: c.tableName() });
  }
  if (c.acceptWords('explain')) {
    const analyze = c.acceptWords('analyze');
    if (c.isSymbol('(')) c.parenthesized();
    const t = c.peek();
    if (!t) c.fail('expected a query after EXPLAIN');
    return { kind: 'explain', analyze, query: text.slice(t.start), queryStart: t.start };
  }
  return { kind: 'query' };
}

/** `ALTER TABLE t ADD [IF NOT EXISTS] PARTITION`: other ALTERs are DuckDB's, and refused. */
function addsPartition(tokens: readonly Token[]): boolean {
  const words = tokens.filter((t) => t.kind === 'word').map((t) => t.value.toLowerCase());
  const add = words.indexOf('add');
  return add > 0 && (words[add + 1] === 'partition' || (words[add + 1] === 'if' && words[add + 4] === 'partition'));
}

function end<T extends AthenaStatement>(c: Cursor, statement: T): T {
  if (!c.done) c.fail('unexpected text');
  return statement;
}

function createTable(c: Cursor): AthenaStatement {
  const ifNotExists = c.acceptWords('if', 'not', 'exists');
  const table = c.tableName();
  const columns = c.isSymbol('(') ? c.parenthesized().map((item) => item[0]!.value) : [];
  let partitionedBy: string[] = [];
  let serde: string | undefined;
  let storedAs: string | undefined;
  let location: string | undefined;
  const properties: Record<string, string> = {};
  while (!c.done) {
    if (c.acceptWords('comment')) c.string();
    else if (c.acceptWords('partitioned', 'by')) partitionedBy = c.parenthesized().map((item) => item[0]!.value);
    else if (c.acceptWords('row', 'format', 'serde')) {
      serde = c.string();
      if (c.acceptWords('with', 'serdeproperties')) c.parenthesized();
    } else if (c.acceptWords('row', 'format', 'delimited')) {
      while (c.peek() && !c.isWord('stored') && !c.isWord('location') && !c.isWord('tblproperties')) c.i++;
    } else if (c.acceptWords('stored', 'as', 'inputformat')) {
      storedAs = c.string();
      c.expectWords('outputformat');
      c.string();
    } else if (c.acceptWords('stored', 'as')) storedAs = c.name();
    else if (c.acceptWords('location')) location = c.string();
    else if (c.acceptWords('tblproperties')) {
      for (const [key, eq, value] of c.parenthesized()) {
        if (key?.kind === 'string' && eq?.value === '=' && value?.kind === 'string') properties[key.value.toLowerCase()] = value.value;
      }
    } else if (c.acceptWords('clustered', 'by') || c.acceptWords('sorted', 'by')) {
      c.parenthesized();
      if (c.acceptWords('into')) c.i += 2;
    } else c.fail('unexpected text in CREATE EXTERNAL TABLE');
  }
  return {
    kind: 'create-table',
    table,
    ifNotExists,
    columns,
    partitionedBy,
    properties,
    ...(serde ? { serde } : {}),
    ...(storedAs ? { storedAs } : {}),
    ...(location ? { location } : {}),
  };
}

function addPartition(c: Cursor): AthenaStatement {
  c.expectWords('alter', 'table');
  const table = c.tableName();
  c.expectWords('add');
  c.acceptWords('if', 'not', 'exists');
  const partitions: Array<Record<string, string>> = [];
  while (c.acceptWords('partition')) {
    const values: Record<string, string> = {};
    for (const item of c.parenthesized()) {
      const [key, eq, value] = item;
      if (!key || eq?.value !== '=' || !value) throw new AthenaSyntaxError('expected key = value in PARTITION (...)', key?.start ?? 0);
      values[key.value.toLowerCase()] = value.value;
    }
    partitions.push(values);
    if (c.acceptWords('location')) c.string();
  }
  if (partitions.length === 0) c.fail('expected PARTITION (...)');
  return end(c, { kind: 'add-partition', table, partitions });
}
