import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ingest } from '../src/ingest/ingest.js';
import { openQuerySession, SqlError, type LakeSession } from '../src/sql/query.js';
import { record, writeLogFile } from './support/log-files.js';

/**
 * Errors read like a good SQL engine's: the line and column in what the user typed (not in
 * the SQL trailscope rewrote it to), the line itself with a caret, and a next step.
 */

let dir = '';
let session: LakeSession;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'trailscope-errors-'));
  await writeLogFile(join(dir, 'logs'), { records: [record()] });
  await ingest({ lake: join(dir, 'lake'), sources: [join(dir, 'logs')] });
  session = await openQuerySession({ lake: join(dir, 'lake') });
});
after(async () => {
  session.close();
  await rm(dir, { recursive: true, force: true });
});

async function error(sql: string): Promise<SqlError> {
  try {
    await session.run(sql);
  } catch (e) {
    assert.ok(e instanceof SqlError, String(e));
    return e;
  }
  assert.fail(`${sql} did not fail`);
}

describe('unknown names', () => {
  it('points at an unknown column and suggests the column meant', async () => {
    const e = await error('select eventnme\nfrom cloudtrail_logs');
    assert.equal(e.kind, 'not-found');
    assert.equal(e.message, "line 1:8: column 'eventnme' cannot be resolved; did you mean `eventname`?\n  select eventnme\n         ^");
    assert.deepEqual(e.position, { line: 1, column: 8 });
  });

  it('suggests the struct field meant, by its full dotted name', async () => {
    const e = await error('select eventname,\n       useridentity.usernme\nfrom cloudtrail_logs');
    assert.equal(
      e.message,
      "line 2:8: field 'useridentity.usernme' does not exist; did you mean `useridentity.username`?\n         useridentity.usernme\n         ^",
    );
    const bare = await error('select username from cloudtrail_logs');
    assert.match(bare.message, /^line 1:8: column 'username' cannot be resolved; did you mean `useridentity\.username`/);
  });

  it('says when a qualifier is neither a table of the query nor a column', async () => {
    const e = await error('select t.eventname from cloudtrail_logs');
    assert.match(e.message, /^line 1:8: 't' is neither a table of this query nor a column/);
  });

  it('points at an unknown function and suggests the Trino function meant', async () => {
    const e = await error(`select json_extract_scalr(requestparameters, '$.a') from cloudtrail_logs`);
    assert.match(e.message, /^line 1:8: function 'json_extract_scalr' does not exist; did you mean `json_extract_scalar`/);
  });

  it('suggests the table meant and lists the tables there are', async () => {
    const e = await error('select * from cloudtrail_log');
    assert.equal(e.kind, 'not-found');
    assert.match(
      e.message,
      /^line 1:15: table cloudtrail_log does not exist\. Did you mean cloudtrail_logs\? Tables: cloudtrail_logs, cloudtrail_flat/,
    );
  });
});

describe('syntax and translation errors', () => {
  it('points at a syntax error in the statement where it is, counting lines across the script', async () => {
    const e = await error('select 1;\n\nselect eventname\nfrom cloudtrail_logs\nwhere where');
    assert.equal(e.kind, 'syntax');
    assert.equal(e.message, 'line 5:7: syntax error at "where"\n  where where\n        ^');
  });

  it('says what a Trino call needs that it did not get', async () => {
    const arity = await error(`select split_part('a,b', ',') from cloudtrail_logs`);
    assert.equal(arity.kind, 'unsupported');
    assert.match(arity.message, /^line 1:8: split_part\(\) takes 3 arguments, not 2/);
    const format = await error(`select date_parse(eventtime, eventname) from cloudtrail_logs`);
    assert.match(format.message, /^line 1:30: date_parse: the format must be a string literal/);
    const letter = await error(`select date_format(now(), '%Y %Q') from cloudtrail_logs`);
    assert.match(letter.message, /^line 1:27: date_format: %Q in '%Y %Q' is not supported/);
  });

  it("says what GROUP BY needs in Trino's words, pointing at the column or field", async () => {
    const e = await error(`select eventname, count(*) from cloudtrail_logs`);
    assert.equal(
      e.message.split('\n')[0],
      `line 1:8: 'eventname' must be an aggregate expression or appear in GROUP BY (or take any of its values with arbitrary(eventname))`,
    );
    const field = await error(`select count(*), useridentity.arn from cloudtrail_logs`);
    assert.match(field.message, /^line 1:18: 'useridentity.arn' must be an aggregate expression/);
    assert.doesNotMatch(field.message, /ANY_VALUE|Binder Error/);
    assert.equal((await error(`select 1 / 0`)).message, 'Division by zero');
    const having = await error(`select eventname, count(*) from cloudtrail_logs group by 1 having eventnme = 'x'`);
    assert.equal(having.kind, 'not-found');
    assert.match(having.message, /^line 1:67: column 'eventnme' cannot be resolved; did you mean `eventname`\?/);
    const stringTime = await error(`select count(*) from cloudtrail_logs where eventtime > now() - interval '60' day`);
    assert.match(
      stringTime.message,
      /^line 1:44: cannot compare text with a time: eventtime is a string .* from_iso8601_timestamp\(eventtime\)/,
    );
    const noFrom = await error(`select nosuch`);
    assert.equal(noFrom.kind, 'not-found');
    assert.match(noFrom.message, /^line 1:8: column 'nosuch' cannot be resolved: the query has no FROM/);
  });

  it('reports an error the engine finds while running, without the rewritten SQL', async () => {
    const e = await error(`select cast(eventname as integer) from cloudtrail_logs`);
    assert.equal(e.kind, 'query');
    assert.match(e.message, /^Conversion Error: Could not convert string 'DescribeInstances' to INT32/);
    assert.doesNotMatch(e.message, /LINE 1|read_parquet/);
  });

  it('says there is nothing to run in an empty script', async () => {
    const e = await error('  -- only a comment\n ; ');
    assert.equal(e.message, 'no SQL statement to run');
  });
});
