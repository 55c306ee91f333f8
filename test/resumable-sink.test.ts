import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { JsonRow } from '../src/engine/duckdb-engine.js';
import { ResumableSink } from '../src/sql/resumable-sink.js';

const rows = (from: number, to: number): JsonRow[] => Array.from({ length: to - from }, (_, i) => ({ n: from + i }));

describe('ResumableSink', () => {
  it('passes each row once when a query is run again: the columns told once, the rows already passed skipped across chunks', async () => {
    const told: string[][] = [];
    const passed: JsonRow[] = [];
    const sink = new ResumableSink({ columns: (c) => void told.push([...c]), rows: (r) => void passed.push(...r) });
    await sink.columns(['n'], ['INTEGER']);
    await sink.rows(rows(0, 3), ['n'], ['INTEGER']);
    await sink.rows(rows(3, 5), ['n'], ['INTEGER']);
    // The run again starts from the first row, in chunks that do not line up with the first run's.
    const again = sink.resumed();
    await again.columns(['n'], ['INTEGER']);
    await again.rows(rows(0, 4), ['n'], ['INTEGER']);
    await again.rows(rows(4, 6), ['n'], ['INTEGER']);
    await again.rows(rows(6, 8), ['n'], ['INTEGER']);
    assert.deepEqual(told, [['n']]);
    assert.deepEqual(passed, rows(0, 8));
  });

  it('tells the columns on the run again when the first run failed before telling them', async () => {
    const told: string[][] = [];
    const passed: JsonRow[] = [];
    const again = new ResumableSink({ columns: (c) => void told.push([...c]), rows: (r) => void passed.push(...r) }).resumed();
    await again.columns(['n'], ['INTEGER']);
    await again.rows(rows(0, 2), ['n'], ['INTEGER']);
    assert.deepEqual(told, [['n']]);
    assert.deepEqual(passed, rows(0, 2));
  });
});
