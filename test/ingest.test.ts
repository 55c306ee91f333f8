import assert from 'node:assert/strict';
import { copyFile, mkdir, readdir, readFile, stat, symlink, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { ingest } from '../src/ingest/ingest.js';
import { Engine, sqlString, type EngineOptions } from '../src/engine/duckdb-engine.js';
import { openLake } from '../src/lake/lake.js';
import { Manifest } from '../src/lake/manifest.js';
import { MERGE_DISABLED_OPTIMIZERS, SNAPPY_BELOW_ROWS, partitionRowsSql } from '../src/lake/partition-writer.js';
import { query } from '../src/sql/query.js';
import { record, tempDir, writeLogFile, writeRaw } from './support/log-files.js';

const count = async (lake: string, where = 'true') =>
  Number((await query({ lake }, `select count(*) as n from cloudtrail_logs where ${where}`)).rows[0]!.n);

/** An organization's bucket: two accounts, two regions, three days, many small deliveries. */
async function bucket(root: string) {
  const expected = new Map<string, number>();
  let minute = 0;
  for (const account of ['111122223333', '444455556666']) {
    for (const region of ['us-east-1', 'eu-west-1']) {
      for (const date of ['2024-03-08', '2024-03-09', '2024-03-10']) {
        for (let file = 0; file < 4; file++) {
          const records = Array.from({ length: 5 }, (_, i) =>
            record({
              eventTime: `${date}T${String(10 + file).padStart(2, '0')}:${String(50 - i * 7).padStart(2, '0')}:00Z`,
              awsRegion: region,
              recipientAccountId: account,
            }),
          );
          const key = await writeLogFile(root, { account, region, date, organizationId: 'o-abc123def4', records, minute: ++minute });
          expected.set(key, records.length);
        }
      }
    }
  }
  return expected;
}

describe('ingest(options)', () => {
  it('turns a bucket of small deliveries into one Parquet file per partition, with its eventtime range', async (t) => {
    const dir = await tempDir(t);
    const logs = join(dir, 'logs');
    const expected = await bucket(logs);
    await writeRaw(
      logs,
      'AWSLogs/o-abc123def4/111122223333/CloudTrail-Digest/us-east-1/2024/03/09/111122223333_CloudTrail-Digest_us-east-1_t_us-east-1_20240309T0100Z.json.gz',
      gzipSync('{"awsAccountId":"111122223333","digestStartTime":"x","logFiles":[]}'),
    );
    await writeRaw(
      logs,
      'AWSLogs/o-abc123def4/111122223333/Config/us-east-1/2024/3/9/ConfigSnapshot/111122223333_Config_us-east-1_ConfigSnapshot_20240309T010000Z_x.json.gz',
      gzipSync('{"fileVersion":"1.0","configurationItems":[]}'),
    );
    await writeRaw(
      logs,
      'AWSLogs/o-abc123def4/111122223333/CloudTrail/us-east-1/2024/03/09/111122223333_CloudTrail_us-east-1_20240309T2355Z_empty.json.gz',
      gzipSync('{"Records":[]}'),
    );
    await writeRaw(logs, 'notes/README.md', '# not a log');

    const lake = join(dir, 'lake');
    const summary = await ingest({ lake, sources: [logs] });
    assert.equal(summary.files.ingested, expected.size);
    assert.equal(summary.files.rejected, 0);
    assert.equal(summary.files.skipped, 4);
    assert.deepEqual(summary.skippedReasons, {
      'CloudTrail digest file': 1,
      'AWS Config file': 1,
      'no records (empty "Records")': 1,
      'not a log file name (.json, .json.gz, .jsonl, .gz)': 1,
    });
    assert.equal(summary.events, 240);
    assert.equal(await count(lake), 240);

    const snapshot = await (await openLake(lake)).snapshot();
    assert.equal(snapshot.files.length, 12, 'one file per account/region/day');
    for (const f of snapshot.files) {
      assert.match(f.path, /^data\/account=\d{12}\/region=[a-z0-9-]+\/year=2024\/month=03\/day=(08|09|10)\/[^/]+\.parquet$/);
    }
    // What pruning relies on: each file's eventtime range in the snapshot is the range of its rows.
    const ranges = await query(
      { lake },
      `select account, region, year, month, day, min(eventtime) as lo, max(eventtime) as hi, count(*) as n from cloudtrail_logs group by all`,
    );
    const byPartition = new Map(snapshot.files.map((f) => [Object.values(f.partition).join('/'), f]));
    assert.equal(ranges.rows.length, byPartition.size);
    for (const r of ranges.rows) {
      const f = byPartition.get([r.account, r.region, r.year, r.month, r.day].join('/'))!;
      assert.deepEqual([f.minEventTime, f.maxEventTime, f.rows], [r.lo, r.hi, r.n]);
    }
    assert.equal(await count(lake, `account = '444455556666' and region = 'eu-west-1' and day = '09'`), 20);
  });

  it('sorts a partition larger than a row group by eventtime', async (t) => {
    const dir = await tempDir(t);
    const logs = join(dir, 'logs');
    await bucket(logs);
    const lake = join(dir, 'lake');
    await ingest({ lake, sources: [logs], rowGroupRows: 8 });
    const order = await query(
      { lake },
      `select count(*) filter (where prev > eventtime) as unsorted, count(*) as n from (
         select eventtime, lag(eventtime) over (partition by "$path" order by file_row) as prev
         from (select eventtime, "$path", row_number() over () as file_row from cloudtrail_logs))`,
    );
    assert.deepEqual(order.rows[0], { unsorted: 0, n: 240 });
  });

  it('compresses a small partition with Snappy and a larger one with zstd, choosing again when a partition grows', async (t) => {
    const dir = await tempDir(t);
    const logs = join(dir, 'logs');
    const lake = join(dir, 'lake');
    const day = (date: string, n: number, minute: number) =>
      writeLogFile(logs, { date, minute, records: Array.from({ length: n }, () => record({ eventTime: `${date}T10:00:00Z` })) });
    await day('2024-03-08', SNAPPY_BELOW_ROWS - 5, 1);
    await day('2024-03-09', SNAPPY_BELOW_ROWS, 2);
    await ingest({ lake, sources: [logs] });
    /** Each partition's day, its file's rows, and the codecs of its column chunks. */
    const codecs = async () => {
      const files = (await (await openLake(lake)).snapshot()).files;
      const engine = await Engine.create({});
      try {
        const byDay: Record<string, { rows: number; codecs: string }> = {};
        for (const f of files) {
          const { rows } = await engine.query(`SELECT DISTINCT compression FROM parquet_metadata(${sqlString(join(lake, f.path))})`);
          byDay[f.partition.day] = { rows: f.rows, codecs: rows.map((r) => String(r.compression)).join(',') };
        }
        return byDay;
      } finally {
        engine.close();
      }
    };
    assert.deepEqual(await codecs(), {
      '08': { rows: SNAPPY_BELOW_ROWS - 5, codecs: 'SNAPPY' },
      '09': { rows: SNAPPY_BELOW_ROWS, codecs: 'ZSTD' },
    });
    await day('2024-03-08', 10, 3);
    await ingest({ lake, sources: [logs] });
    assert.deepEqual((await codecs())['08'], { rows: SNAPPY_BELOW_ROWS + 5, codecs: 'ZSTD' });
    assert.equal(await count(lake), 2 * SNAPPY_BELOW_ROWS + 5);
  });

  it('stops with the partition and the flag to raise when a partition does not fit in the memory limit, committing nothing of the batch', async (t) => {
    const dir = await tempDir(t);
    const logs = join(dir, 'logs');
    const lake = join(dir, 'lake');
    await writeLogFile(logs, { records: [record({ eventTime: '2024-03-08T10:00:00Z' })], date: '2024-03-08' });
    await ingest({ lake, sources: [logs] });
    const padding = 'x'.repeat(2000);
    for (let file = 0; file < 20; file++) {
      const records = Array.from({ length: 1000 }, (_, i) => record({ requestParameters: { padding, i } }));
      await writeLogFile(logs, { records, minute: file + 1 });
    }
    const spills = async () => (await readdir(tmpdir())).filter((name) => name.startsWith(`trailscope-ingest-spill-${process.pid}-`));
    const before = await spills();
    await assert.rejects(
      ingest({ lake, sources: [logs], memoryLimit: '64MB', rowGroupRows: 5000 }),
      /partition account=111122223333\/region=us-east-1\/year=2024\/month=03\/day=09 \(20,000 rows\) does not fit in the memory limit of the merge: re-run with a larger --memory-limit/,
    );
    assert.deepEqual(await spills(), before, 'the spill folder is removed');
    assert.equal(await count(lake), 1, 'the lake is as it was');
    const retried = await ingest({ lake, sources: [logs], memoryLimit: '1GB', rowGroupRows: 5000 });
    assert.equal(retried.events, 20_000);
    assert.equal(await count(lake), 20_001);
  });

  it('merges into a partition by streaming its rows and hashing only their keys', async (t) => {
    const dir = await tempDir(t);
    const logs = join(dir, 'logs');
    const lake = join(dir, 'lake');
    await writeLogFile(logs, { records: Array.from({ length: 20 }, () => record()) });
    await ingest({ lake, sources: [logs] });
    const [current] = (await (await openLake(lake)).snapshot()).files;
    const staged = join(dir, 'fresh.staged');
    await writeFile(staged, '');
    const sql = partitionRowsSql(
      { files: [staged], rows: 100_000, longest: 1000, chars: 100_000_000, mayRepeat: false },
      { paths: [join(lake, current!.path)], rows: 20 },
      50_000,
    );
    const plan = async (options: EngineOptions) => {
      const engine = await Engine.create(options);
      try {
        await engine.run(`CREATE TABLE replaced (uri VARCHAR)`);
        return (await engine.query(`EXPLAIN ${sql}`)).rows.map((r) => String(r.explain_value)).join('\n');
      } finally {
        engine.close();
      }
    };
    const merge = await plan({ disabledOptimizers: MERGE_DISABLED_OPTIMIZERS });
    assert.doesNotMatch(merge, /CTE/, 'the current rows are read twice, never held');
    assert.match(merge, /Join Type: ANTI\b/, "the hash table holds the current rows' keys, not the fresh rows");
    // DuckDB's defaults do what the merge turns off: if this fails, the setting may be obsolete.
    assert.match(await plan({}), /CTE_SCAN/);
  });

  it('commits a long ingest batch by batch, reading each batch while the one before merges', async (t) => {
    const dir = await tempDir(t);
    const logs = join(dir, 'logs');
    await bucket(logs);
    const lake = join(dir, 'lake');
    const summary = await ingest({ lake, sources: [logs], batchBytes: 20_000, fetchConcurrency: 2 });
    assert.ok(summary.transactions >= 4, `${summary.transactions} transactions`);
    assert.equal(summary.events, 240);
    assert.equal(await count(lake), 240);
    const snapshot = await (await openLake(lake)).snapshot();
    assert.equal(new Set(snapshot.files.map((f) => Object.values(f.partition).join('/'))).size, 12);
    const again = await ingest({ lake, sources: [logs], batchBytes: 20_000 });
    assert.equal(again.events, 0);
    assert.equal(again.files.unchanged, summary.files.seen);
  });

  it('reads nothing again on a second run, and replaces the rows of a file that changed', async (t) => {
    const dir = await tempDir(t);
    const logs = join(dir, 'logs');
    const lake = join(dir, 'lake');
    const key = await writeLogFile(logs, { records: [record({ eventName: 'Before1' }), record({ eventName: 'Before2' })] });
    await writeLogFile(logs, { records: [record({ eventName: 'Other' })] });
    await ingest({ lake, sources: [logs] });

    const again = await ingest({ lake, sources: [logs] });
    assert.equal(again.files.unchanged, 2);
    assert.equal(again.files.ingested, 0);
    assert.equal(again.bytes, 0, 'no object was fetched');

    await writeFile(join(logs, key), gzipSync(JSON.stringify({ Records: [record({ eventName: 'After' })] })));
    await utimes(join(logs, key), new Date(), new Date(Date.now() + 5000));
    const changed = await ingest({ lake, sources: [logs] });
    assert.equal(changed.files.replaced, 1);
    const names = (await query({ lake }, 'select eventname from cloudtrail_logs order by eventname')).rows.map((r) => r.eventname);
    assert.deepEqual(names, ['After', 'Other']);
  });

  it('stats no file of a folder unchanged since the last run, unless asked to recheck, and never remembers a folder it did not list in full', async (t) => {
    const dir = await tempDir(t);
    const logs = join(dir, 'logs');
    const lake = join(dir, 'lake');
    const day8 = [await writeLogFile(logs, { date: '2024-03-08', records: [record({ eventName: 'Before' })] })];
    day8.push(await writeLogFile(logs, { date: '2024-03-08', records: [record({ eventName: 'Kept' })] }));
    const day9 = await writeLogFile(logs, { date: '2024-03-09', records: [record({ eventName: 'Day9' })] });
    // Folders settle a while after their last file: one written a moment ago is never remembered.
    const anHourAgo = new Date(Date.now() - 3_600_000);
    const settle = (key: string) => utimes(dirname(join(logs, key)), anHourAgo, anHourAgo);
    await settle(day8[0]!);
    await settle(day9);
    const folderOf = (key: string) => pathToFileURL(dirname(join(logs, key))).href + '/';
    const listing = async (key: string) => (await (await openLake(lake)).manifest()).folder(folderOf(key));
    const names = async () =>
      (await query({ lake }, 'select eventname from cloudtrail_logs order by eventname')).rows.map((r) => r.eventname);

    // A filter that leaves out a folder's files leaves the folder unremembered.
    const filtered = await ingest({ lake, sources: [logs], filter: { until: '2024-03-08' } });
    assert.equal(filtered.files.ingested, 2);
    const { mtimeNs } = await stat(dirname(join(logs, day8[0]!)), { bigint: true });
    assert.deepEqual(await listing(day8[0]!), { folder: folderOf(day8[0]!), mtime: String(mtimeNs), files: 2 });
    assert.equal(await listing(day9), undefined);
    const all = await ingest({ lake, sources: [logs] });
    assert.deepEqual([all.files.ingested, all.files.unchanged], [1, 2]);
    assert.equal((await listing(day9))?.files, 1);

    // Rewritten in place, a file leaves its folder's mtime as it was: only --recheck sees it.
    await writeFile(join(logs, day8[0]!), gzipSync(JSON.stringify({ Records: [record({ eventName: 'After' })] })));
    await utimes(join(logs, day8[0]!), new Date(), new Date(Date.now() + 5000));
    await settle(day8[0]!);
    const unchanged = await ingest({ lake, sources: [logs] });
    assert.deepEqual([unchanged.files.seen, unchanged.files.unchanged, unchanged.files.replaced, unchanged.transactions], [3, 3, 0, 0]);
    assert.deepEqual(await names(), ['Before', 'Day9', 'Kept']);
    const rechecked = await ingest({ lake, sources: [logs], recheck: true });
    assert.deepEqual([rechecked.files.seen, rechecked.files.unchanged, rechecked.files.replaced], [3, 2, 1]);
    assert.deepEqual(await names(), ['After', 'Day9', 'Kept']);

    // A file added moves the folder's mtime: the folder is listed in full, and not remembered while it is fresh.
    await writeLogFile(logs, { date: '2024-03-09', records: [record({ eventName: 'Added' })] });
    const added = await ingest({ lake, sources: [logs] });
    assert.deepEqual([added.files.ingested, added.files.unchanged], [1, 3]);
    assert.equal((await listing(day9))?.files, 1, 'the earlier listing stays, and no longer matches the folder');
    const again = await ingest({ lake, sources: [logs], filter: { since: '2024-03-09' } });
    assert.deepEqual([again.files.seen, again.files.unchanged, again.bytes], [2, 2, 0]);

    // Once settled, a run with nothing to read still remembers the folder: that run commits, the next does not.
    await settle(day9);
    const remembering = await ingest({ lake, sources: [logs] });
    assert.deepEqual([remembering.files.unchanged, remembering.transactions], [4, 1]);
    assert.equal((await listing(day9))?.files, 2);
    assert.equal((await ingest({ lake, sources: [logs] })).transactions, 0);
  });

  it('knows files by their file URL whatever their names, and finds them unchanged on the next run', async (t) => {
    const dir = await tempDir(t);
    const logs = join(dir, 'logs');
    const lake = join(dir, 'lake');
    const standard = await writeLogFile(logs, { records: [record()] });
    const odd = ['odd name #1 100%.json', 'ünïcode/x.json', 'a+b=c/d.json'];
    for (const name of odd) {
      await mkdir(dirname(join(logs, name)), { recursive: true });
      await writeFile(join(logs, name), JSON.stringify({ Records: [record()] }));
    }
    const first = await ingest({ lake, sources: [logs] });
    assert.equal(first.files.ingested, 4);
    const uris = [...(await (await openLake(lake)).manifest()).entries()].map((e) => e.uri).sort();
    assert.deepEqual(uris, [standard, ...odd].map((key) => pathToFileURL(join(logs, key)).href).sort());
    const again = await ingest({ lake, sources: [logs] });
    assert.equal(again.files.unchanged, 4);
    assert.equal(again.bytes, 0);
  });

  it('reads manifest lines written in any key order, and URIs that JSON escapes', () => {
    const manifest = new Manifest();
    const entry = { status: 'ingested', records: 1, rejectedRecords: 0, partitions: [], transaction: 't', at: 'x' };
    manifest.addSegment(
      [
        JSON.stringify({ ...entry, version: 'mtime:1', size: 10, uri: 'file:///a.json' }),
        JSON.stringify({ uri: 'stdin:"q"\\x', size: 20, version: '"etag"', ...entry }),
        JSON.stringify({ uri: 'file:///b.json', size: 30, version: 'mtime:3', ...entry }),
        JSON.stringify({ uri: 'file:///b.json', size: 31, version: 'mtime:4', ...entry }),
      ].join('\n'),
    );
    assert.equal(manifest.size, 3);
    assert.ok(manifest.hasVersion('file:///a.json', 10, 'mtime:1'));
    assert.ok(!manifest.hasVersion('file:///a.json', 10, 'mtime:2'));
    assert.ok(manifest.hasVersion('stdin:"q"\\x', 20, '"etag"'));
    assert.ok(!manifest.hasVersion('file:///b.json', 30, 'mtime:3'), 'the later line wins');
    assert.ok(manifest.hasVersion('file:///b.json', 31, 'mtime:4'));
    assert.ok(!manifest.hasVersion('file:///b.json', 3, 'mtime:4'));
    assert.ok(!manifest.hasVersion('file:///c.json', 31, 'mtime:4'));
    assert.equal(manifest.entry('file:///b.json')?.size, 31);
  });

  it('keeps one copy of an event CloudTrail delivered twice, across files and runs', async (t) => {
    const dir = await tempDir(t);
    const logs = join(dir, 'logs');
    const lake = join(dir, 'lake');
    const twice = record();
    await writeLogFile(logs, { records: [twice, record()] });
    await writeLogFile(logs, { records: [twice] });
    const first = await ingest({ lake, sources: [logs] });
    assert.equal(first.events, 2);
    assert.equal(first.duplicates, 1);
    await writeLogFile(logs, { records: [twice, record()] });
    const second = await ingest({ lake, sources: [logs] });
    assert.equal(second.events, 1);
    assert.equal(await count(lake), 3);
    assert.equal(await count(lake, `eventid = '${twice.eventID}'`), 1);
  });

  it('merges later deliveries into the partitions they belong to', async (t) => {
    const dir = await tempDir(t);
    const logs = join(dir, 'logs');
    const lake = join(dir, 'lake');
    const regions = ['us-east-1', 'eu-west-1', 'ap-northeast-1'];
    for (const awsRegion of regions)
      await writeLogFile(logs, { region: awsRegion, records: [record({ awsRegion, eventTime: '2024-03-09T08:00:00Z' })] });
    await ingest({ lake, sources: [logs] });
    for (const awsRegion of regions) {
      await writeLogFile(logs, {
        region: awsRegion,
        records: [record({ awsRegion, eventTime: '2024-03-09T07:00:00Z' }), record({ awsRegion, eventTime: '2024-03-09T09:00:00Z' })],
      });
    }
    const second = await ingest({ lake, sources: [logs] });
    assert.equal(second.events, 6);
    const snapshot = await (await openLake(lake)).snapshot();
    assert.equal(snapshot.files.length, 3, 'still one file per partition');
    for (const f of snapshot.files) {
      assert.equal(f.rows, 3);
      assert.equal(f.minEventTime, '2024-03-09T07:00:00Z');
      assert.equal(f.maxEventTime, '2024-03-09T09:00:00Z');
    }
    const files = await readdir(join(lake, 'data/account=111122223333/region=us-east-1/year=2024/month=03/day=09'));
    assert.equal(files.length, 1, 'the replaced file is gone from the folder Athena reads');
  });

  it('goes on past bad files, keeps every good record, and names each bad file with its reason', async (t) => {
    const dir = await tempDir(t);
    const logs = join(dir, 'logs');
    const lake = join(dir, 'lake');
    await writeLogFile(logs, { records: [record(), record()] });
    const whole = gzipSync(JSON.stringify({ Records: [record(), record(), record()] }));
    await writeRaw(logs, 'bad/truncated.json.gz', whole.subarray(0, whole.length - 30));
    await writeRaw(logs, 'bad/broken.json', '{"Records":[{"eventTime":"2024-');
    await writeRaw(logs, 'bad/records-object.json', '{"Records":{"eventTime":"2024-03-09T00:00:00Z"}}');
    await writeRaw(logs, 'bad/not-gzip.json.gz', 'this is not gzip and not json');
    await writeRaw(logs, 'mixed/some-bad-records.json', JSON.stringify({ Records: [record(), 'not a record', 7, record()] }));
    const cut = JSON.stringify({ Records: [record(), record(), record()] });
    await writeRaw(logs, 'mixed/cut-short.json', cut.slice(0, cut.lastIndexOf('{"eventVersion"') + 40));
    const huge = record({ responseElements: { blob: 'x'.repeat(300 * 1024) }, eventVersion: '42.0', fieldFromTheFuture: { a: 1 } });
    await writeRaw(logs, 'mixed/huge.json', JSON.stringify({ Records: [huge] }));
    const deep = JSON.stringify(record()).replace('{', `{"nested":${'['.repeat(20_000)}${']'.repeat(20_000)},`);
    await writeRaw(logs, 'mixed/too-deep.json', `{"Records":[${deep},${JSON.stringify(record())}]}`);

    const summary = await ingest({ lake, sources: [logs] });
    assert.equal(summary.files.rejected, 4);
    const reasons = Object.fromEntries(summary.rejectedFiles.map((r) => [r.uri.replace(/^.*\/logs\//, ''), r.reason]));
    assert.match(reasons['bad/truncated.json.gz']!, /truncated gzip/);
    assert.match(reasons['bad/broken.json']!, /malformed JSON/);
    assert.match(reasons['bad/records-object.json']!, /"Records" is an object, not an array/);
    assert.match(reasons['bad/not-gzip.json.gz']!, /not JSON/);
    const withRejected = Object.fromEntries(
      summary.filesWithRejectedRecords.map((f) => [f.uri.replace(/^.*\/logs\//, ''), f.rejectedRecords]),
    );
    assert.deepEqual(withRejected, { 'mixed/some-bad-records.json': 2, 'mixed/cut-short.json': 1, 'mixed/too-deep.json': 1 });
    const tooDeep = summary.filesWithRejectedRecords.find((f) => f.uri.endsWith('too-deep.json'))!;
    assert.match(tooDeep.reason, /^record 0 cannot be stored \(Maximum call stack size exceeded: nested too deeply\?\)/);
    assert.equal(summary.unknownFields.fieldfromthefuture, 1);
    assert.equal(await count(lake), 8, 'the two whole records of the cut-short file, and the one beside the too deep one, are kept');
    const big = await query({ lake }, `select length(responseelements) as n, raw from cloudtrail_logs where eventversion = '42.0'`);
    assert.ok(Number(big.rows[0]!.n) > 300 * 1024);
    assert.deepEqual(JSON.parse(String(big.rows[0]!.raw)).fieldFromTheFuture, { a: 1 });

    const manifest = await (await openLake(lake)).manifest();
    const statuses = [...manifest.entries()].map((e) => `${e.uri.replace(/^.*\/logs\//, '')}:${e.status}`).sort();
    assert.ok(statuses.includes('bad/truncated.json.gz:rejected'));
    assert.ok(statuses.includes('mixed/some-bad-records.json:ingested'));
    const partial = [...manifest.entries()].find((e) => e.uri.endsWith('some-bad-records.json'))!;
    assert.equal(partial.rejectedRecords, 2);
    assert.match(partial.reason!, /record 1 is not an object/);
  });

  it('reads a log file larger than 32 MiB a part at a time, keeping every record around a broken one', async (t) => {
    const dir = await tempDir(t);
    const logs = join(dir, 'logs');
    const lake = join(dir, 'lake');
    const pad = 'p'.repeat(1800);
    const days = ['07', '08', '09'];
    const good = Array.from({ length: 15_000 }, (_, i) =>
      JSON.stringify(record({ eventTime: `2024-03-${days[i % 3]}T12:00:00Z`, requestParameters: { pad, i } })),
    );
    const text = `{"Records":[${good.slice(0, 7_500).join(',')},{"eventTime": not json},${good.slice(7_500).join(',')}]}`;
    assert.ok(text.length > 32 * 1024 * 1024);
    await writeRaw(logs, 'big/one-large-file.json', text);

    const summary = await ingest({ lake, sources: [logs] });
    assert.equal(summary.events, 15_000);
    assert.equal(summary.filesWithRejectedRecords[0]!.rejectedRecords, 1);
    assert.match(summary.filesWithRejectedRecords[0]!.reason, /record 7500: malformed JSON/);
    const perDay = await query(
      { lake },
      `select day, count(*) as n, count(distinct eventid) as ids, sum(cast(json_extract_scalar(requestparameters, '$.i') as bigint)) as s from cloudtrail_logs group by day order by day`,
    );
    assert.deepEqual(
      perDay.rows.map((r) => [r.day, Number(r.n), Number(r.ids)]),
      days.map((d) => [d, 5000, 5000]),
    );
    assert.equal(
      perDay.rows.reduce((n, r) => n + Number(r.s), 0),
      (15_000 * 14_999) / 2,
    );
  });

  it('prunes by delivery day, account and region from the keys alone', async (t) => {
    const dir = await tempDir(t);
    const logs = join(dir, 'logs');
    await bucket(logs);
    const lake = join(dir, 'lake');
    const summary = await ingest({
      lake,
      sources: [logs],
      filter: { since: '2024-03-09', until: '2024-03-09', accounts: ['111122223333'], regions: ['eu-west-1'] },
    });
    assert.equal(summary.files.seen, 4);
    assert.equal(await count(lake), 20);
    assert.equal(await count(lake, `account <> '111122223333' or region <> 'eu-west-1' or day <> '09'`), 0);
    assert.equal(summary.unfilteredFiles, 0);
  });

  it('follows symbolic links to files and folders, walking a folder reached twice once and passing over links to nothing', async (t) => {
    const dir = await tempDir(t);
    const elsewhere = join(dir, 'elsewhere');
    const expected = await bucket(join(elsewhere, 'bucket'));
    await writeRaw(elsewhere, 'one.json', JSON.stringify({ Records: [record(), record()] }));
    const links = join(dir, 'links');
    await mkdir(links);
    await symlink(join(elsewhere, 'bucket', 'AWSLogs'), join(links, 'AWSLogs'));
    await symlink(join(elsewhere, 'one.json'), join(links, 'one.json'));
    await symlink(links, join(links, 'loop'));
    await symlink(join(dir, 'nothing'), join(links, 'dangling.json'));
    await symlink(join(links, 'self'), join(links, 'self'));
    const lake = join(dir, 'lake');
    const summary = await ingest({ lake, sources: [links] });
    const events = [...expected.values()].reduce((a, b) => a + b, 0) + 2;
    assert.equal(summary.files.ingested, expected.size + 1);
    assert.equal(await count(lake), events);
  });

  it('refuses a filter that could only match nothing, before reading anything', async (t) => {
    const dir = await tempDir(t);
    const lake = join(dir, 'lake');
    const refused = [
      [{ since: '2026-11-31' }, /^since: expected a day as YYYY-MM-DD, got '2026-11-31'$/],
      [{ since: '2026-11-06', until: '2026-11-01' }, /^since 2026-11-06 is after until 2026-11-01/],
      [{ accounts: ['abc'] }, /^expected 12-digit AWS account IDs, got 'abc'$/],
      [{ regions: ['nowhere'] }, /^expected AWS regions such as us-east-1, got 'nowhere'$/],
    ] as const;
    for (const [filter, message] of refused) {
      await assert.rejects(ingest({ lake, sources: [dir], filter }), { name: 'KeyFilterError', message });
    }
    const logs = join(dir, 'logs');
    await writeLogFile(logs, { records: [record()] });
    const upper = await ingest({ lake, sources: [logs], filter: { regions: ['US-EAST-1'] } });
    assert.equal(upper.events, 1, 'a region in upper case is the region');
  });

  it("filters files by CloudTrail's file names outside the AWSLogs folders, and counts the files no filter can apply to", async (t) => {
    const dir = await tempDir(t);
    const logs = join(dir, 'logs');
    const flat = join(dir, 'flat');
    await bucket(logs);
    await mkdir(flat);
    for (const entry of await readdir(logs, { recursive: true, withFileTypes: true })) {
      if (entry.isFile()) await copyFile(join(entry.parentPath, entry.name), join(flat, entry.name));
    }
    await writeRaw(flat, 'export.jsonl', `${JSON.stringify(record({ eventTime: '2024-03-01T00:00:00Z' }))}\n`);
    const lake = join(dir, 'lake');
    const summary = await ingest({
      lake,
      sources: [flat],
      filter: { since: '2024-03-09', until: '2024-03-09', accounts: ['111122223333'], regions: ['eu-west-1'] },
    });
    assert.equal(summary.files.seen, 5);
    assert.equal(summary.unfilteredFiles, 1, 'export.jsonl names no day, account or region');
    assert.equal(await count(lake), 21);
    assert.equal(await count(lake, `day = '01'`), 1);
  });

  it('ingests a single plain (not gzip) log file named on the command line', async (t) => {
    const dir = await tempDir(t);
    const logs = join(dir, 'logs');
    const lake = join(dir, 'lake');
    const key = await writeLogFile(logs, { records: [record(), record(), record()], gzip: false });
    const summary = await ingest({ lake, sources: [join(logs, key)] });
    assert.equal(summary.events, 3);
    const text = await readFile(join(logs, key), 'utf8');
    assert.ok(text.startsWith('{"Records"'));
  });
});
