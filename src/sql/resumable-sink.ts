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
    /** The part of a chunk of the run again that was not passed on before. */
    const fresh = <T>(items: readonly T[]): T[] => {
      const out = items.slice(skip);
      skip = Math.max(0, skip - items.length);
      return out;
    };
    const lines = this.lines;
    return {
      // The run again counts from its first row, the skipped ones included.
      takes: this.takes,
      columns: (columns, types) => this.columns(columns, types),
      rows: async (chunk) => {
        const rows = fresh(chunk.rows);
        if (rows.length) await this.rows({ ...chunk, rows });
      },
      lines: lines && {
        format: lines.format,
        write: async (chunk) => {
          const text = fresh(chunk);
          if (text.length) await lines.write(text);
        },
      },
    };
  }
}
