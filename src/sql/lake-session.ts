/**
 * A session on a lake: one DuckDB engine, locked to the lake's folder, that runs scripts of
 * Athena SQL statement by statement. A query goes through these steps:
 *
 * 1. DuckDB parses it to a tree (only SELECT statements parse; anything else is refused);
 * 2. the dialect translates Trino functions and names result columns as Athena does;
 * 3. every table reference is resolved (a lake table, a CTE, or an error);
 * 4. each lake reference is pruned on its WHERE clause and replaced by a scan of the kept files;
 * 5. the tree is turned back into SQL and runs under a time limit.
 *
 * The shell keeps one session open, so a query after the first is warm (the engine, macros
 * and Parquet footers stay cached).
 *
 * @example
 * const session = await LakeSession.open({ lake: './trailscope-lake' });
 * for await (const result of session.execute('select count(*) from cloudtrail_logs; select 7/2')) console.log(result.rows);
 * session.close();
 */
import { readFile, stat } from 'node:fs/promises';
import { totalmem } from 'node:os';
import { basename, resolve } from 'node:path';
import { RAW_COLUMN } from '../cloudtrail/athena-table.js';
import { Engine, sqlString, type QueryResult, type RowSink } from '../engine/duckdb-engine.js';
import { rowLines } from '../engine/result-lines.js';
import { ResumableSink } from './resumable-sink.js';
import { openLake, type Lake } from '../lake/lake.js';
import { AthenaSyntaxError, parseAthenaStatement } from './athena-statement.js';
import { runCatalogStatement } from './catalog-statements.js';
import { inScope } from './cloudtrail-location.js';
import { athenaOnDuckDB } from './dialect/athena-on-duckdb.js';
import type { SqlDialect } from './dialect/dialect.js';
import { DialectError } from './dialect/trino-functions.js';
import { explainEngineError } from './engine-error.js';
import { FileLists, HIDDEN_COLUMNS, PATH_COLUMN, ScanBuilder, absentColumns, type EventTimeRange } from './lake-scan.js';
import { analyze, constantRequests, constantSelectItems } from './partition-pruning.js';
import { NO_SCAN, rowGroupSql, scanStats, withRowGroups, type RowGroup, type ScanStats, type ScannedFile } from './query-stats.js';
import {
  EMPTY_FROM,
  functionName,
  nodesOf,
  parseStatement,
  selectNode,
  statementSql,
  type AstNode,
  type ParseOutcome,
  type ParsedStatement,
} from './sql-ast.js';
import { SqlError, sqlError } from './sql-error.js';
import { bareAliasAt, forParser, splitStatements, type ParserText } from './sql-text.js';
import { refusal } from './statement-guard.js';
import { TableCatalog, qualifiedName } from './table-catalog.js';
import { hidePseudoColumns, lakeReferences, mentionsColumn } from './table-references.js';

export interface SessionOptions {
  /** The lake folder. */
  readonly lake: string;
  /** Time limit of each statement; default 5 minutes. */
  readonly timeoutMs?: number;
  /** Memory the engine may use, e.g. `4GB`; default half the machine's memory. */
  readonly memoryLimit?: string;
  /** Engine threads; default one per core. */
  readonly threads?: number;
  /** Count the row groups each query reads (reads the Parquet footers of the files it reads). */
  readonly stats?: boolean;
  /**
   * Keep the footers of the Parquet files a query opens for the queries after it (default
   * true). Filling the cache makes the first query over a month of a lake's files slower
   * than it saves on later ones: a session that runs one script and closes does better
   * without it (`queryStatements`, `trailscope query` with SQL given).
   */
  readonly footerCache?: boolean;
}

export type StatementKind = 'query' | 'explain' | 'ddl' | 'catalog';

/** What one statement of a script produced. */
export interface StatementResult extends QueryResult {
  /** The statement as the user wrote it. */
  readonly statement: string;
  /**
   * Rows the statement returned: `rows.length`, or, when they went to a sink, those it was
   * handed and those past its `takes` that were only counted.
   */
  readonly rowCount: number;
  readonly kind: StatementKind;
  /** For DDL: what happened, in a sentence (the result has no rows). */
  readonly message?: string;
  readonly stats: ScanStats;
  readonly elapsedMs: number;
}

