/**
 * The one module that talks to DuckDB. Everything else asks it for rows as JSON values.
 *
 * Conversion rule for numbers: BIGINT/HUGEINT become JSON numbers while they are exact in a
 * double (|n| <= 2^53), and strings beyond, so `count(*)` prints as 42 and a 20-digit id is
 * never rounded; DECIMALs of up to 15 digits are numbers, wider ones their exact text. MAPs become plain objects, as Athena prints them.
 */
import type {
  DuckDBConnection,
  DuckDBInstance,
  DuckDBResultReader,
  DuckDBType,
  DuckDBTypeId,
  DuckDBValue,
  DuckDBValueConverter,
  Json,
} from '@duckdb/node-api';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { duckdb } from './duckdb-module.js';
import { linesQuery, type LineFormat } from './result-lines-query.js';
import { rowLines } from './result-lines.js';
import { jsonRowsQuery } from './json-rows-query.js';

export type JsonValue = Json;
export type JsonRow = Record<string, JsonValue>;

export interface QueryResult {
  readonly columns: string[];
  /** DuckDB's type of each column, e.g. `VARCHAR`, `BIGINT`, `STRUCT(...)`. */
  readonly types: string[];
  readonly rows: JsonRow[];
}

/**
 * Where a query's rows go when they are not kept: `columns` once the query runs, then `rows`
 * with each chunk of rows DuckDB makes (about 2,048), each awaited before the next is read.
 */
export interface RowSink {
  columns(columns: readonly string[], types: readonly string[]): void | Promise<void>;
  rows(chunk: QueryResult): void | Promise<void>;
  /**
   * Rows this sink takes. DuckDB's rows past them are counted, never read out of DuckDB or
   * parsed (a terminal's table shows the first thousand of a result of any size).
   */
  readonly takes?: number;
  /**
   * Given, and no `takes`: rows come to `lines.write` instead, as the lines of text the CLI
   * prints in `lines.format`: written by DuckDB (`result-lines-query.ts`) where the result's
   * types allow, else from the rows' values (`result-lines.ts`; `LakeSession` makes those
   * lines, after presenting the values, and `Engine` leaves them to `rows`).
   */
  readonly lines?: LineSink;
}

export interface LineSink {
  readonly format: LineFormat;
  write(lines: readonly string[]): void | Promise<void>;
}

/** A result whose rows went to a sink: `rowCount` the rows the query returned, handed on or only counted. */
export interface StreamedResult {
  readonly columns: string[];
  readonly types: string[];
  readonly rowCount: number;
}

/** Rows from the one-JSON-text-per-row column of `jsonRowsQuery`. */
const parsedRows = (texts: readonly DuckDBValue[]): JsonRow[] => texts.map((text) => JSON.parse(String(text)) as JsonRow);

export interface EngineOptions {
  /** Worker threads DuckDB may use; defaults to DuckDB's own choice (all cores). */
  readonly threads?: number;
  /** e.g. '1GB'. */
  readonly memoryLimit?: string;
  /**
   * Keep memory DuckDB frees, up to `memoryLimit`, for the next statement instead of giving
   * it back: on some VMs touching fresh pages costs several ms per MB, more than the work done on them.
   */
  readonly keepFreedMemory?: boolean;
  /**
   * Name of the folder, in the system's temp folder, where DuckDB spills what does not fit in
   * memory (`<name>-<pid>-<random>`; removed on close). DuckDB's own default is `.tmp` in the
   * working directory: the user's, not ours.
   */
  readonly spillFolderName?: string;
  /** DuckDB optimizer rules turned off for every statement (`disabled_optimizers`, a global setting). */
  readonly disabledOptimizers?: readonly string[];
}

function exactNumber(value: DuckDBValue): number | string {
  const text = String(value);
  const n = Number(text);
  return Number.isSafeInteger(n) || (Number.isFinite(n) && !/^-?\d{16,}/.test(text)) ? n : text;
}

/**
 * A DECIMAL of up to 15 digits is a number (a double holds it exactly); a wider one is its exact
 * text: as a number, `99999999999999.99` would come out `99999999999999.98`. Decided by the
 * column's type, so a column is all numbers or all strings.
 */
function decimalValue(value: DuckDBValue, type: DuckDBType): number | string {
  return type.typeId === Id.DECIMAL && type.width <= 15 ? Number(String(value)) : String(value);
}

