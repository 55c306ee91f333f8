import type { LineSink, QueryResult, RowSink } from '../engine/duckdb-engine.js';

/**
 * A sink that counts the rows it passed on, so a query run again after a schema drift (`LakeSession`) can
 * resume where the first run stopped instead of repeating rows already written. Sound because
 * rows can reach a sink before the scan has read every file only through operators that keep
 * the scan's order (DuckDB preserves insertion order); a sort, an aggregate or a window emits
 * nothing before its input is read whole, and so before any file could differ.
 */
export class ResumableSink implements RowSink {
  #passed = 0;
  #told = false;
  readonly takes: number | undefined;
  readonly lines: LineSink | undefined;

  constructor(private readonly sink: RowSink) {
    this.takes = sink.takes;
    const lines = sink.lines;
    this.lines = lines && {
      format: lines.format,
      write: async (chunk) => {
        this.#passed += chunk.length;
        await lines.write(chunk);
      },
    };
  }

  async columns(columns: readonly string[], types: readonly string[]): Promise<void> {
    if (this.#told) return;
    this.#told = true;
    await this.sink.columns(columns, types);
  }

  async rows(chunk: QueryResult): Promise<void> {
    this.#passed += chunk.rows.length;
    await this.sink.rows(chunk);
  }

  /** A sink for the run again: it says nothing of the columns if they were told, and skips the rows already passed on. */
  resumed(): RowSink {
    let skip = this.#passed;
    return {
      // The run again counts from its first row, the skipped ones included.
      ...(this.takes === undefined ? {} : { takes: this.takes }),
      columns: (columns, types) => this.columns(columns, types),
      rows: async (chunk) => {
        const fresh = skip === 0 ? chunk : { ...chunk, rows: chunk.rows.slice(skip) };
        skip = Math.max(0, skip - chunk.rows.length);
        if (fresh.rows.length) await this.rows(fresh);
      },
      ...(this.lines
        ? {
            lines: {
              format: this.lines.format,
              write: async (chunk: readonly string[]) => {
                const fresh = chunk.slice(skip);
                skip = Math.max(0, skip - chunk.length);
                if (fresh.length) await this.lines!.write(fresh);
              },
            },
          }
        : {}),
    };
  }
}