/** A result, and when its rows went to a sink, how many there were. */
type Counted = QueryResult & { readonly rowCount?: number };

export const DEFAULT_TIMEOUT_MS = 5 * 60_000;

/** The files of a scan do not all have the columns of the first: read them again by name. */
class SchemaDrift extends Error {}

export function defaultMemoryLimit(): string {
  return `${Math.max(256, Math.floor(totalmem() / 2 / 1024 / 1024))}MiB`;
}

/** Bare aliases a statement may have before its parse error is taken as it is. */
const MAX_BARE_ALIASES = 32;

const EMPTY: QueryResult = { columns: [], types: [], rows: [] };

interface PreparedQuery {
  readonly sql: string;
  /** The same result columns, from one file per scan: binds in a fraction of the time. */
  readonly shapeSql: string;
  readonly stats: ScanStats;
  readonly scans: ReadonlyArray<{ table: string; files: ScannedFile[]; prunedBy: readonly string[]; range: EventTimeRange }>;
  readonly tree: AstNode;
  readonly locate: (at: number) => number;
  readonly tables: ReturnType<typeof lakeReferences>[number]['table'][];
}

export class LakeSession {
  readonly #scans: ScanBuilder;
  #snapshotFiles: CommittedFiles | undefined;
  #busy: Promise<void> = Promise.resolve();
  #running = false;
  #closed = false;
  readonly #helpers = new Set<string>();
  readonly timeoutMs: number;

  private constructor(
    readonly engine: Engine,
    readonly lake: Lake,
    readonly catalog: TableCatalog,
    readonly dialect: SqlDialect,
    readonly memoryLimit: string,
    private readonly options: SessionOptions,
    committed: CommittedFiles | undefined,
  ) {
    this.#scans = new ScanBuilder(engine);
    this.#snapshotFiles = committed?.cacheable ? committed : undefined;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  }

  static async open(options: SessionOptions, dialect: SqlDialect = athenaOnDuckDB): Promise<LakeSession> {
    checkOptions(options);
    const lake = await openLake(options.lake);
    await mustBeLake(lake);
    const memoryLimit = options.memoryLimit ?? defaultMemoryLimit();
    // The catalog and the snapshot are read while the engine starts (~40 ms of a CLI run).
    const catalog = TableCatalog.load(lake);
    const committed = committedFiles(lake);
    catalog.catch(() => {});
    committed.catch(() => {});
    let engine: Engine;
    try {
      engine = await Engine.create({ memoryLimit, ...(options.threads ? { threads: options.threads } : {}) });
    } catch (e) {
      throw new SqlError(`cannot start the query engine: ${(e as Error).message} (check --memory-limit, e.g. 4GB)`, 'query');
    }
    try {
      await engine.run(
        [
          ...dialect.sessionSetup,
          `SET parquet_metadata_cache = ${options.footerCache ?? true}`,
          // Whole column chunks in one read each, kept in DuckDB's file cache for the next
          // query: without it each page header is a small read of its own (a third of the
          // CPU time of a wide scan over many small files).
          `SET prefetch_all_parquet_files = true`,
          // A lake file is never rewritten in place (every transaction writes new names), so
          // the cache need not stat each file again at every query (~15% of a scan of a month).
          `SET validate_external_file_cache = 'NO_VALIDATION'`,
          `SET autoinstall_known_extensions = false`,
          `SET autoload_known_extensions = false`,
          `SET allowed_directories = [${sqlString(resolve(options.lake))}]`,
          `SET enable_external_access = false`,
          `SET lock_configuration = true`,
        ].join(';\n'),
      );
      // A lake that cannot be read yet (no CURRENT) is read again at the first query.
      const files = await committed.catch(() => undefined);
      return new LakeSession(engine, lake, await catalog, dialect, memoryLimit, options, files);
    } catch (e) {
      engine.close();
      throw e;
    }
  }

  /**
   * Closes the session. A statement running now is stopped (it fails with an `interrupted`
   * SqlError) and the engine closes when it has; statements not yet begun fail.
   */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#running) this.engine.interrupt();
    else this.engine.close();
  }