const base = duckdb.JsonDuckDBValueConverter;
const Id = duckdb.DuckDBTypeId;
const converter: DuckDBValueConverter<Json> = duckdb.createDuckDBValueConverter<Json>({
  ...(Object.fromEntries(
    Object.values(Id)
      .filter((id): id is DuckDBTypeId => typeof id === 'number')
      .map((id) => [id, (v: DuckDBValue, t: DuckDBType, c: DuckDBValueConverter<Json>) => base(v, t, c)]),
  ) as Record<DuckDBTypeId, DuckDBValueConverter<Json>>),
  [Id.BIGINT]: exactNumber,
  [Id.UBIGINT]: exactNumber,
  [Id.HUGEINT]: exactNumber,
  [Id.UHUGEINT]: exactNumber,
  [Id.DECIMAL]: decimalValue,
  [Id.MAP]: (v, t, c) => {
    const entries = base(v, t, c) as Array<{ key: Json; value: Json }>;
    return Object.fromEntries(entries.map((e) => [String(e.key), e.value]));
  },
});

export class Engine {
  /** `interrupt` was called during the statement running now. */
  #interrupted = false;

  private constructor(
    private readonly instance: DuckDBInstance,
    readonly connection: DuckDBConnection,
    /** Sessions share their parent's database and leave it open when they close. */
    private readonly ownsInstance = true,
    private readonly spillFolder?: string,
  ) {}

  /** An in-memory DuckDB: the lake's files are its data, nothing is kept in a database file. */
  static async create(options: EngineOptions = {}): Promise<Engine> {
    const config: Record<string, string> = {};
    if (options.threads) config.threads = String(options.threads);
    if (options.memoryLimit) config.memory_limit = options.memoryLimit;
    if (options.keepFreedMemory) config.allocator_flush_threshold = options.memoryLimit ?? '80%';
    if (options.disabledOptimizers?.length) config.disabled_optimizers = options.disabledOptimizers.join(',');
    // DuckDB creates the folder only when something spills.
    const spill = join(
      tmpdir(),
      `${options.spillFolderName ?? 'trailscope-spill'}-${process.pid}-${Math.random().toString(36).slice(2, 10)}`,
    );
    config.temp_directory = spill;
    const instance = await duckdb.DuckDBInstance.create(':memory:', config);
    return new Engine(instance, await instance.connect(), true, spill);
  }

  /**
   * Another session on the same database (same tables, not the same TEMP tables), for
   * running independent statements at once. Close it before the engine.
   */
  async session(): Promise<Engine> {
    return new Engine(this.instance, await this.instance.connect(), false);
  }

  /** Runs statements whose result is not needed. */
  async run(sql: string): Promise<void> {
    await this.connection.run(sql);
  }

  async query(sql: string): Promise<QueryResult> {
    return toQueryResult(await this.connection.runAndReadAll(sql));
  }

  /**
   * Runs one SELECT; the same result as `query`, read much faster when it has many rows
   * (see `json-rows-query.ts`). Result columns of the same name are told apart as `name:1`.
   * `shapeSql`: a query with the same result columns that binds faster (fewer files).
   *
   * Read a chunk at a time, so that no more than one chunk's JSON texts exist beside the
   * rows: reading the whole result first held DuckDB's copy of every row's text, then
   * all of them as JavaScript strings, next to the rows made from them.
   */
  async select(sql: string, shapeSql = sql): Promise<QueryResult> {
    const rows: JsonRow[] = [];
    const shape = await this.selectInChunks(sql, shapeSql, {
      columns: () => {},
      rows: (chunk) => {
        for (const row of chunk.rows) rows.push(row);
      },
    });
    return { ...shape, rows };
  }

