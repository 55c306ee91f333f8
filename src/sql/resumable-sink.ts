import type { JsonRow, RowSink } from '../engine/duckdb-engine.js';

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
  constructor(private readonly sink: RowSink) {}

  async columns(columns: readonly string[], types: readonly string[]): Promise<void> {
    if (this.#told) return;
    this.#told = true;
    await this.sink.columns(columns, types);
  }

  async rows(rows: readonly JsonRow[], columns: readonly string[], types: readonly string[]): Promise<void> {
    this.#passed += rows.length;
    await this.sink.rows(rows, columns, types);
  }

  /** A sink for the run again: it says nothing of the columns if they were told, and skips the rows already passed on. */
  resumed(): RowSink {
    let skip = this.#passed;
    return {
      columns: (columns, types) => this.columns(columns, types),
      rows: async (rows, columns, types) => {
        const fresh = skip >= rows.length ? [] : rows.slice(skip);
        skip = Math.max(0, skip - rows.length);
        if (fresh.length) await this.rows(fresh, columns, types);
      },
    };
  }
}