  /** Stops the statement running now (from a signal handler, a sink, a timer): it fails with an `interrupted` SqlError. */
  interrupt(): void {
    this.engine.interrupt();
  }

  /**
   * Waits for the statements begun before to finish: one engine runs one statement at a time,
   * so calls made at once (a server's requests) take turns instead of failing each other.
   */
  async #turn(): Promise<() => void> {
    let release!: () => void;
    const before = this.#busy;
    this.#busy = new Promise<void>((resolve) => (release = resolve));
    await before;
    if (this.#closed) {
      release();
      throw new SqlError('the session is closed', 'interrupted');
    }
    this.#running = true;
    return () => {
      this.#running = false;
      if (this.#closed) this.engine.close();
      release();
    };
  }

  /** Runs every statement of the script in order and returns all results (stops at the first error); `sink` as for `execute`. */
  async run(script: string, sink?: RowSink): Promise<StatementResult[]> {
    const out: StatementResult[] = [];
    for await (const r of this.execute(script, sink)) out.push(r);
    return out;
  }

  /**
   * Runs the statements of a script one by one, yielding each result as it is ready. With a
   * `sink`, each query's rows go to it a chunk at a time as they are made, and its result holds
   * none: output of any size in bounded memory.
   */
  async *execute(script: string, sink?: RowSink): AsyncGenerator<StatementResult> {
    const statements = splitStatements(script);
    if (statements.length === 0) throw new SqlError('no SQL statement to run', 'syntax');
    const done = await this.#turn();
    try {
      yield* this.#execute(script, statements, sink);
    } finally {
      done();
    }
  }

