import assert from 'node:assert/strict';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { runCli } from './support/cli.js';
import { record, tempDir, writeLogFile, writeRaw } from './support/log-files.js';

describe('trailscope (the command)', () => {
  it('prints help for itself and for each command, and exits 0', async () => {
    const top = await runCli(['--help']);
    assert.equal(top.code, 0);
    assert.match(top.stdout, /ingest/);
    assert.match(top.stdout, /query/);
    const ingestHelp = await runCli(['ingest', '--help']);
    assert.equal(ingestHelp.code, 0);
    assert.match(ingestHelp.stdout, /--since <date>/);
    assert.match(ingestHelp.stdout, /--recheck/);
    const version = await runCli(['--version']);
    assert.equal(version.code, 0);
    const pkg = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
    assert.equal(version.stdout.trim(), pkg.version);
  });

  it('exits 1 with a message that says what to do on a usage error', async () => {
    const unknown = await runCli(['ingest', '--no-such-flag', 'x']);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /unknown option/);
    const badMemory = await runCli(['ingest', 'x', '--memory-limit', 'lots']);
    assert.equal(badMemory.code, 1);
    assert.match(badMemory.stderr, /expected a size such as 512MB or 4GB/);
    const badDate = await runCli(['ingest', 'x', '--since', 'yesterday']);
    assert.equal(badDate.code, 1);
    assert.match(badDate.stderr, /YYYY-MM-DD/);
    const noSuchDay = await runCli(['ingest', 'x', '--until', '2026-02-30']);
    assert.equal(noSuchDay.code, 1, 'February 30th is not a day');
    assert.match(noSuchDay.stderr, /YYYY-MM-DD/);
    const backwards = await runCli(['ingest', 'x', '--since', '2026-10-31', '--until', '2026-10-30']);
    assert.equal(backwards.code, 1);
    assert.match(backwards.stderr, /--since 2026-10-31 is after --until 2026-10-30/);
    const badAccount = await runCli(['ingest', 'x', '--account', '111122223333,1234']);
    assert.equal(badAccount.code, 1);
    assert.match(badAccount.stderr, /expected 12-digit AWS account IDs, got '1234'/);
    const badRegion = await runCli(['ingest', 'x', '--region', 'us-east-1', '--region', 'virginia']);
    assert.equal(badRegion.code, 1);
    assert.match(badRegion.stderr, /expected AWS regions such as us-east-1, got 'virginia'/);
    const missing = await runCli(['ingest', '/no/such/folder', '--lake', '/tmp/unused-lake']);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /\/no\/such\/folder: no such file or folder/);
    const noSql = await runCli(['query', '--lake', '/tmp/unused-lake']);
    assert.equal(noSql.code, 1);
    assert.match(noSql.stderr, /give the SQL/);
  });

  it('ingests, prints a summary, and exits 3 when some files were rejected', async (t) => {
    const dir = await tempDir(t);
    const logs = join(dir, 'logs');
    const lake = join(dir, 'lake');
    await writeLogFile(logs, { records: [record(), record()] });
    const ok = await runCli(['ingest', logs, '--lake', lake, '--memory-limit', '256MB', '--region', 'US-EAST-1']);
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, /files: 1 ingested, 0 skipped, 0 rejected/);
    assert.match(ok.stdout, /events: 2 added/);
    assert.equal(ok.stderr, '', 'no progress output when not on a terminal');

    await writeRaw(logs, 'broken.json.gz', gzipSync(JSON.stringify({ Records: [record()] })).subarray(0, 25));
    const bad = await runCli(['ingest', logs, '--lake', lake, '--recheck']);
    assert.equal(bad.code, 3);
    assert.match(bad.stdout, /rejected file:\/\/.*broken\.json\.gz: truncated gzip/);

    await writeRaw(logs, 'other.json', JSON.stringify({ hello: 'world' }));
    const again = await runCli(['ingest', logs, '--lake', lake, '--recheck']);
    assert.equal(again.code, 0, 'nothing new was rejected');
    assert.match(
      again.stdout,
      /note: 1 files rejected by an earlier run are unchanged, so still not in the lake: file:\/\/.*broken\.json\.gz \(truncated gzip/,
    );
    assert.match(again.stdout, /skipped 1: JSON, but not CloudTrail records \(file:\/\/.*other\.json\)/);
  });

  it('exits 1 at once, parser threads and all, when another process holds the lake', async (t) => {
    const dir = await tempDir(t);
    const logs = join(dir, 'logs');
    const lake = join(dir, 'lake');
    await writeLogFile(logs, { records: [record()] });
    // This test's own process is alive: to the ingest it is another writer.
    await mkdir(join(lake, '_trailscope'), { recursive: true });
    await writeFile(join(lake, '_trailscope', 'write.lock'), String(process.pid));
    const busy = await runCli(['ingest', logs, '--lake', lake], { killAfterMs: 20_000 });
    assert.equal(busy.signal, null, 'it exited by itself');
    assert.equal(busy.code, 1);
    assert.match(busy.stderr, new RegExp(`another trailscope process \\(pid ${process.pid}\\) is writing to this lake`));
    await rm(join(lake, '_trailscope', 'write.lock'));
    assert.equal((await runCli(['ingest', logs, '--lake', lake])).code, 0);
  });

  it('runs the demo end to end: generates, ingests, tours the seed queries and finds every planted incident; again reuses them', async (t) => {
    const dir = await tempDir(t);
    const args = ['demo', '--logs', join(dir, 'logs'), '--lake', join(dir, 'lake'), '--days', '3', '--events-per-day', '2000'];
    const first = await runCli(args);
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, /Generating 3 days of CloudTrail logs/);
    assert.match(first.stdout, /7 of 7 incidents found exactly\./);
    const again = await runCli(args);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /Using the demo logs already in/);
    assert.match(again.stdout, /files: 0 ingested, .* unchanged/);
    assert.match(again.stdout, /7 of 7 incidents found exactly\./);
    const other = await runCli([...args.slice(0, 5), '--days', '2']);
    assert.equal(other.code, 1, 'another size into the same folders would mix two demos');
    assert.match(
      other.stderr,
      /holds the logs of another demo \(3 days, seed trailscope\): give other --logs and --lake folders for 2 days, or remove both/,
    );
  });

  it('names the AWS profile that gave no credentials', async (t) => {
    const home = await tempDir(t);
    const env = {
      HOME: home,
      AWS_ACCESS_KEY_ID: '',
      AWS_SECRET_ACCESS_KEY: '',
      AWS_SESSION_TOKEN: '',
      AWS_PROFILE: '',
      AWS_CONFIG_FILE: '',
      AWS_SHARED_CREDENTIALS_FILE: '',
    };
    const run = await runCli(
      ['ingest', 's3://some-bucket/AWSLogs/', '--lake', join(home, 'lake'), '--profile', 'audit', '--endpoint-url', 'http://127.0.0.1:9'],
      { env },
    );
    assert.equal(run.code, 1);
    assert.match(
      run.stderr,
      /the AWS profile 'audit' gave no credentials: check that ~\/\.aws\/config or ~\/\.aws\/credentials has it, or run aws sso login --profile audit/,
    );
  });

  it('ingests a log file piped on stdin, once however often it is piped', async (t) => {
    const dir = await tempDir(t);
    const lake = join(dir, 'lake');
    const logs = join(dir, 'logs');
    const key = await writeLogFile(logs, { records: [record(), record(), record()] });
    const bytes = await readFile(join(logs, key));
    const first = await runCli(['ingest', '-', '--lake', lake], { input: bytes });
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, /events: 3 added/);
    const second = await runCli(['ingest', '-', '--lake', lake], { input: bytes });
    assert.match(second.stdout, /1 unchanged/);
  });

  it('prints query results as table, csv, json and jsonl', async (t) => {
    const dir = await tempDir(t);
    const logs = join(dir, 'logs');
    const lake = join(dir, 'lake');
    await writeLogFile(logs, { records: [record({ eventName: 'ConsoleLogin', sourceIPAddress: '203.0.113.9' }), record()] });
    await runCli(['ingest', logs, '--lake', lake]);
    const sql = `select eventname, useridentity.username as who, count(*) as n from cloudtrail_logs group by all order by eventname`;
    const jsonl = await runCli(['query', sql, '--lake', lake, '--format', 'jsonl']);
    assert.equal(jsonl.code, 0, jsonl.stderr);
    assert.deepEqual(
      jsonl.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l)),
      [
        { eventname: 'ConsoleLogin', who: 'alice', n: 1 },
        { eventname: 'DescribeInstances', who: 'alice', n: 1 },
      ],
    );
    const csv = await runCli(['query', sql, '--lake', lake, '--format', 'csv']);
    assert.equal(csv.stdout, 'eventname,who,n\nConsoleLogin,alice,1\nDescribeInstances,alice,1\n');
    const json = await runCli(['query', sql, '--lake', lake, '--format', 'json']);
    assert.equal(JSON.parse(json.stdout).length, 2);
    const table = await runCli(['query', sql, '--lake', lake, '--format', 'table']);
    assert.match(table.stdout, /^eventname\s+\| who\s+\| n\n-+/);
    const bad = await runCli(['query', 'select nosuchcolumn from cloudtrail_logs', '--lake', lake]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /nosuchcolumn/);
  });
});
