import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { TABLE_ROWS } from '../src/cli/result-format.js';
import { query } from '../src/sql/query.js';
import { runCli } from './support/cli.js';
import { record, writeLogFile } from './support/log-files.js';

/** `trailscope query` and `trailscope relationalize` as a user runs them (needs `npm run build`). */

let dir = '';
let lake = '';

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'trailscope-sql-cli-'));
  const logs = join(dir, 'logs');
  await writeLogFile(logs, {
    date: '2024-03-08',
    records: [record({ eventTime: '2024-03-08T10:00:00Z', eventName: 'ConsoleLogin', userAgent: 'Mozilla/5.0 '.repeat(20) })],
    minute: 1,
  });
  await writeLogFile(logs, {
    date: '2024-03-09',
    records: [
      record({ eventTime: '2024-03-09T10:00:00Z', eventName: 'AuthorizeSecurityGroupIngress', requestParameters: { groupId: 'sg-1' } }),
      record({ eventTime: '2024-03-09T11:00:00Z' }),
    ],
    minute: 2,
  });
  lake = join(dir, 'lake');
  const ingested = await runCli(['ingest', logs, '--lake', lake]);
  assert.equal(ingested.code, 0, ingested.stderr);
});
after(() => rm(dir, { recursive: true, force: true }));

const q = (...args: string[]) => runCli(['query', '--lake', lake, ...args]);