  async *#execute(script: string, statements: ReturnType<typeof splitStatements>, sink?: RowSink): AsyncGenerator<StatementResult> {
    for (const { text, start } of statements) {
      if (this.#closed) throw new SqlError('the query was stopped before it finished: the session was closed', 'interrupted');
      // Tables another process registered or dropped since (a stat when nothing changed).
      await this.catalog.refresh();
      const began = performance.now();
      const done = (kind: StatementKind, result: Counted, stats: ScanStats, message?: string): StatementResult => ({
        ...result,
        rowCount: result.rowCount ?? result.rows.length,
        statement: text,
        kind,
        stats,
        elapsedMs: performance.now() - began,
        ...(message === undefined ? {} : { message }),
      });
      let athena;
      try {
        athena = parseAthenaStatement(text);
      } catch (e) {
        if (e instanceof AthenaSyntaxError) throw sqlError('syntax', e.message, script, start + e.at);
        throw e;
      }
      if (athena.kind === 'query') {
        const { prepared, result } = await this.#query(text, script, start, sink);
        yield done('query', result, await this.#withRowGroups(prepared));
      } else if (athena.kind === 'explain') {
        const at = start + athena.queryStart;
        const { prepared, result } = athena.analyze
          ? await this.#query(athena.query, script, at)
          : { prepared: await this.#prepare(athena.query, script, at, false) };
        const stats = await this.#withRowGroups(prepared);
        yield done('explain', explainResult(stats, result, performance.now() - began), stats);
      } else {
        const outcome = await runCatalogStatement(athena, {
          catalog: this.catalog,
          files: () => this.#files(),
          engine: this.engine,
          lakeDir: this.lake.dir,
          script,
          offset: start,
        });
        yield done(
          athena.kind.startsWith('show') || athena.kind === 'describe' ? 'catalog' : 'ddl',
          outcome.result ?? EMPTY,
          NO_SCAN,
          outcome.message,
        );
      }
    }
  }

  /** Runs trailscope's own SQL (never user SQL) on this session's engine. */
  async internalQuery(sql: string): Promise<QueryResult> {
    return this.engine.query(sql);
  }

  /**
   * The lake's committed files. The snapshot is read again only when `CURRENT` names another
   * one, so a warm session pays one tiny read per statement and still sees every ingest.
   */
  async #files(): Promise<ScannedFile[]> {
    let current = '';
    try {
      current = (await readFile(this.lake.layout.current, 'utf8')).trim();
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
    if (this.#snapshotFiles?.id === current) return this.#snapshotFiles.files;
    const committed = await committedFiles(this.lake);
    if (committed.cacheable) this.#snapshotFiles = committed;
    return committed.files;
  }

  /** Defines the dialect's helper functions the statement calls that this session has not defined yet. */
  async #defineHelpers(statement: ParsedStatement): Promise<void> {
    const missing = new Set<string>();
    for (const { node } of nodesOf(statement.node)) {
      const name = functionName(node);
      if (name && this.dialect.helperFunctions.has(name) && !this.#helpers.has(name)) missing.add(name);
    }
    if (missing.size === 0) return;
    // A helper may call others: those are defined first.
    const ordered: string[] = [];
    const visit = (name: string) => {
      if (ordered.includes(name) || this.#helpers.has(name)) return;
      const sql = this.dialect.helperFunctions.get(name)!;
      for (const [used] of sql.slice(sql.indexOf(' AS ')).matchAll(/\btrino_\w+(?=\()/g)) {
        if (used !== name && this.dialect.helperFunctions.has(used)) visit(used);
      }
      ordered.push(name);
    };
    for (const name of missing) visit(name);
    await this.engine.run(ordered.map((name) => this.dialect.helperFunctions.get(name)!).join(';\n'));
    for (const name of ordered) this.#helpers.add(name);
  }

  /**
   * Prepares and runs a query. Scans first match the files' columns by position (fast); if
   * the engine then finds files whose columns differ (a lake written by several trailscope
   * versions, or one file written by an older one), the query is prepared again matching
   * columns by name, with NULL for the columns none of its files has.
   */
  async #query(text: string, script: string, offset: number, sink?: RowSink): Promise<{ prepared: PreparedQuery; result: Counted }> {
    const fast = await this.#prepare(text, script, offset, false);
    const counted = sink && new ResumableSink(sink);
    try {
      return { prepared: fast, result: await this.#runTimed(fast, script, fast.stats.files.read > 0, counted) };
    } catch (e) {
      if (!(e instanceof SchemaDrift)) throw e;
      const robust = await this.#prepare(text, script, offset, true);
      return { prepared: robust, result: await this.#runTimed(robust, script, false, counted?.resumed()) };
    }
  }

  /**
   * Parses a statement. Where the parser stops at a word that could be a bare alias (Trino
   * takes `select x day`, DuckDB only `select x AS day`), it tries again with `AS` there; if
   * that does not parse either, the first error stands.
   */
  async #parse(text: string): Promise<{ prepared: ParserText; parsed: ParseOutcome }> {
    const first = forParser(text);
    const failed = { prepared: first, parsed: await parseStatement(this.engine, first.text) };
    const aliases: number[] = [];
    for (let attempt = failed; !attempt.parsed.ok && attempt.parsed.position !== undefined && aliases.length < MAX_BARE_ALIASES;) {
      const at = bareAliasAt(text, attempt.prepared.original(attempt.parsed.position));
      if (at === undefined || aliases.includes(at)) break;
      aliases.push(at);
      const prepared = forParser(text, aliases);
      attempt = { prepared, parsed: await parseStatement(this.engine, prepared.text) };
      if (attempt.parsed.ok) return attempt;
    }
    return failed;
  }

  async #prepare(text: string, script: string, offset: number, unionByName: boolean): Promise<PreparedQuery> {
    const { prepared, parsed } = await this.#parse(text);
    const locate = (at: number) => offset + prepared.original(at);
    if (!parsed.ok) {
      if (parsed.notSelect) throw sqlError('forbidden', refusal(text), script, offset);
      const message = parsed.message.replace(/^syntax error at or near/, 'syntax error at');
      throw sqlError('syntax', message, script, parsed.position === undefined ? undefined : locate(parsed.position));
    }
    let translated: ParsedStatement;
    try {
      translated = this.dialect.translate(parsed.statement);
    } catch (e) {
      if (e instanceof DialectError) throw sqlError('unsupported', e.message, script, e.at === undefined ? undefined : locate(e.at));
      throw e;
    }
    await this.#defineHelpers(translated);
    const references = lakeReferences(translated, this.catalog, script, locate);
    const lakeFiles = references.length ? await this.#files() : [];
    const constants = await this.#evaluateConstants(constantRequests(references));
    const withRaw = mentionsColumn(translated, RAW_COLUMN);
    hidePseudoColumns(translated, references, withRaw ? HIDDEN_COLUMNS : [PATH_COLUMN]);
    const scans = [];
    const lists = new FileLists();
    for (const ref of references) {
      const pruning = this.dialect.prunesFiles ? analyze(ref, constants) : { mayMatch: () => true, range: {}, columns: [] };
      const files = lakeFiles.filter((f) => inScope(ref.table.scope, f.partition) && pruning.mayMatch(f));
      const absent = unionByName ? await absentColumns(this.engine, files) : [];
      const scan = await this.#scans.subquery(ref.table, files, pruning.range, ref.ref, { withRaw, unionByName, absent, lists });
      for (const k of Object.keys(ref.ref)) delete ref.ref[k];
      Object.assign(ref.ref, scan);
      scans.push({ table: qualifiedName(ref.table), files, prunedBy: pruning.columns, range: pruning.range });
    }
    const sql = await statementSql(this.engine, translated);
    return {
      sql: lists.sql(sql),
      // Scans matching columns by name take them from every file.
      shapeSql: lists.sql(sql, !unionByName),
      stats: scanStats(lakeFiles, scans),
      scans,
      tree: parsed.statement.node,
      locate,
      tables: references.map((r) => r.table),
    };
  }

  /** Evaluates the constants time predicates compare with (`now() - interval '1' day`), in one query. */
  async #evaluateConstants(requests: ReturnType<typeof constantRequests>): Promise<Map<AstNode, number | string | null>> {
    const values = new Map<AstNode, number | string | null>();
    if (requests.length === 0) return values;
    const statement: ParsedStatement = { node: selectNode(constantSelectItems(requests), EMPTY_FROM), named_param_map: [] };
    try {
      const row = (await this.engine.query(await statementSql(this.engine, statement))).rows[0]!;
      requests.forEach((r, i) => {
        const v = row[`c${i}`];
        values.set(r.node, typeof v === 'number' || typeof v === 'string' ? v : null);
      });
    } catch {
      // A constant that does not evaluate (a bad literal) prunes nothing; the query reports the error.
    }
    return values;
  }

  /** Runs under the time limit. `mayDrift`: a binding error may come from files of another schema (throws `SchemaDrift`). */
  async #runTimed(prepared: PreparedQuery, script: string, mayDrift: boolean, sink?: RowSink): Promise<Counted> {
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      this.engine.interrupt();
    }, this.timeoutMs);
    try {
      if (!sink) return this.dialect.presentResult(await this.engine.select(prepared.sql, prepared.shapeSql));
      const lines = sink.lines && { format: sink.lines.format, write: owned(sink.lines.write.bind(sink.lines)) };
      const shape = await this.engine.selectInChunks(prepared.sql, prepared.shapeSql, {
        columns: owned((columns: string[], types: string[]) => sink.columns(columns, types)),
        // DuckDB writes lines only for types the dialect presents as they are (it rewrites
        // timestamps); the rest are written here from the presented values.
        rows: lines
          ? (chunk) => lines.write(rowLines(this.dialect.presentResult(chunk), lines.format))
          : owned((chunk: QueryResult) => sink.rows(this.dialect.presentResult(chunk))),
        takes: sink.takes,
        ...(lines ? { lines } : {}),
      });
      return { ...shape, rows: [] };
    } catch (e) {
      // The caller's own sink failed (a closed pipe, its own bug): its error, as it was.
      if (e instanceof SinkFailure) throw e.cause;
      if (mayDrift && /^Binder Error|schema mismatch/i.test((e as Error).message ?? '')) throw new SchemaDrift();
      throw explainEngineError(e, {
        tree: prepared.tree,
        script,
        locate: prepared.locate,
        tables: prepared.tables,
        dialect: this.dialect,
        timedOut,
        timeoutMs: this.timeoutMs,
        memoryLimit: this.memoryLimit,
      });
    } finally {
      clearTimeout(timer);
    }
  }

