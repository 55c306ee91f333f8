import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { sameRecord } from '../src/cloudtrail/raw-record.js';
import { partitionOf, toLakeRow, type CloudTrailRecord } from '../src/cloudtrail/record.js';
import { stagedLakeRowLine, stagedLogFile, stagedRecordLine, stagedRowsSql } from '../src/cloudtrail/staged-row.js';
import { Engine } from '../src/engine/duckdb-engine.js';
import { StagedRowsWriter } from '../src/ingest/staged-rows-writer.js';
import { generateCloudTrail } from '../src/demo/generate.js';
import { readLogFile } from '../src/cloudtrail/log-file.js';
import { ingest } from '../src/ingest/ingest.js';
import { query } from '../src/sql/query.js';
import { record, tempDir, writeLogFile } from './support/log-files.js';

const TESTDATA = new URL('fixtures/public-events/', import.meta.url);
const SETS = ['awsdocs-cloudtrail-user-guide', 'awsdocs-service-guides', 'stratus-red-team', 'panther', 'streamalert'];

function realEvents(): CloudTrailRecord[] {
  return SETS.flatMap((name) =>
    readFileSync(new URL(`${name}.jsonl`, TESTDATA), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as CloudTrailRecord),
  );
}

async function generatedEvents(): Promise<CloudTrailRecord[]> {
  const records: CloudTrailRecord[] = [];
  const sink = {
    write: async (key: string, bytes: Uint8Array) => {
      const content = key.includes('CloudTrail-Digest') ? undefined : readLogFile(bytes);
      if (content?.kind === 'records') records.push(...content.records);
    },
  };
  await generateCloudTrail({ days: 1, eventsPerDay: 3000, seed: 'staged-row' }, sink);
  return records;
}

/** The line through `toLakeRow`, the path every record could take. */
function slowLine(r: CloudTrailRecord): string {
  return stagedLakeRowLine(toLakeRow(r, 'uri').row);
}

function fastLine(r: CloudTrailRecord): string | undefined {
  return stagedRecordLine(
    r,
    stagedLogFile('uri'),
    partitionOf(r.recipientAccountId, r.awsRegion, r.eventTime, r.userIdentity?.accountId, {}),
  );
}

describe('stagedRecordLine(record)', () => {
  it('gives the line toLakeRow would, for every real and generated event it takes', async () => {
    let fast = 0;
    const events = [...realEvents(), ...(await generatedEvents())];
    for (const r of events) {
      const line = fastLine(r);
      if (line === undefined) continue;
      fast++;
      assert.equal(line, slowLine(r), JSON.stringify(r));
      assert.equal(toLakeRow(r, 'uri').row.raw, null, 'a record the fast path takes needs no raw text');
    }
    assert.ok(fast > events.length * 0.8, `${fast} of ${events.length} records took the fast path`);
  });

  it('leaves to toLakeRow every record whose columns cannot give it back', () => {
    const declined = [
      record({ somethingNew: 1 }),
      { eventtime: '2024-01-01T00:00:00Z', eventname: 'X', eventsource: 'y' },
      record({ apiVersion: 20160101 }),
      record({ readOnly: 'true' }),
      record({ userIdentity: { type: 'IAMUser', unknownMember: 'x' } }),
      record({ userIdentity: { type: null } }),
      record({ resources: [{}] }),
      record({ resources: [{ ARN: 'a', extra: 1 }] }),
      record({ resources: 'not a list' }),
      record({ userIdentity: { type: 'AssumedRole', sessionContext: { webIdFederationData: { attributes: { a: 1 } } } } }),
    ];
    for (const r of declined) {
      assert.equal(fastLine(r), undefined, JSON.stringify(r));
      assert.notEqual(toLakeRow(r, 'uri').row.raw, null, JSON.stringify(r));
    }
  });
});

describe('staged rows through DuckDB', () => {
  it('keeps strings with newlines, control characters and the format’s own delimiters exactly', async (t) => {
    const dir = await tempDir(t);
    const odd = [
      'line one\nline two\r\n',
      'tab\there',
      'unit\x1fseparator',
      'start\x01of heading\x01\x01',
      '',
      ' ',
      '"quoted"',
      "it's",
      'ü漢字🙂',
    ];
    const records = odd.map((s, i) =>
      record({
        eventName: `Odd${i}`,
        errorMessage: s,
        userAgent: s,
        requestParameters: { value: s, nested: [s, { deeper: s }] },
        userIdentity: { type: 'IAMUser', userName: s, sessionContext: { webIdFederationData: { attributes: { [s || 'k']: s } } } },
        resources: [{ ARN: s, type: 'AWS::S3::Object' }],
      }),
    );
    await writeLogFile(`${dir}/logs`, { records });
    const lake = `${dir}/lake`;
    const summary = await ingest({ lake, sources: [`${dir}/logs`] });
    assert.equal(summary.events, odd.length);
    const result = await query(
      { lake },
      `SELECT eventname, errormessage, useragent, requestparameters, useridentity.username AS username,
              useridentity.sessioncontext.webidfederationdata.attributes AS attributes, resources[1].arn AS arn, raw
       FROM cloudtrail_logs ORDER BY eventname`,
    );
    for (const row of result.rows) {
      const i = Number(String(row.eventname).slice(3));
      const s = odd[i]!;
      assert.deepEqual(
        { ...row, requestparameters: JSON.parse(String(row.requestparameters)), raw: sameRecord(JSON.parse(String(row.raw)), records[i]) },
        {
          eventname: `Odd${i}`,
          errormessage: s,
          useragent: s,
          requestparameters: { value: s, nested: [s, { deeper: s }] },
          username: s,
          attributes: { [s || 'k']: s },
          arn: s,
          raw: true,
        },
      );
    }
  });

  it('names each row’s log file, whatever characters its URI holds (an S3 key may hold any)', async (t) => {
    const dir = await tempDir(t);
    const uris = ['s3://trail/odd\x1fkey\x01with\nnewline é.json.gz', 's3://trail/plain.json.gz', ''];
    const writer = new StagedRowsWriter();
    const files = new Set<string>();
    let longest = 0;
    try {
      for (const [i, uri] of uris.entries()) {
        // The first through the fast path, the second through toLakeRow (an unknown field).
        const records = [record({ eventName: `Fast${i}` }), record({ eventName: `Slow${i}`, somethingNew: i })];
        const outcome = writer.read({
          uri,
          key: '111122223333_CloudTrail_us-east-1_20240301T0000Z_abcdefghijklmnop.json',
          bytes: new TextEncoder().encode(JSON.stringify({ Records: records })),
          stagingDir: dir,
        });
        assert.equal(outcome.kind, 'records');
        if (outcome.kind !== 'records') continue;
        for (const rows of Object.values(outcome.rows)) {
          files.add(rows.path);
          longest = Math.max(longest, rows.longest);
        }
      }
    } finally {
      writer.close();
    }
    const engine = await Engine.create();
    try {
      const { rows } = await engine.query(`SELECT eventname, logfile FROM (${stagedRowsSql([...files], longest)}) ORDER BY eventname`);
      assert.deepEqual(
        rows,
        uris
          .flatMap((uri, i) => [`Fast${i}`, `Slow${i}`].map((eventname) => ({ eventname, logfile: uri })))
          .sort((a, b) => (a.eventname < b.eventname ? -1 : 1)),
      );
    } finally {
      engine.close();
    }
  });
});