describe('trailscope query', () => {
  it('prints csv with a header, json as one array, and jsonl keyed by the names the query gives', async () => {
    const sql = `select count (*) as TotalEvents, eventname from cloudtrail_logs group by eventname order by TotalEvents desc, eventname`;
    const csv = await q(sql, '--format', 'csv');
    assert.equal(csv.code, 0, csv.stderr);
    assert.equal(csv.stdout, 'TotalEvents,eventname\n1,AuthorizeSecurityGroupIngress\n1,ConsoleLogin\n1,DescribeInstances\n');
    const jsonl = await q(sql, '--format', 'jsonl');
    assert.deepEqual(JSON.parse(jsonl.stdout.split('\n')[0]!), { TotalEvents: 1, eventname: 'AuthorizeSecurityGroupIngress' });
    const json = await q(sql, '--format', 'json');
    assert.equal(JSON.parse(json.stdout).length, 3);
    assert.equal((await q(sql)).stdout, csv.stdout, 'csv when stdout is not a terminal');
  });

  it('writes csv, jsonl and json rows chunk after chunk as DuckDB makes them: the rows the library gives, each result set apart', async () => {
    // 3^8 = 6,561 rows: several of DuckDB's chunks (2,048 rows).
    const tables = 'abcdefgh'.split('').map((t) => `cloudtrail_logs ${t}`);
    const sql = `select a.eventname, b.eventtime, h.eventid as last from ${tables.join(', ')} order by 1, 2, 3, c.eventtime, d.eventtime, e.eventtime, f.eventtime, g.eventtime`;
    const expected = (await query({ lake }, sql)).rows as Array<Record<string, string>>;
    assert.equal(expected.length, 6561);
    const json = await q(`${sql}; select 1 as n where false; select 2 as n`, '--format', 'json');
    assert.equal(json.code, 0, json.stderr);
    // Laid out as JSON.stringify lays out the whole array, one array per result set.
    assert.equal(json.stdout, [expected, [], [{ n: 2 }]].map((rows) => JSON.stringify(rows, null, 2) + '\n').join(''));
    const jsonl = await q(sql, '--format', 'jsonl');
    assert.deepEqual(
      jsonl.stdout
        .trimEnd()
        .split('\n')
        .map((l) => JSON.parse(l) as unknown),
      expected,
    );
    const csv = await q(`${sql}; select 1 as n`, '--format', 'csv');
    assert.equal(csv.code, 0, csv.stderr);
    const [rows, second] = csv.stdout.split('\n\n');
    assert.equal(rows, ['eventname,eventtime,last', ...expected.map((r) => `${r.eventname},${r.eventtime},${r.last}`)].join('\n'));
    assert.equal(second, 'n\n1\n');
  });

  it('prints a readable table: aligned, long values cut with a marker, rows and time at the end', async () => {
    const table = await q(`select eventname, useragent from cloudtrail_logs where eventname = 'ConsoleLogin'`, '--format', 'table');
    const lines = table.stdout.split('\n');
    assert.match(lines[0]!, /^eventname\s+\| useragent$/);
    assert.match(lines[1]!, /^-+-\+-+$/);
    assert.match(lines[2]!, /^ConsoleLogin \| (Mozilla\/5\.0 ?){5}…$/);
    assert.equal(lines[2]!.length, lines[1]!.length);
    assert.match(lines[3]!, /^\(1 row, \d+ ms\)$/);
  });

  it('shows the first 1,000 rows of a larger result as a table, counts them all, and says how to get every row', async () => {
    // 3^8 = 6,561 rows, ordered.
    const tables = 'abcdefgh'.split('').map((t) => `cloudtrail_logs ${t}`);
    const sql = `select a.eventname, h.eventid from ${tables.join(', ')} order by 1, 2, b.eventtime, c.eventtime, d.eventtime, e.eventtime, f.eventtime, g.eventtime`;
    const expected = (await query({ lake }, sql)).rows as Array<Record<string, string>>;
    const table = await q(`${sql}; select 2 as b`, '--format', 'table');
    assert.equal(table.code, 0, table.stderr);
    const [first, second] = table.stdout.split('\n\n');
    const lines = first!.split('\n');
    assert.equal(lines.length, 2 + TABLE_ROWS + 1, 'header, rule, the rows shown, the footer');
    assert.deepEqual(
      lines.slice(2, 2 + TABLE_ROWS).map((l) => l.split(' | ').map((c) => c.trim())),
      expected.slice(0, TABLE_ROWS).map((r) => [r.eventname, r.eventid]),
    );
    assert.match(lines[2 + TABLE_ROWS]!, /^\(6,561 rows, \d+ ms; the first 1,000 shown: --format csv, json or jsonl prints every row\)$/);
    assert.match(second!, /^b\n-\n2\n\(1 row, \d+ ms\)\n$/, 'the next result set starts afresh');
  });

  it('runs statements separated by ; in order, with DDL messages on stderr when stdout is for programs', async () => {
    const script = `select 7/2 as x; CREATE EXTERNAL TABLE one (a string) ROW FORMAT SERDE 'com.amazon.emr.hive.serde.CloudTrailSerde' LOCATION 's3://b/AWSLogs/111122223333/CloudTrail/'; select count(*) as n from one`;
    const run = await q(script, '--format', 'csv');
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout, 'x\n3\n\nn\n3\n');
    assert.match(run.stderr, /^registered one: account 111122223333 of the lake/);
    const table = await q('select 1 as a; select 2 as b', '--format', 'table');
    assert.match(table.stdout, /^a\n-\n1\n\(1 row, \d+ ms\)\n\nb\n-\n2\n\(1 row, \d+ ms\)\n$/);
  });

  it('reads the SQL from --file or from stdin', async () => {
    const file = join(dir, 'q.sql');
    await writeFile(file, '-- audit\nselect count(*) as n\nfrom cloudtrail_logs;\n');
    assert.equal((await q('--file', file)).stdout, 'n\n3\n');
    assert.equal((await runCli(['query', '--lake', lake], { input: 'select 1 as one;' })).stdout, 'one\n1\n');
    const missing = await q('--file', join(dir, 'nope.sql'));
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /cannot read --file .*nope\.sql: ENOENT/);
  });

  it('reports what each statement read with --stats, and reads less with a narrower predicate', async () => {
    const all = await q('select count(*) as n from cloudtrail_logs', '--stats');
    assert.match(
      all.stderr,
      /^Data scanned: [\d.]+ KB of [\d.]+ KB \(2 of 2 partitions, 2 of 2 files, 2 of 2 row groups, 3 of 3 rows\); \d+ ms\n$/,
    );
    const one = await q(`select count(*) as n from cloudtrail_logs where eventtime like '2024-03-09%'`, '--stats');
    assert.match(
      one.stderr,
      /^Data scanned: [\d.]+ KB of [\d.]+ KB \(1 of 2 partitions, 1 of 2 files, 1 of 1 row groups, 2 of 3 rows\); pruned by eventtime; \d+ ms\n$/,
    );
    const explain = await q(`explain select * from cloudtrail_logs where day = '08'`, '--format', 'jsonl');
    assert.deepEqual(
      { ...JSON.parse(explain.stdout), bytes: 0 },
      { table: 'cloudtrail_logs', partitions: 1, files: 1, bytes: 0, rows: 1, pruned_by: 'day' },
    );
  });

  it('exits 2 with the located error after printing the statements that ran', async () => {
    const run = await q('select 1 as a;\nselect nosuchcolumn from cloudtrail_logs');
    assert.equal(run.code, 2);
    assert.equal(run.stdout, 'a\n1\n');
    assert.match(
      run.stderr,
      /^trailscope: line 2:8: column 'nosuchcolumn' cannot be resolved\n {2}select nosuchcolumn from cloudtrail_logs\n {9}\^\n$/,
    );
    const copy = await q(`copy (select 1) to '${join(lake, 'x.csv')}'`);
    assert.equal(copy.code, 2);
    assert.match(copy.stderr, /COPY is not allowed/);
  });

  it('checks --timeout and --memory-limit, and stops a query at the time limit', async () => {
    const badTimeout = await q('select 1', '--timeout', 'soon');
    assert.equal(badTimeout.code, 1);
    assert.match(badTimeout.stderr, /expected a number of seconds/);
    const badMemory = await q('select 1', '--memory-limit', 'lots');
    assert.equal(badMemory.code, 1);
    assert.match(badMemory.stderr, /expected a size such as 512MB or 4GB/);
    const slow = await q(
      'select count(*) from range(1000000000000) t(i) where hash(i) % 7 = 3',
      '--timeout',
      '0.3',
      '--memory-limit',
      '1GB',
    );
    assert.equal(slow.code, 2);
    assert.match(slow.stderr, /the query ran longer than the time limit of 0\.3 s and was stopped: .* raise --timeout/);
    // Stopped while its rows were being printed: the rows so far, then the error, never a clean exit.
    const streaming = await q('select i from range(1000000000000) t(i)', '--timeout', '0.3');
    assert.equal(streaming.code, 2);
    assert.match(streaming.stdout, /^i\n0\n1\n/);
    assert.match(streaming.stderr, /the query ran longer than the time limit of 0\.3 s/);
  });

  it('exits 2 when a value fails to convert after rows were printed', async () => {
    const late = await q(`select i, cast(case when i = 350000 then 'x' else '1' end as integer) as v from range(400000) t(i)`);
    assert.equal(late.code, 2);
    assert.match(late.stdout, /^i,v\n0,1\n/);
    assert.match(late.stderr, /^trailscope: Conversion Error: Could not convert string 'x' to INT32/);
  });

  it('opens a shell that takes statements over several lines and keeps a history', async () => {
    const history = join(dir, 'history');
    const shell = await runCli(['query', '--lake', lake, '-i'], {
      input:
        "help\nselect eventname\n  from cloudtrail_logs\n  where eventname = 'ConsoleLogin';\nselect nosuch from cloudtrail_logs;\n-- a note\nselect 2 as b;\nselect 'two\nlines' as t;\n.exit\nselect 3;\n",
      env: { TRAILSCOPE_HISTORY: history },
    });
    assert.equal(shell.code, 2, 'statements piped in are a script, and one of them failed');
    assert.match(shell.stdout, /End each statement with ;/);
    assert.match(shell.stdout, /eventname\n-+\nConsoleLogin\n\(1 row, \d+ ms\)/);
    assert.match(shell.stdout, /b\n-\n2\n\(1 row/);
    assert.doesNotMatch(shell.stdout, /\n3\n/, 'nothing runs after .exit');
    assert.match(shell.stderr, /column 'nosuch' cannot be resolved/);
    assert.equal(
      await readFile(history, 'utf8'),
      "select eventname from cloudtrail_logs where eventname = 'ConsoleLogin';\nselect nosuch from cloudtrail_logs;\nselect 2 as b;\n",
      'comments left out, so a recalled line runs as it ran; a line break inside a string cannot be one line of history',
    );
  });

  it('keeps Parquet footers between queries in the shell, not in a one-shot run that would only pay to fill the cache', async () => {
    const setting = "select current_setting('parquet_metadata_cache') as footer_cache";
    const once = await q(setting, '--format', 'csv');
    assert.equal(once.code, 0, once.stderr);
    assert.equal(once.stdout, 'footer_cache\nfalse\n');
    const shell = await runCli(['query', '--lake', lake, '-i', '--format', 'csv'], {
      input: `${setting};\n`,
      env: { TRAILSCOPE_HISTORY: join(dir, 'history-footers') },
    });
    assert.equal(shell.code, 0, shell.stderr);
    assert.match(shell.stdout, /footer_cache\ntrue\n/);
  });

  it('asks for SQL when there is none', async () => {
    const none = await q();
    assert.equal(none.code, 1);
    assert.match(none.stderr, /give the SQL as an argument, with --file, or on stdin/);
  });

  it('exits 1 naming the folder when --lake is not a lake, instead of answering no rows', async () => {
    const sql = 'select count(*) from cloudtrail_logs';
    const missing = await runCli(['query', '--lake', join(dir, 'no-such-lake'), sql]);
    assert.equal(missing.code, 1);
    assert.equal(missing.stdout, '');
    assert.match(
      missing.stderr,
      /no lake at .*no-such-lake: the folder does not exist \(ingest CloudTrail logs into it first: trailscope ingest --lake /,
    );
    const notLake = await runCli(['query', '--lake', join(dir, 'logs'), sql]);
    assert.equal(notLake.code, 1);
    assert.match(notLake.stderr, /no lake at .*logs: the folder has no _trailscope folder/);
    const file = join(dir, 'a-file');
    await writeFile(file, 'x');
    const notFolder = await runCli(['query', '--lake', file, sql]);
    assert.equal(notFolder.code, 1);
    assert.match(notFolder.stderr, /no lake at .*a-file: it is a file, not a folder/);
    await assert.rejects(query({ lake: join(dir, 'no-such-lake') }, sql), { name: 'SqlError', kind: 'not-found' });
  });
});