  /** With `stats: true`: which row groups of the files read the eventtime range lets the reader skip. */
  async #withRowGroups(prepared: PreparedQuery): Promise<ScanStats> {
    if (!this.options.stats || prepared.stats.files.read === 0) return prepared.stats;
    const files = [...new Map(prepared.scans.flatMap((s) => s.files).map((f) => [f.absolutePath, f])).values()];
    const groups: RowGroup[] = (await this.engine.query(rowGroupSql(files))).rows.map((r) => ({
      file: String(r.file_name),
      rows: Number(r.rows),
      min: typeof r.min === 'string' ? r.min : null,
      max: typeof r.max === 'string' ? r.max : null,
    }));
    return withRowGroups(prepared.stats, prepared.scans, groups);
  }
}

/** An error a caller's sink threw, carried through the engine to be given back as it was. */
class SinkFailure extends Error {
  constructor(override readonly cause: unknown) {
    super('the sink failed');
  }
}

function owned<A extends unknown[]>(f: (...args: A) => void | Promise<void>): (...args: A) => Promise<void> {
  return async (...args) => {
    try {
      await f(...args);
    } catch (e) {
      throw new SinkFailure(e);
    }
  };
}

/** Options that would fail later, in other words (a NaN time limit, threads DuckDB refuses as a memory error). */
function checkOptions(options: SessionOptions): void {
  if (typeof options.lake !== 'string' || options.lake === '') throw new TypeError('lake: the lake folder is required');
  if (options.timeoutMs !== undefined && !(Number.isFinite(options.timeoutMs) && options.timeoutMs > 0)) {
    throw new RangeError(`timeoutMs: expected a number of milliseconds above 0, got ${options.timeoutMs}`);
  }
  if (options.threads !== undefined && !(Number.isInteger(options.threads) && options.threads > 0)) {
    throw new RangeError(`threads: expected a whole number above 0, got ${options.threads}`);
  }
}

