import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { JsonRow, QueryResult } from '../src/engine/duckdb-engine.js';
import { ResumableSink } from '../src/sql/resumable-sink.js';

const rows = (from: number, to: number): JsonRow[] => Array.from({ length: to - from }, (_, i) => ({ n: from + i }));
const chunk = (from: number, to: number): QueryResult => ({ columns: ['n'], types: ['INTEGER'], rows: rows(from, to) });

describe('ResumableSink', () => {
  it('passes each row once when a query is run again: the columns told once, the rows already passed skipped across chunks', async () => {
    const told: string[][] = [];
    const passed: JsonRow[] = [];
    const sink = new ResumableSink({ columns: (c) => void told.push([...c]), rows: (chunk) => void passed.push(...chunk.rows) });
    await sink.columns(['n'], ['INTEGER']);
    await sink.rows(chunk(0, 3));
    await sink.rows(chunk(3, 5));
    // The run again starts from the first row, in chunks that do not line up with the first run's.
    const again = sink.resumed();
    await again.columns(['n'], ['INTEGER']);
    await again.rows(chunk(0, 4));
    await again.rows(chunk(4, 6));
    await again.rows(chunk(6, 8));
    assert.deepEqual(told, [['n']]);
    assert.deepEqual(passed, rows(0, 8));
  });

  it('tells the columns on the run again when the first run failed before telling them', async () => {
    const told: string[][] = [];
    const passed: JsonRow[] = [];
    const again = new ResumableSink({ columns: (c) => void told.push([...c]), rows: (chunk) => void passed.push(...chunk.rows) }).resumed();
    await again.columns(['n'], ['INTEGER']);
    await again.rows(chunk(0, 2));
    assert.deepEqual(told, [['n']]);
    assert.deepEqual(passed, rows(0, 2));
  });
});