describe('trailscope relationalize', () => {
  it("creates a typed view of one API's events and says how to query it", async () => {
    const run = await runCli([
      'relationalize',
      '--lake',
      lake,
      '--event-source',
      'ec2.amazonaws.com',
      '--event-name',
      'AuthorizeSecurityGroupIngress',
    ]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(
      run.stdout,
      /^created view cloudtrail_ec2_authorizesecuritygroupingress of 1 ec2\.amazonaws\.com AuthorizeSecurityGroupIngress events, with 1 columns/,
    );
    assert.match(run.stdout, /\n {2}requestparameters\.groupid varchar\n/);
    const rows = await q(`select "requestparameters.groupid" as g from cloudtrail_ec2_authorizesecuritygroupingress`);
    assert.equal(rows.stdout, 'g\nsg-1\n');
  });

  it('exits 2 when the lake has no such events, and 1 without the options it needs', async () => {
    const none = await runCli(['relationalize', '--lake', lake, '--event-source', 's3.amazonaws.com', '--event-name', 'GetObject']);
    assert.equal(none.code, 2);
    assert.match(none.stderr, /the lake has no s3\.amazonaws\.com GetObject events/);
    const usage = await runCli(['relationalize', '--lake', lake]);
    assert.equal(usage.code, 1);
    assert.match(usage.stderr, /required option '--event-source <source>'/);
  });
});
