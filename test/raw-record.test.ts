import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { recordFromRow, sameRecord } from '../src/cloudtrail/raw-record.js';
import { toLakeRow } from '../src/cloudtrail/record.js';
import { ingest } from '../src/ingest/ingest.js';
import { query } from '../src/sql/query.js';
import { record, tempDir, writeRaw } from './support/log-files.js';

const TESTDATA = new URL('fixtures/public-events/', import.meta.url);
const SETS = ['awsdocs-cloudtrail-user-guide', 'awsdocs-service-guides', 'stratus-red-team', 'panther', 'streamalert'];

function realEvents(): Array<Record<string, unknown>> {
  return SETS.flatMap((name) =>
    readFileSync(new URL(`${name}.jsonl`, TESTDATA), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Record<string, unknown>),
  );
}

describe('sameRecord(a, b)', () => {
  it('ignores member order and treats a null member as a missing one', () => {
    assert.ok(sameRecord({ a: 1, b: { c: [1, { d: 2 }] }, e: null }, { b: { c: [1, { d: 2 }] }, a: 1 }));
    assert.ok(sameRecord({ a: 1, webIdFederationData: {} }, { a: 1 }), 'an empty object says nothing');
    assert.ok(!sameRecord({ a: 1 }, { a: '1' }));
    assert.ok(!sameRecord({ a: [1, 2] }, { a: [2, 1] }));
    assert.ok(!sameRecord({ a: { b: 1 } }, { a: { b: 1, c: 2 } }));
  });
});

describe('recordFromRow(row)', () => {
  it('gives back a typical record whole, so the lake need not store its text', () => {
    const r = record({ resources: [{ ARN: 'arn:aws:s3:::b/k', type: 'AWS::S3::Object' }], readOnly: false });
    const { row } = toLakeRow(r, 'x');
    assert.ok(sameRecord(r, recordFromRow(row)));
    assert.equal(row.raw, null);
  });

  it('keeps the text of a record the columns cannot give back', () => {
    const lower = { eventtime: '2024-01-01T00:00:00Z', eventname: 'X', eventsource: 'y' };
    assert.equal(toLakeRow(lower, 'x').row.raw, JSON.stringify(lower));
    const extra = record({ somethingNew: 1 });
    assert.equal(toLakeRow(extra, 'x').row.raw, JSON.stringify(extra));
    const numberAsString = record({ apiVersion: 20160101 });
    assert.notEqual(toLakeRow(numberAsString, 'x').row.raw, null);
  });
});

describe('the raw column', () => {
  it('gives back every real event of the public test sets, stored or rebuilt', async (t) => {
    const dir = await tempDir(t);
    const events = realEvents().filter((e) => e.eventTime || e.eventName);
    await writeRaw(dir, 'logs/events.json', JSON.stringify({ Records: events }));
    const lake = join(dir, 'lake');
    await ingest({ lake, sources: [join(dir, 'logs')] });
    const rows = (await query({ lake }, 'select raw from cloudtrail_logs')).rows.map((r) => JSON.parse(String(r.raw)) as unknown);
    assert.ok(rows.length >= events.length - 10, `${rows.length} of ${events.length}`);
    let unmatched = 0;
    for (const row of rows) if (!events.some((e) => sameRecord(e, row))) unmatched++;
    assert.equal(unmatched, 0);
    const stored = Number(
      (await query({ lake }, `select count(*) filter (where raw like '%"eventVersion"%') as n from cloudtrail_logs`)).rows[0]!.n,
    );
    assert.ok(stored > 0);
  });
});
