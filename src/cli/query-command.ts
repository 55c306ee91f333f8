/**
 * `trailscope query` and `trailscope relationalize`: SQL in, rows out. Results go to stdout
 * in the chosen format; messages of DDL statements and `--stats` lines go to stderr when the
 * format is for programs (csv, json, jsonl), so stdout stays parseable.
 */
import { once } from 'node:events';
import { appendFile, readFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { LakeSession, SqlError, openQuerySession, relationalizeApi, type StatementResult } from '../sql/query.js';
import { isCompleteStatement, tokenize } from '../sql/sql-text.js';
import { CliError, EXIT } from './cli-error.js';
import type { QueryResult, RowSink } from '../engine/duckdb-engine.js';
import {
  TABLE_ROWS,
  csvHeader,
  formatFooter,
  formatResult,
  formatRows,
  formatScanStats,
  jsonArrayEnd,
  type ResultFormat,
  type RowByRowFormat,
} from './result-format.js';

export interface QueryFlags {
  lake: string;
  file?: string;
  format?: ResultFormat;
  stats?: boolean;
  /** Seconds. */
  timeout?: number;
  memoryLimit?: string;
  interactive?: boolean;
}

/** `oneScript`: the session runs one script and closes (see `footerCache`). */
async function openSession(flags: QueryFlags, oneScript: boolean): Promise<LakeSession> {
  try {
    return await openQuerySession({
      lake: flags.lake,
      footerCache: !oneScript,
      ...(flags.timeout ? { timeoutMs: flags.timeout * 1000 } : {}),
      ...(flags.memoryLimit ? { memoryLimit: flags.memoryLimit } : {}),
      ...(flags.stats ? { stats: true } : {}),
    });
  } catch (e) {
    throw new CliError((e as Error).message, EXIT.usage);
  }
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Writes to stdout, waiting when a slow reader leaves it full. */
async function write(text: string): Promise<void> {
  if (text && !process.stdout.write(text)) await once(process.stdout, 'drain');
}

/**
 * Writes one statement's outcome. `shown` counts result sets already printed, to separate them.
 * A query's rows come through `sink` as DuckDB makes them: csv, jsonl and json write them at
 * once, so a result of millions of rows never has to fit in memory; a table keeps the first
 * `TABLE_ROWS` to size its columns, prints them as soon as they are in, and DuckDB counts the rest.
 */
class ResultPrinter {
  shown = 0;
  /** Rows of the current result so far. */
  #written = 0;
  /** In a table, the current result's first `TABLE_ROWS` rows. */
  #table: QueryResult | undefined;
  /** The table was printed as soon as it was full, before the query ended. */
  #tablePrinted = false;
  readonly sink: RowSink;

  constructor(
    private readonly format: ResultFormat,
    private readonly stats: boolean,
  ) {
    this.sink = format === 'table' ? this.#tableSink() : this.#rowByRowSink(format);
  }

  /**
   * The first `TABLE_ROWS` rows, printed as soon as they are in; DuckDB only counts the rest
   * (`takes`), and the footer gives the count when the query ends.
   */
  #tableSink(): RowSink {
    return {
      takes: TABLE_ROWS,
      columns: (columns, types) => {
        this.#table = { columns: [...columns], types: [...types], rows: [] };
        this.#tablePrinted = false;
      },
      rows: (chunk) => {
        const kept = this.#table!.rows;
        kept.push(...chunk.rows);
        if (kept.length >= TABLE_ROWS) return this.#printTable();
      },
    };
  }

  async #printTable(): Promise<void> {
    if (this.shown++ > 0) await write('\n');
    await write(formatResult(this.#table!, 'table'));
    this.#tablePrinted = true;
  }

  #rowByRowSink(format: RowByRowFormat): RowSink {
    return {
      columns: async (columns) => {
        this.#written = 0;
        if (this.shown++ > 0 && format === 'csv') await write('\n');
        if (format === 'csv') await write(csvHeader(columns));
      },
      rows: (chunk) => {
        const text = formatRows(chunk, format, this.#written);
        this.#written += chunk.rows.length;
        return write(text);
      },
      // DuckDB writes the lines itself when it can, the same text `formatRows` makes.
      ...(format === 'csv' || format === 'jsonl'
        ? {
            lines: {
              format,
              write: (lines: readonly string[]) => {
                this.#written += lines.length;
                return write(lines.join(''));
              },
            },
          }
        : {}),
    };
  }

  async print(r: StatementResult): Promise<void> {
    const human = this.format === 'table';
    if (r.message) (human ? process.stdout : process.stderr).write(`${r.message}\n`);
    if (r.kind === 'query' && human) {
      // Its rows came through the sink (which every query tells its columns first); the table holds the first of them.
      if (!this.#tablePrinted) await this.#printTable();
      await write(formatFooter(r.rowCount, r.elapsedMs, this.#table!.rows.length));
      this.#table = undefined;
    } else if (r.kind === 'query') {
      // Its rows went to the sink as they came.
      if (this.format === 'json') await write(jsonArrayEnd(this.#written));
    } else if (r.columns.length > 0) {
      if (this.shown++ > 0 && (human || this.format === 'csv')) process.stdout.write('\n');
      process.stdout.write(formatResult(r, this.format));
      if (human) process.stdout.write(formatFooter(r.rows.length, r.elapsedMs));
    }
    if (this.stats && (r.kind === 'query' || r.kind === 'explain')) process.stderr.write(formatScanStats(r.stats, r.elapsedMs));
  }
}

export async function runQuery(sql: string | undefined, flags: QueryFlags): Promise<number> {
  let text = sql;
  if (flags.file) {
    try {
      text = await readFile(flags.file, 'utf8');
    } catch (e) {
      throw new CliError(`cannot read --file ${flags.file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
  }
  if (text === undefined && (flags.interactive || process.stdin.isTTY)) return runShell(flags);
  if (text === undefined) text = await readStdin();
  if (!text.trim()) {
    throw new CliError(
      'give the SQL as an argument, with --file, or on stdin (e.g. trailscope query "select count(*) from cloudtrail_logs")',
    );
  }
  const printer = new ResultPrinter(flags.format ?? (process.stdout.isTTY ? 'table' : 'csv'), flags.stats === true);
  const session = await openSession(flags, true);
  try {
    for await (const r of session.execute(text, printer.sink)) await printer.print(r);
  } catch (e) {
    if (e instanceof SqlError) throw new CliError(e.message, EXIT.queryFailed);
    throw e;
  } finally {
    session.close();
  }
  return EXIT.ok;
}

const HELP = `End each statement with ; (it may span lines). Tables: SHOW TABLES; columns: DESCRIBE cloudtrail_logs;
what a query reads: EXPLAIN <query>. Ctrl-C cancels a running query or clears the input; Ctrl-D or .exit leaves.
`;

function historyFile(): string {
  return process.env.TRAILSCOPE_HISTORY || join(homedir(), '.trailscope_history');
}

function loadHistory(): string[] {
  try {
    return readFileSync(historyFile(), 'utf8').split('\n').filter(Boolean).reverse().slice(0, 1000);
  } catch {
    return [];
  }
}

/**
 * A statement as one line of history, to be recalled and run as it was: its tokens as typed,
 * one space apart, without comments (a `--` comment on one line would swallow the rest). A
 * statement with a line break inside a string is not kept: one line cannot hold it.
 */
export function historyLine(script: string): string | undefined {
  const tokens = tokenize(script);
  if (tokens.some((t) => (t.kind === 'string' || t.kind === 'quoted') && /[\r\n]/.test(t.value))) return undefined;
  let line = '';
  tokens.forEach((t, i) => {
    const glued = i > 0 && tokens[i - 1]!.end === t.start;
    line += (i === 0 || glued ? '' : ' ') + script.slice(t.start, t.end);
  });
  return line || undefined;
}

/** The interactive shell: multi-line statements, history kept across runs, one warm session. */
async function runShell(flags: QueryFlags): Promise<number> {
  const session = await openSession(flags, false);
  const printer = new ResultPrinter(flags.format ?? 'table', flags.stats === true);
  const terminal = process.stdin.isTTY === true;
  const rl = createInterface({ input: process.stdin, output: process.stdout, terminal, history: loadHistory(), historySize: 1000 });
  const prompt = 'trailscope> ';
  const more = '        -> ';
  let buffer = '';
  let running = false;
  let failed = false;
  rl.on('SIGINT', () => {
    if (running) session.interrupt();
    else if (buffer) {
      buffer = '';
      process.stdout.write('\n');
      rl.setPrompt(prompt);
      rl.prompt();
    } else rl.close();
  });
  process.stdout.write(`trailscope SQL on ${flags.lake}. ${HELP}`);
  rl.setPrompt(prompt);
  rl.prompt();
  for await (const line of rl) {
    if (!buffer && /^\s*(\.exit|\.quit|exit|quit|\\q)\s*;?\s*$/i.test(line)) break;
    if (!buffer && /^\s*(\.help|help|\\\?)\s*;?\s*$/i.test(line)) {
      process.stdout.write(HELP);
      rl.prompt();
      continue;
    }
    buffer += (buffer ? '\n' : '') + line;
    if (!isCompleteStatement(buffer)) {
      rl.setPrompt(buffer.trim() ? more : prompt);
      if (!buffer.trim()) buffer = '';
      rl.prompt();
      continue;
    }
    const script = buffer;
    buffer = '';
    const remembered = historyLine(script);
    if (remembered) await appendFile(historyFile(), `${remembered}\n`).catch(() => {});
    running = true;
    try {
      for await (const r of session.execute(script, printer.sink)) await printer.print(r);
    } catch (e) {
      failed = true;
      process.stderr.write(`${e instanceof SqlError && e.kind === 'interrupted' ? 'query cancelled' : (e as Error).message}\n`);
    } finally {
      running = false;
    }
    rl.setPrompt(prompt);
    rl.prompt();
  }
  rl.close();
  session.close();
  if (terminal) process.stdout.write('\n');
  // Statements piped into the shell are a script: one that failed fails the run, as without -i.
  return failed && !terminal ? EXIT.queryFailed : EXIT.ok;
}

export interface RelationalizeFlags {
  lake: string;
  eventSource: string;
  eventName: string;
  name?: string;
}

export async function runRelationalize(flags: RelationalizeFlags): Promise<number> {
  const session = await openSession({ lake: flags.lake }, true);
  try {
    const view = await relationalizeApi(session, {
      eventSource: flags.eventSource,
      eventName: flags.eventName,
      ...(flags.name ? { name: flags.name } : {}),
    });
    const name = view.table.name;
    const columns = view.columns.map((c) => `  ${c.name} ${c.type.toLowerCase()}`).join('\n');
    const example = view.columns[0] ? `"${view.columns[0].name}"` : 'eventname';
    process.stdout.write(
      `created view ${name} of ${view.events.toLocaleString('en-US')} ${flags.eventSource} ${flags.eventName} events, with ${view.columns.length} columns from requestparameters/responseelements:\n${columns || '  (none: the events have no request or response keys)'}\n` +
        `query it: trailscope query 'select ${example}, count(*) as n from ${name} group by 1 order by 2 desc'\n`,
    );
    return EXIT.ok;
  } catch (e) {
    if (e instanceof SqlError) throw new CliError(e.message, EXIT.queryFailed);
    throw e;
  } finally {
    session.close();
  }
}
