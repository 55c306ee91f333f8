import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { LogFileError, readLogFile, readLogFileParts } from '../src/cloudtrail/log-file.js';
import { isCloudTrailRecord, toLakeRow } from '../src/cloudtrail/record.js';
import { record } from './support/log-files.js';

const bytes = (s: string) => new TextEncoder().encode(s);

function records(input: Uint8Array) {
  const content = readLogFile(input);
  if (content.kind !== 'records') assert.fail(`expected records, got ${content.kind}: ${content.why}`);
  return content;
}

describe('readLogFile(bytes)', () => {
  it('reads a gzip delivery file {"Records":[...]}', () => {
    const c = records(gzipSync(JSON.stringify({ Records: [record(), record()] })));
    assert.equal(c.records.length, 2);
    assert.equal(c.rejectedRecords, 0);
  });

  it('reads JSON lines with lower-case keys, as the seed-002 Lambda writes them', () => {
    const lower = (r: Record<string, unknown>) =>
      JSON.parse(JSON.stringify(r).replace(/"([A-Za-z]+)":/g, (_m, k: string) => `"${k.toLowerCase()}":`));
    const c = records(bytes([lower(record()), lower(record()), lower(record())].map((r) => JSON.stringify(r)).join('\n')));
    assert.equal(c.records.length, 3);
    const { row } = toLakeRow(c.records[0]!, 'file:///x');
    assert.equal((row.useridentity as { username: string }).username, 'alice');
    assert.equal(row.sourceipaddress, '198.51.100.7');
  });

  it('reads LookupEvents output, whose events carry the record as a CloudTrailEvent string', () => {
    const out = {
      Events: [record(), record()].map((r) => ({ EventId: r.eventID, EventName: r.eventName, CloudTrailEvent: JSON.stringify(r) })),
    };
    assert.equal(records(bytes(JSON.stringify(out))).records.length, 2);
  });

  it('reads CloudTrail Lake style lines of {"CloudTrailEvent": "..."}', () => {
    const lines = [record(), record()].map((r) => JSON.stringify({ CloudTrailEvent: JSON.stringify(r) })).join('\n');
    assert.equal(records(bytes(lines)).records.length, 2);
  });

  it("reads events printed one after another over several lines, as jq '.Records[]' prints them, a broken one costing only itself", () => {
    const [a, b, c] = [record({ eventID: 'a' }), record({ eventID: 'b' }), record({ eventID: 'c' })];
    const printed = [a, b, c].map((r) => JSON.stringify(r, null, 2)).join('\n');
    assert.deepEqual(
      records(bytes(printed)).records.map((r) => r.eventID),
      ['a', 'b', 'c'],
    );
    const broken = [JSON.stringify(a, null, 2), '{\n  "eventID": "x",\n  "eventTime": nope\n}', JSON.stringify(c, null, 2)].join('\n');
    const read = records(bytes(broken));
    assert.deepEqual(
      read.records.map((r) => r.eventID),
      ['a', 'c'],
    );
    assert.equal(read.rejectedRecords, 1);
  });

  it('rejects only the header line of JSON lines that start with one, and names UTF-16 for what it is', () => {
    const [a, b] = [JSON.stringify(record({ eventID: 'a' })), JSON.stringify(record({ eventID: 'b' }))];
    const withHeader = records(bytes(`# CloudTrail export, 2 events\n${a}\n${b}\n`));
    assert.deepEqual(
      withHeader.records.map((r) => r.eventID),
      ['a', 'b'],
    );
    assert.equal(withHeader.rejectedRecords, 1);
    assert.match(withHeader.rejectReasons[0]!, /^line 1: malformed JSON/);
    assert.throws(
      () => readLogFile(Buffer.from(`\ufeff{"Records":[${a}]}`, 'utf16le')),
      (e: unknown) => e instanceof LogFileError && /^UTF-16 text, where CloudTrail writes UTF-8/.test(e.reason),
    );
    assert.throws(
      () => readLogFile(bytes('plain text\nmore text\n')),
      (e: unknown) => e instanceof LogFileError && /not JSON/.test(e.reason),
    );
  });

  it('reads the EventBridge envelope and a plain array of events', () => {
    assert.equal(records(bytes(JSON.stringify({ 'detail-type': 'AWS API Call via CloudTrail', detail: record() }))).records.length, 1);
    assert.equal(records(bytes(JSON.stringify([record(), record(), record()]))).records.length, 3);
  });

  it('reads every real event of the public test sets', () => {
    for (const name of ['stratus-red-team', 'awsdocs-cloudtrail-user-guide', 'streamalert', 'streamalert-eventbridge-detail']) {
      const text = readFileSync(new URL(`fixtures/public-events/${name}.jsonl`, import.meta.url));
      const lines = text.toString().split('\n').filter(Boolean).length;
      const c = records(text);
      assert.equal(c.records.length + c.rejectedRecords, lines, name);
      assert.ok(c.records.length >= lines - 1, `${name}: ${c.rejectReasons.join('; ')}`);
    }
  });

  it('calls an empty Records array and non-CloudTrail JSON "not CloudTrail", not an error', () => {
    assert.deepEqual(readLogFile(gzipSync('{"Records":[]}')), { kind: 'not-cloudtrail', why: 'no records (empty "Records")' });
    assert.equal(readLogFile(bytes('{"fileVersion":"1.0","configSnapshotId":"x","configurationItems":[]}')).kind, 'not-cloudtrail');
    assert.equal(readLogFile(bytes('')).kind, 'not-cloudtrail');
    assert.equal(readLogFile(bytes('{"a":1}\n{"b":2}\n')).kind, 'not-cloudtrail');
  });

  it('rejects a truncated gzip with a reason that says so', () => {
    const gz = gzipSync(JSON.stringify({ Records: [record(), record(), record()] }));
    assert.throws(
      () => readLogFile(gz.subarray(0, gz.length - 20)),
      (e: unknown) => e instanceof LogFileError && /truncated gzip/.test(e.reason),
    );
  });

  it('keeps the records around a broken one, and those before where a delivery file is cut short', () => {
    const [a, b] = [JSON.stringify(record()), JSON.stringify(record())];
    const broken = records(bytes(`{"Records":[${a},{"eventTime": nope},${b}]}`));
    assert.equal(broken.records.length, 2);
    assert.equal(broken.rejectedRecords, 1);
    assert.match(broken.rejectReasons[0]!, /^record 1: malformed JSON/);
    const cut = records(gzipSync(`{"Records":[${a},${b},{"eventVersion":"1.08","eventTi`));
    assert.equal(cut.records.length, 2);
    assert.deepEqual(cut.rejectReasons, ['record 2: the file ends inside it']);
  });

  it('loses only the broken record of a Records array, whatever broke in it, and reads on from the next', () => {
    const all = Array.from({ length: 10 }, (_, i) =>
      JSON.stringify(record({ eventID: `ev-${i}`, requestParameters: { a: 'x', items: [{ b: 1 }, { c: 2 }] } })),
    );
    const breaks: Array<[string, (r: string) => string, number]> = [
      ['an extra }', (r) => `${r}}`, 10],
      ['a missing }', (r) => r.slice(0, -1), 9],
      ['an unclosed string', (r) => r.replace('"eventName":"DescribeInstances"', '"eventName":"Descr'), 9],
      ['a record cut short', (r) => r.slice(0, r.length / 2), 9],
      ['a stray quote', (r) => r.replace('"a":"x"', '"a":"x""'), 9],
    ];
    for (const [what, breakIt, kept] of breaks) {
      const text = bytes(`{"Records":[${all.map((r, i) => (i === 4 ? breakIt(r) : r)).join(',')}]}`);
      const whole = records(text);
      const ids = whole.records.map((r) => r.eventID);
      assert.equal(ids.length, kept, what);
      assert.deepEqual(ids.slice(-5), ['ev-5', 'ev-6', 'ev-7', 'ev-8', 'ev-9'], `${what}: the records after it are kept`);
      assert.equal(whole.rejectedRecords, 1, what);
      const large = [...readLogFileParts(text, { largeBytes: 0, partRecords: 3 })];
      const last = large.at(-1)!;
      assert.deepEqual(
        large.flatMap((p) => (p.kind === 'records' ? p.records.map((r) => r.eventID) : [])),
        ids,
        `${what} (large file)`,
      );
      assert.ok(last.kind === 'records' && last.rejectedRecords === 1, `${what} (large file)`);
    }
  });

  it('rejects malformed JSON, and a Records that is not an array', () => {
    assert.throws(
      () => readLogFile(bytes('{"Records":[{"eventTime":')),
      (e: unknown) => e instanceof LogFileError && /malformed JSON/.test(e.reason),
    );
    assert.throws(
      () => readLogFile(bytes('{"Records":{"eventTime":"x"}}')),
      (e: unknown) => e instanceof LogFileError && /not an array/.test(e.reason),
    );
    assert.throws(
      () => readLogFile(bytes('hello world')),
      (e: unknown) => e instanceof LogFileError && /not JSON/.test(e.reason),
    );
  });

  it('keeps the good records of a file that has bad ones, and says which were bad', () => {
    const c = records(bytes(JSON.stringify({ Records: [record(), 'oops', 42, null, { hello: 'world' }, record()] })));
    assert.equal(c.records.length, 2);
    assert.equal(c.rejectedRecords, 4);
    assert.match(c.rejectReasons[0]!, /record 1 is not an object \(string\)/);
    const lines = records(bytes(`${JSON.stringify(record())}\n{"broken":\n${JSON.stringify(record())}\n`));
    assert.equal(lines.records.length, 2);
    assert.match(lines.rejectReasons[0]!, /line 2: malformed JSON/);
  });

  it('keeps a 300 KB responseElements and fields it has never seen', () => {
    const big = { items: Array.from({ length: 4000 }, (_, i) => ({ id: `i-${i}`, state: 'running'.repeat(10) })) };
    const r = record({ eventVersion: '9.99', responseElements: big, brandNewField: { nested: [1, 2, 3] } });
    const c = records(gzipSync(JSON.stringify({ Records: [r] })));
    const { row, unknownFields } = toLakeRow(c.records[0]!, 'file:///x');
    assert.ok((row.responseelements as string).length > 300_000);
    assert.deepEqual(JSON.parse(row.responseelements as string), big);
    assert.deepEqual(unknownFields, ['brandnewfield']);
    assert.deepEqual(JSON.parse(row.raw!).brandNewField, { nested: [1, 2, 3] });
  });
});