/**
 * A mistyped `--lake` would otherwise answer every query with no rows, which reads as "no
 * such activity". A lake is a folder with trailscope's metadata folder in it; one being
 * ingested for the first time has it from the start, so a shell opened then still works.
 */
async function mustBeLake(lake: Lake): Promise<void> {
  const { root, meta } = lake.layout;
  const statError = (path: string) =>
    stat(path).then(
      () => undefined,
      (e: NodeJS.ErrnoException) => e,
    );
  const error = await statError(meta);
  if (!error) return;
  if (error.code === 'ENOTDIR') throw new SqlError(`no lake at ${root}: it is a file, not a folder`, 'not-found');
  if (error.code !== 'ENOENT') throw new SqlError(`cannot open the lake at ${root}: ${error.message}`, 'query');
  const hint = `ingest CloudTrail logs into it first: trailscope ingest --lake ${root} <folder | s3://bucket>`;
  if (await statError(root)) throw new SqlError(`no lake at ${root}: the folder does not exist (${hint})`, 'not-found');
  throw new SqlError(`no lake at ${root}: the folder has no ${basename(meta)} folder (${hint})`, 'not-found');
}

interface CommittedFiles {
  readonly id: string;
  readonly files: ScannedFile[];
  /** False while a file is still in staging (a crash interrupted its move): it may move any time. */
  readonly cacheable: boolean;
}

async function committedFiles(lake: Lake): Promise<CommittedFiles> {
  const snapshot = await lake.snapshot();
  const files = await lake.readableFiles(snapshot);
  return { id: snapshot.id, files, cacheable: files.every((f) => f.absolutePath === lake.layout.resolve(f.path)) };
}

/** EXPLAIN's answer: what the query reads (and with ANALYZE, what it returned and how long it took). */
function explainResult(stats: ScanStats, ran: QueryResult | undefined, elapsedMs: number): QueryResult {
  const rows = stats.scans.map((s) => ({
    table: s.table,
    partitions: s.partitions,
    files: s.files,
    bytes: s.bytes,
    rows: s.rows,
    pruned_by: s.prunedBy.join(', '),
    ...(ran ? { rows_returned: ran.rows.length, elapsed_ms: Math.round(elapsedMs) } : {}),
  }));
  const columns = ['table', 'partitions', 'files', 'bytes', 'rows', 'pruned_by', ...(ran ? ['rows_returned', 'elapsed_ms'] : [])];
  const types = columns.map((c) => (c === 'table' || c === 'pruned_by' ? 'VARCHAR' : 'BIGINT'));
  return { columns, types, rows };
}