  /**
   * Runs one SELECT as `select` does, but hands its rows to `sink` a chunk at a time as DuckDB
   * makes them: however many rows the result has, only one chunk of them is held here.
   *
   * A result that stops early is an error, never a short answer. @duckdb/node-api's
   * `fetchChunk` ends a stream that failed midway (a value that does not cast, memory, a
   * schema mismatch in a later file, `interrupt`) exactly as one that is done, and does not
   * say why. What tells them apart is DuckDB's `duckdb_result_is_streaming`, false once the
   * result holds an error; `#whyStopped` then finds the error itself.
   */
  async selectInChunks(sql: string, shapeSql: string, sink: RowSink): Promise<StreamedResult> {
    this.#interrupted = false;
    const shape = await this.#shape(shapeSql);
    const { columns } = shape;
    const types = shape.types.map(String);
    const lineSink = sink.takes === undefined ? sink.lines : undefined;
    const lines = lineSink && linesQuery(sql, columns, shape.types, lineSink.format);
    const wrapped = lines ? undefined : jsonRowsQuery(sql, columns, shape.types);
    const query = lines ?? wrapped ?? sql;
    // Binding errors come from here, before the sink has been told anything.
    const result = await this.connection.stream(query);
    await sink.columns(columns, types);
    const takes = sink.takes ?? Infinity;
    let rowCount = 0;
    for (let chunk = await result.fetchChunk(); chunk && chunk.rowCount > 0; chunk = await result.fetchChunk()) {
      // DuckDB may have made the whole result already, and then no longer sees an interrupt:
      // one that comes while a slow sink reads it (a time limit, Ctrl-C, close) stops it here.
      if (this.#interrupted) throw new Error(INTERRUPTED);
      if (lines) {
        const texts = chunk.getColumnValues(0) as Array<string | null>;
        // A row with no line (rare) comes with its JSON object text, to be written from its values.
        const objects = texts.includes(null) ? chunk.getColumnValues(1) : [];
        rowCount += chunk.rowCount;
        chunk.reset();
        await lineSink!.write(objects.length ? chunkLines(texts, objects, { columns, types }, lineSink!.format) : (texts as string[]));
        continue;
      }
      const wanted = Math.min(chunk.rowCount, takes - rowCount);
      rowCount += chunk.rowCount;
      const rows =
        wanted <= 0
          ? []
          : wrapped
            ? parsedRows(chunk.getColumnValues(0).slice(0, wanted))
            : chunk
                .convertRows(converter)
                .slice(0, wanted)
                .map((values) => Object.fromEntries(columns.map((c, i) => [c, values[i] ?? null])));
      // The chunk's strings live in DuckDB's memory until its JavaScript object is collected,
      // which, when little JavaScript is allocated (rows only counted), can be a gigabyte later.
      chunk.reset();
      if (rows.length) await sink.rows({ columns, types, rows });
    }
    if (!result.isStreaming) throw await this.#whyStopped(query);
    return { columns, types, rowCount };
  }

  /**
   * Stops the statement running now; it fails with DuckDB's "Interrupted!" (a result being
   * read stops short, and `selectInChunks` then knows why without running it again).
   */
  interrupt(): void {
    this.#interrupted = true;
    this.connection.interrupt();
  }

  /**
   * The error that stopped a result before its last row. Unless it was `interrupt`, the query
   * runs again down to one aggregate of every column, which meets the same error and, this time,
   * DuckDB's message with it (no rows are kept).
   */
  async #whyStopped(query: string): Promise<Error> {
    if (this.#interrupted) return new Error(INTERRUPTED);
    try {
      await this.connection.run(`SELECT count(COLUMNS(*)) FROM (${query})`);
    } catch (e) {
      return e as Error;
    }
    return new Error('the result stopped before its last row, and running the query again met no error: run it again');
  }

  /** The result columns of a SELECT, named as `select` names them, and their types, without running it. */
  async #shape(shapeSql: string): Promise<{ columns: string[]; types: DuckDBType[] }> {
    const prepared = await this.connection.prepare(shapeSql);
    try {
      const names = Array.from({ length: prepared.columnCount }, (_, i) => prepared.columnName(i));
      const types = Array.from({ length: prepared.columnCount }, (_, i) => prepared.columnType(i));
      return { columns: deduplicated(names), types };
    } finally {
      prepared.destroySync();
    }
  }

  close(): void {
    this.connection.closeSync();
    if (this.ownsInstance) this.instance.closeSync();
    if (this.spillFolder) rmSync(this.spillFolder, { recursive: true, force: true });
  }
}

/** DuckDB's own message for an interrupted statement. */
const INTERRUPTED = 'INTERRUPT Error: Interrupted!';

/** A chunk's lines, each row that has none written from its JSON object text (`rowLines`). */
function chunkLines(
  texts: ReadonlyArray<string | null>,
  objects: readonly DuckDBValue[],
  result: Omit<QueryResult, 'rows'>,
  format: LineFormat,
): string[] {
  return texts.map((text, i) => text ?? rowLines({ ...result, rows: parsedRows([objects[i]!]) }, format)[0]!);
}

/** `a, a, b` as `a, a:1, b`: the names @duckdb/node-api gives duplicate columns. */
function deduplicated(names: readonly string[]): string[] {
  const seen = new Map<string, number>();
  return names.map((name) => {
    const n = seen.get(name) ?? 0;
    seen.set(name, n + 1);
    return n ? `${name}:${n}` : name;
  });
}

function toQueryResult(reader: DuckDBResultReader): QueryResult {
  return {
    columns: reader.columnNames(),
    types: reader.columnTypes().map((t) => t.toString()),
    rows: reader.convertRowObjects(converter) as JsonRow[],
  };
}

/** A SQL string literal. */
export function sqlString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

/** A SQL list of string literals, for `read_parquet([...])`. */
export function sqlStringList(values: readonly string[]): string {
  return `[${values.map(sqlString).join(', ')}]`;
}