describe('readLogFileParts(bytes) on a large file', () => {
  // largeBytes: 0 reads every file as a large one would be: value by value, in parts.
  const parts = (input: Uint8Array, partRecords = 2) => [...readLogFileParts(input, { largeBytes: 0, partRecords })];
  const recordsOf = (ps: ReturnType<typeof parts>) => ps.flatMap((p) => (p.kind === 'records' ? p.records : []));

  it('gives the same records as one parse, a few at a time, with the counts on the last part', () => {
    const tricky = record({ requestParameters: { filter: 'a"]},{["b\\', name: 'Zoë 東京 🚀' } });
    const file = { Records: [record(), tricky, 'oops', record(), record(), record()] };
    const ps = parts(gzipSync(JSON.stringify(file)));
    assert.deepEqual(
      ps.map((p) => (p.kind === 'records' ? p.records.length : p.kind)),
      [2, 2, 1],
    );
    assert.deepEqual(
      recordsOf(ps),
      readLogFile(bytes(JSON.stringify(file))).kind === 'records' ? records(bytes(JSON.stringify(file))).records : [],
    );
    const last = ps.at(-1)!;
    assert.ok(last.kind === 'records');
    assert.equal(last.rejectedRecords, 1);
    assert.match(last.rejectReasons[0]!, /record 2 is not an object \(string\)/);
    assert.equal(last.textLength, Buffer.byteLength(JSON.stringify(file)));
  });

  it('reads a top-level array, JSON lines, other members beside Records, and a byte-order mark', () => {
    assert.equal(recordsOf(parts(bytes(JSON.stringify([record(), record(), record()])))).length, 3);
    const lines = [record(), record(), record()].map((r) => JSON.stringify(r)).join('\n') + '\n';
    assert.equal(recordsOf(parts(bytes(lines))).length, 3);
    const withOthers = `\uFEFF{ "fileVersion" : {"x":[1,"]"]} , "Records" : [ ${JSON.stringify(record())} ] , "after": true }`;
    assert.equal(recordsOf(parts(bytes(withOthers))).length, 1);
  });

  it('says "not CloudTrail" and throws for broken files as one parse does', () => {
    assert.deepEqual(parts(bytes('{"Records":[]}')), [{ kind: 'not-cloudtrail', why: 'no records (empty "Records")' }]);
    assert.equal(parts(bytes('{"fileVersion":"1.0","configurationItems":[{"a":1}]}'))[0]!.kind, 'not-cloudtrail');
    for (const [text, reason] of [
      ['{"Records":[{"eventTime":', /malformed JSON \(record 0: the file ends inside it\)/],
      ['{"Records":{"eventTime":"x"}}', /"Records" is an object, not an array/],
      ['{"Records":[] nonsense', /after the records, unexpected "n" at byte 14/],
    ] as const) {
      assert.throws(
        () => parts(bytes(text)),
        (e: unknown) => e instanceof LogFileError && reason.test(e.reason),
        text,
      );
    }
  });

  it('rejects a broken line of JSON lines without the lines after it, and tells JSON from not JSON', () => {
    const [a, b] = [JSON.stringify(record()), JSON.stringify(record())];
    const ps = parts(bytes(`{"eventTime": 1\n${a}\n${b}}\n${a}\n\n${b}\n`));
    assert.equal(recordsOf(ps).length, 4);
    const last = ps.at(-1)!;
    assert.ok(last.kind === 'records');
    assert.deepEqual(
      last.rejectReasons.map((r) => r.replace(/ \(.*/, '')),
      ['line 1: malformed JSON', 'line 3: malformed JSON'],
    );
    assert.throws(
      () => parts(bytes('hello world')),
      (e: unknown) => e instanceof LogFileError && /not JSON/.test(e.reason),
    );
  });

  it('rejects a broken record and keeps going, and keeps what came before the end of a cut file', () => {
    const [a, b] = [JSON.stringify(record()), JSON.stringify(record())];
    const ps = parts(bytes(`{"Records":[${a}, {"eventTime": nope}, ${b}, ${a}, {"eventTi`));
    assert.equal(recordsOf(ps).length, 3);
    const last = ps.at(-1)!;
    assert.ok(last.kind === 'records');
    assert.deepEqual(
      last.rejectReasons.map((r) => r.replace(/\(.*/, '')),
      ['record 1: malformed JSON ', 'record 4: the file ends inside it'],
    );
    const afterRecords = parts(bytes(`{"Records":[${a}]} trailing`));
    assert.equal(recordsOf(afterRecords).length, 1);
    assert.match((afterRecords.at(-1) as { rejectReasons: string[] }).rejectReasons[0]!, /^line 1: malformed JSON/);
  });
});

describe('toLakeRow(record)', () => {
  it('places a record by its own account, region and eventTime day', () => {
    const { row } = toLakeRow(
      record({ eventTime: '2023-12-31T23:59:59Z', awsRegion: 'eu-west-3', recipientAccountId: '999988887777' }),
      'x',
    );
    assert.deepEqual([row.account, row.region, row.year, row.month, row.day], ['999988887777', 'eu-west-3', '2023', '12', '31']);
  });

  it("falls back to the log file's key, then to 'unknown'", () => {
    const r = record();
    delete r.eventTime;
    delete r.recipientAccountId;
    delete (r.userIdentity as Record<string, unknown>).accountId;
    const { row } = toLakeRow(r, 'x', { account: '123456789012', date: '2020-02-03' });
    assert.deepEqual([row.account, row.year, row.month, row.day], ['123456789012', '2020', '02', '03']);
    const bare = toLakeRow({ eventName: 'X', eventSource: 'y' }, 'x').row;
    assert.deepEqual([bare.account, bare.region, bare.year], ['unknown', 'unknown', 'unknown']);
  });

  it("gives readOnly as the string 'true'/'false' and JSON fields as JSON text", () => {
    const { row } = toLakeRow(record({ readOnly: false, requestParameters: { groupId: 'sg-1' } }), 'x');
    assert.equal(row.readonly, 'false');
    assert.equal(row.requestparameters, '{"groupId":"sg-1"}');
    assert.equal(row.responseelements, undefined, 'a null field is left out of the row');
  });

  it('tells CloudTrail records from other JSON', () => {
    assert.ok(isCloudTrailRecord(record()));
    assert.ok(!isCloudTrailRecord({ configurationItems: [] }));
    assert.ok(!isCloudTrailRecord(['eventTime', 'eventName']));
  });
});
