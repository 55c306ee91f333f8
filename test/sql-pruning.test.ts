import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { lakeFileColumns } from '../src/cloudtrail/athena-table.js';
import { Engine, sqlString } from '../src/engine/duckdb-engine.js';
import { ingest } from '../src/ingest/ingest.js';
import { openLake } from '../src/lake/lake.js';
import { partitionKey } from '../src/lake/snapshot.js';
import { openQuerySession, query, type LakeSession, type QueryOptions } from '../src/sql/query.js';
import { record, writeLogFile, type TestRecord } from './support/log-files.js';

/**
 * Reading only what a query needs, proven by what the query reports it read: the
 * partitions and bytes read shrink with the predicate, while the answers stay those
 * computed here from the records.
 */

const DAY = 86_400_000;
const today = new Date(Math.floor(Date.now() / DAY) * DAY);
/** `yyyy-mm-dd` of `n` days before today (UTC). */
const daysAgo = (n: number) => new Date(today.getTime() - n * DAY).toISOString().slice(0, 10);
const DAYS = [4, 3, 2, 1, 0].map(daysAgo);
const ACCOUNTS = ['111122223333', '444455556666'];
const REGIONS = ['us-east-1', 'eu-west-1'];

let dir = '';
let lake = '';
let session: LakeSession;
const all: TestRecord[] = [];

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'trailscope-pruning-'));
  const logs = join(dir, 'logs');
  let minute = 0;
  for (const account of ACCOUNTS) {
    for (const region of REGIONS) {
      for (const date of DAYS) {
        const records = ['00:00:00', '06:30:00', '12:00:00', '23:59:59'].map((time, i) =>
          record({
            eventTime: `${date}T${time}Z`,
            awsRegion: region,
            recipientAccountId: account,
            eventName: i % 2 ? 'ConsoleLogin' : 'GetObject',
          }),
        );
        all.push(...records);
        await writeLogFile(logs, { account, region, date, records, minute: ++minute });
      }
    }
  }
  lake = join(dir, 'lake');
  await ingest({ lake, sources: [logs] });
  session = await openQuerySession({ lake, stats: true });
});
after(async () => {
  session.close();
  await rm(dir, { recursive: true, force: true });
});

const PARTITIONS = ACCOUNTS.length * REGIONS.length * DAYS.length;
const time = (r: TestRecord) => String(r.eventTime);
const partitionsOf = (records: TestRecord[]) =>
  new Set(records.map((r) => `${String(r.recipientAccountId)}/${String(r.awsRegion)}/${time(r).slice(0, 10)}`)).size;

/** Runs `select count(*) ... where <where>`, checks the count against `expected`, and returns what it read. */
async function counted(where: string, expected: (r: TestRecord) => boolean) {
  const [result] = await session.run(`select count(*) as n from cloudtrail_logs where ${where}`);
  const matching = all.filter(expected);
  assert.equal(result!.rows[0]!.n, matching.length, `count where ${where}`);
  return { stats: result!.stats, matching };
}

describe('pruning on partition columns', () => {
  it('reads every partition without a predicate', async () => {
    const { stats } = await counted('true', () => true);
    assert.equal(stats.partitions.read, PARTITIONS);
    assert.equal(stats.partitions.total, PARTITIONS);
    assert.equal(stats.bytes.read, stats.bytes.total);
  });

  it('reads only the partitions that region, account, year, month and day name', async () => {
    const day = DAYS[2]!;
    const cases: Array<[string, (r: TestRecord) => boolean]> = [
      [`region = 'eu-west-1'`, (r) => r.awsRegion === 'eu-west-1'],
      [`account = '444455556666' and region = 'us-east-1'`, (r) => r.recipientAccountId === '444455556666' && r.awsRegion === 'us-east-1'],
      [`year = '${day.slice(0, 4)}' and month = '${day.slice(5, 7)}' and day = '${day.slice(8)}'`, (r) => time(r).startsWith(day)],
      [
        `region in ('eu-west-1') and day >= '${day.slice(8)}' and month = '${day.slice(5, 7)}'`,
        (r) => r.awsRegion === 'eu-west-1' && time(r).slice(0, 10) >= day && time(r).slice(5, 7) === day.slice(5, 7),
      ],
      [`region like 'eu-%'`, (r) => String(r.awsRegion).startsWith('eu-')],
      [`region not in ('eu-west-1')`, (r) => r.awsRegion !== 'eu-west-1'],
      [`region <> 'eu-west-1'`, (r) => r.awsRegion !== 'eu-west-1'],
    ];
    for (const [where, test] of cases) {
      const { stats, matching } = await counted(where, test);
      assert.equal(stats.partitions.read, partitionsOf(matching), where);
      assert.ok(stats.bytes.read < stats.bytes.total, where);
    }
  });

  it('keeps both sides of an OR, and everything under a NOT it cannot read', async () => {
    const or = await counted(
      `region = 'eu-west-1' or account = '111122223333'`,
      (r) => r.awsRegion === 'eu-west-1' || r.recipientAccountId === '111122223333',
    );
    assert.equal(or.stats.partitions.read, partitionsOf(or.matching));
    const not = await counted(`not (region = 'eu-west-1')`, (r) => r.awsRegion !== 'eu-west-1');
    assert.ok(not.stats.partitions.read >= partitionsOf(not.matching));
    const unknown = await counted(
      `region = 'eu-west-1' or eventname = 'GetObject'`,
      (r) => r.awsRegion === 'eu-west-1' || r.eventName === 'GetObject',
    );
    assert.equal(unknown.stats.partitions.read, PARTITIONS, 'an OR with a column pruning cannot use reads everything');
  });
});

describe('pruning on eventtime alone', () => {
  it('reads only the days of a string range on eventtime', async () => {
    const from = `${DAYS[3]}T00:00:00Z`;
    const { stats, matching } = await counted(`eventtime >= '${from}'`, (r) => time(r) >= from);
    assert.equal(stats.partitions.read, partitionsOf(matching));
    assert.equal(stats.partitions.read, ACCOUNTS.length * REGIONS.length * 2);
    assert.deepEqual(stats.scans[0]!.prunedBy, ['eventtime']);
  });

  it('counts the boundaries exactly: midnight belongs to the day it starts', async () => {
    const day = DAYS[2]!;
    const next = DAYS[3]!;
    const cases: Array<[string, (r: TestRecord) => boolean]> = [
      [
        `eventtime >= '${day}T00:00:00Z' and eventtime < '${next}T00:00:00Z'`,
        (r) => time(r) >= `${day}T00:00:00Z` && time(r) < `${next}T00:00:00Z`,
      ],
      [`eventtime > '${day}T23:59:59Z'`, (r) => time(r) > `${day}T23:59:59Z`],
      [`eventtime = '${day}T06:30:00Z'`, (r) => time(r) === `${day}T06:30:00Z`],
      [
        `eventtime between '${day}T06:30:00Z' and '${day}T12:00:00Z'`,
        (r) => time(r) >= `${day}T06:30:00Z` && time(r) <= `${day}T12:00:00Z`,
      ],
      [`eventtime in ('${day}T12:00:00Z', '${next}T00:00:00Z')`, (r) => time(r) === `${day}T12:00:00Z` || time(r) === `${next}T00:00:00Z`],
      [`eventtime like '${day}%'`, (r) => time(r).startsWith(day)],
      [`'${day}T12:00:00Z' <= eventtime and eventtime <= '${day}T12:00:00Z'`, (r) => time(r) === `${day}T12:00:00Z`],
    ];
    for (const [where, test] of cases) {
      const { stats, matching } = await counted(where, test);
      assert.equal(stats.partitions.read, partitionsOf(matching), where);
    }
  });

  it('reads only the days of a time range through from_iso8601_timestamp, with literals or relative to now()', async () => {
    const day = DAYS[2]!;
    const start = Date.parse(`${day}T00:00:00Z`);
    const literal = await counted(
      `from_iso8601_timestamp(eventtime) >= from_iso8601_timestamp('${day}T00:00:00Z') and from_iso8601_timestamp(eventtime) < from_iso8601_timestamp('${day}T12:00:00Z')`,
      (r) => Date.parse(time(r)) >= start && Date.parse(time(r)) < start + DAY / 2,
    );
    assert.equal(literal.stats.partitions.read, partitionsOf(literal.matching));
    const offset = await counted(
      `from_iso8601_timestamp(eventtime) > from_iso8601_timestamp('${day}T23:00:00+09:00')`,
      (r) => Date.parse(time(r)) > start + 14 * 3_600_000,
    );
    assert.ok(offset.stats.partitions.read <= partitionsOf(offset.matching) + ACCOUNTS.length * REGIONS.length);
    const typed = await counted(
      `from_iso8601_timestamp(eventtime) >= timestamp '${day} 12:00:00'`,
      (r) => Date.parse(time(r)) >= start + DAY / 2,
    );
    assert.equal(typed.stats.partitions.read, partitionsOf(typed.matching));
    const cutoff = Date.now() - DAY;
    const relative = await counted(`from_iso8601_timestamp(eventtime) > now() - interval '1' day`, (r) => Date.parse(time(r)) > cutoff);
    assert.ok(relative.stats.partitions.read <= 2 * ACCOUNTS.length * REGIONS.length, 'at most yesterday and today');
    const dated = await counted(`date(from_iso8601_timestamp(eventtime)) = date '${day}'`, (r) => time(r).startsWith(day));
    assert.equal(dated.stats.partitions.read, partitionsOf(dated.matching));
  });

  it('prunes each reference of a self-join on its own predicates, and references inside CTEs and subqueries', async () => {
    const [joined] = await session.run(`
      select count(*) as n from cloudtrail_logs a join cloudtrail_logs b on a.eventid = b.eventid
      where a.region = 'eu-west-1' and b.eventtime like '${DAYS[4]}%'`);
    assert.equal(joined!.rows[0]!.n, all.filter((r) => r.awsRegion === 'eu-west-1' && time(r).startsWith(DAYS[4]!)).length);
    const [a, b] = joined!.stats.scans;
    assert.equal(a!.partitions, ACCOUNTS.length * DAYS.length);
    assert.equal(b!.partitions, ACCOUNTS.length * REGIONS.length);
    const [cte] = await session.run(
      `with recent as (select * from cloudtrail_logs where day = '${DAYS[4]!.slice(8)}') select count(*) as n from recent`,
    );
    assert.equal(cte!.stats.partitions.read, ACCOUNTS.length * REGIONS.length);
    const [sub] = await session.run(`select count(*) as n from (select eventname from cloudtrail_logs where account = '111122223333') t`);
    assert.equal(sub!.stats.partitions.read, REGIONS.length * DAYS.length);
  });

  it("does not take a column of another table for the lake table's when pruning a join", async () => {
    const [result] = await session.run(`
      with other as (select '${DAYS[0]}T00:00:00Z' as eventtime)
      select count(*) as n from cloudtrail_logs, other where other.eventtime = '${DAYS[0]}T00:00:00Z'`);
    assert.equal(result!.rows[0]!.n, all.length);
    assert.equal(result!.stats.partitions.read, PARTITIONS);
  });
});

describe('what a query reports it read', () => {
  it('EXPLAIN tells the partitions, files, bytes and rows a query would read, without running it', async () => {
    const [explained] = await session.run(`explain select count(*) from cloudtrail_logs where region = 'us-east-1'`);
    assert.equal(explained!.kind, 'explain');
    assert.deepEqual(explained!.columns, ['table', 'partitions', 'files', 'bytes', 'rows', 'pruned_by']);
    const row = explained!.rows[0]!;
    assert.equal(row.table, 'cloudtrail_logs');
    assert.equal(row.partitions, ACCOUNTS.length * DAYS.length);
    assert.equal(row.rows, all.filter((r) => r.awsRegion === 'us-east-1').length);
    assert.equal(row.pruned_by, 'region');
    const [analyzed] = await session.run(`explain analyze select * from cloudtrail_logs where region = 'us-east-1' limit 3`);
    assert.equal(analyzed!.rows[0]!.rows_returned, 3);
    assert.equal(typeof analyzed!.rows[0]!.elapsed_ms, 'number');
  });

  it('reports what a query over no table read as nothing', async () => {
    const [result] = await session.run(`select 1 as one`);
    assert.equal(result!.stats.files.read, 0);
    assert.equal(result!.stats.scans.length, 0);
  });
});

describe("Parquet footers kept between a session's queries", () => {
  // Filling the cache costs a first query over a month of files more than it saves a second.
  it('keeps them in a session, which can be told not to, and not in a one-shot query()', async () => {
    const setting = "select current_setting('parquet_metadata_cache') as kept";
    assert.deepEqual((await session.run(setting))[0]!.rows, [{ kept: true }]);
    assert.deepEqual((await query({ lake }, setting)).rows, [{ kept: false }]);
    const told = await openQuerySession({ lake, footerCache: false });
    try {
      assert.deepEqual((await told.run(setting))[0]!.rows, [{ kept: false }]);
      assert.deepEqual((await told.run('select count(*) as n from cloudtrail_logs'))[0]!.rows, [{ n: all.length }]);
    } finally {
      told.close();
    }
  });
});

describe('row groups inside a file', () => {
  let rowGroupDir = '';
  let rowGroupLake = '';
  const ROWS = 10 * 2048;
  const start = Date.parse('2024-05-01T00:00:00Z');
  const at = (i: number) => new Date(start + i * 4000).toISOString().replace('.000', '');

  before(async () => {
    rowGroupDir = await mkdtemp(join(tmpdir(), 'trailscope-rowgroups-'));
    rowGroupLake = join(rowGroupDir, 'lake');
    await mkdir(rowGroupLake, { recursive: true });
    const theLake = await openLake(rowGroupLake);
    const tx = await theLake.begin();
    const partition = { account: '111122223333', region: 'us-east-1', year: '2024', month: '05', day: '01' };
    const staged = join(tx.staging, 'data', partitionKey(partition), 'part-0.parquet');
    await mkdir(join(staged, '..'), { recursive: true });
    const engine = await Engine.create({ threads: 1 });
    try {
      const columns = lakeFileColumns()
        .map(([name, type]) =>
          name === 'eventtime'
            ? `strftime(TIMESTAMP '2024-05-01 00:00:00' + to_seconds(i * 4), '%Y-%m-%dT%H:%M:%SZ') AS eventtime`
            : name === 'eventid'
              ? `'id-' || i AS eventid`
              : `CAST(NULL AS ${type}) AS "${name}"`,
        )
        .join(', ');
      await engine.run(
        `COPY (SELECT ${columns} FROM range(${ROWS}) t(i) ORDER BY i) TO ${sqlString(staged)} (FORMAT parquet, ROW_GROUP_SIZE 2048)`,
      );
    } finally {
      engine.close();
    }
    await tx.commit({
      added: [
        { stagedPath: staged, partition, rows: ROWS, bytes: (await stat(staged)).size, minEventTime: at(0), maxEventTime: at(ROWS - 1) },
      ],
      replacedPartitions: new Set(),
      manifest: [],
    });
  });
  after(() => rm(rowGroupDir, { recursive: true, force: true }));

  it('reads only the row groups whose eventtime min/max meet the range, with the same answer', async () => {
    const from = at(ROWS - 3000);
    const result = await query(
      { lake: rowGroupLake, stats: true },
      `select count(*) as n, min(eventtime) as first from cloudtrail_logs where eventtime >= '${from}'`,
    );
    assert.deepEqual(result.rows, [{ n: 3000, first: from }]);
    assert.equal(result.stats.rowGroups!.total, 10);
    assert.equal(result.stats.rowGroups!.read, 2, 'the last 3,000 rows lie in the last two groups of 2,048');
    assert.equal(result.stats.rows.read, 2 * 2048);
    const timed = await query(
      { lake: rowGroupLake, stats: true },
      `select count(*) as n from cloudtrail_logs where from_iso8601_timestamp(eventtime) < from_iso8601_timestamp('${at(100)}')`,
    );
    assert.equal(timed.rows[0]!.n, 100);
    assert.equal(timed.stats.rowGroups!.read, 1);
  });
});

/** Runs `use` on a session of `options`, closed whatever happens. */
async function withSession(options: QueryOptions, use: (session: LakeSession) => Promise<void>): Promise<void> {
  const session = await openQuerySession(options);
  try {
    await use(session);
  } finally {
    session.close();
  }
}

/**
 * A lake of one partition file per day of May 2024 (account 111122223333, us-east-1), each
 * written as a trailscope version without the `dropped` columns would have: `rows` rows, every
 * value NULL but `eventtime` (10:00 that day), `managementevent` ('true') and the SQL in `values`
 * (over `i`, the row number).
 */
async function lakeOfDays(
  lake: string,
  days: ReadonlyArray<{ day: string; dropped?: readonly string[]; rows: number; values?: Readonly<Record<string, string>> }>,
): Promise<void> {
  await mkdir(lake, { recursive: true });
  const tx = await (await openLake(lake)).begin();
  const engine = await Engine.create({ threads: 1 });
  const added = [];
  try {
    for (const { day, dropped = [], rows, values = {} } of days) {
      const partition = { account: '111122223333', region: 'us-east-1', year: '2024', month: '05', day };
      const staged = join(tx.staging, 'data', partitionKey(partition), 'part-0.parquet');
      await mkdir(join(staged, '..'), { recursive: true });
      const at = `2024-05-${day}T10:00:00Z`;
      const given: Record<string, string> = { eventtime: `'${at}'`, managementevent: `'true'`, ...values };
      const columns = lakeFileColumns()
        .filter(([name]) => !dropped.includes(name))
        .map(([name, type]) => `${given[name] ?? `CAST(NULL AS ${type})`} AS "${name}"`)
        .join(', ');
      await engine.run(`COPY (SELECT ${columns} FROM range(${rows}) t(i)) TO ${sqlString(staged)} (FORMAT parquet)`);
      added.push({ stagedPath: staged, partition, rows, bytes: (await stat(staged)).size, minEventTime: at, maxEventTime: at });
    }
  } finally {
    engine.close();
  }
  await tx.commit({ added, replacedPartitions: new Set(), manifest: [] });
}

describe('a lake whose files have different columns (written by several trailscope versions)', () => {
  let driftDir = '';
  let driftLake = '';

  before(async () => {
    driftDir = await mkdtemp(join(tmpdir(), 'trailscope-drift-'));
    driftLake = join(driftDir, 'lake');
    await lakeOfDays(driftLake, [
      { day: '01', dropped: ['insightdetails', 'managementevent'], rows: 1 },
      { day: '02', rows: 1 },
    ]);
  });
  after(() => rm(driftDir, { recursive: true, force: true }));

  it('reads every file, with NULL for the columns an older file does not have', async () => {
    const result = await query({ lake: driftLake }, 'select eventtime, managementevent from cloudtrail_logs order by eventtime');
    assert.deepEqual(result.rows, [
      { eventtime: '2024-05-01T10:00:00Z', managementevent: null },
      { eventtime: '2024-05-02T10:00:00Z', managementevent: 'true' },
    ]);
    const all = await query({ lake: driftLake }, 'select * from cloudtrail_logs');
    assert.equal(all.rows.length, 2);
  });

  it('reads an older file alone, with NULL for the columns it does not have', async () => {
    const older = await query(
      { lake: driftLake },
      "select eventtime, managementevent, insightdetails from cloudtrail_logs where day = '01'",
    );
    assert.deepEqual(older.rows, [{ eventtime: '2024-05-01T10:00:00Z', managementevent: null, insightdetails: null }]);
    const all = await query({ lake: driftLake }, "select * from cloudtrail_logs where day = '01'");
    assert.equal(all.rows.length, 1);
    assert.equal(all.rows[0]!.managementevent, null);
    const raw = await query({ lake: driftLake }, "select raw from cloudtrail_logs where day = '01'");
    assert.match(String(raw.rows[0]!.raw), /"eventTime":"2024-05-01T10:00:00Z"/);
  });

  it('hands rows to a sink once each, with the columns told once, when the query must be run again to match columns by name', async () => {
    await withSession({ lake: driftLake }, async (session) => {
      const told: string[][] = [];
      const rows: unknown[] = [];
      const sink = {
        columns: (columns: readonly string[]) => void told.push([...columns]),
        rows: (chunk: { rows: readonly unknown[] }) => void rows.push(...chunk.rows),
      };
      for (const sql of ['select eventtime, managementevent from cloudtrail_logs', 'select * from cloudtrail_logs']) {
        told.length = 0;
        rows.length = 0;
        const [result] = await session.run(sql, sink);
        assert.equal(result!.rows.length, 0, 'the rows went to the sink, not into the result');
        assert.equal(told.length, 1, `${sql}: columns told once`);
        assert.equal(rows.length, 2, `${sql}: each file's row once`);
      }
      assert.deepEqual(rows.map((r) => (r as { eventtime: string }).eventtime).sort(), ['2024-05-01T10:00:00Z', '2024-05-02T10:00:00Z']);
    });
  });

  it("still reports a column that no file has as the user's mistake", async () => {
    await assert.rejects(
      query({ lake: driftLake }, 'select managementevnt from cloudtrail_logs'),
      /column 'managementevnt' cannot be resolved; did you mean `managementevent`/,
    );
  });
});

describe('a result that fails after rows went to the sink', () => {
  // Four days of 20,000 rows in the current columns, then a day written without two of them.
  // DuckDB reads the files in order and computes only about a megabyte ahead of the reader,
  // so the first days' rows reach the sink before the last file is opened.
  let dir = '';
  let lake = '';
  const FULL_DAYS = ['01', '02', '03', '04'];
  const ROWS = 20_000;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'trailscope-late-drift-'));
    lake = join(dir, 'lake');
    const values = (day: string) => ({
      eventid: `'${day}-' || lpad(CAST(i AS VARCHAR), 5, '0')`,
      requestparameters: `'{"pad":"' || repeat('x', 300) || '"}'`,
    });
    await lakeOfDays(lake, [
      ...FULL_DAYS.map((day) => ({ day, rows: ROWS, values: values(day) })),
      { day: '05', dropped: ['insightdetails', 'managementevent'], rows: 3, values: values('05') },
    ]);
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('a schema found different in a later file: the rerun matching columns by name skips the rows already passed on', async () => {
    await withSession({ lake, threads: 1 }, async (session) => {
      // What each run of the query handed on before it ended.
      const runs: number[] = [];
      const selectInChunks = session.engine.selectInChunks.bind(session.engine);
      session.engine.selectInChunks = (sql, shapeSql, sink) => {
        const run = runs.push(0) - 1;
        return selectInChunks(sql, shapeSql, {
          columns: (c, t) => sink.columns(c, t),
          rows: (chunk) => {
            runs[run]! += chunk.rows.length;
            return sink.rows(chunk);
          },
        });
      };
      const told: string[][] = [];
      const rows: Array<{ eventid: string; managementevent: string | null }> = [];
      const [result] = await session.run('select eventid, managementevent, requestparameters from cloudtrail_logs', {
        columns: (columns) => void told.push([...columns]),
        rows: (chunk) => void rows.push(...(chunk.rows as typeof rows)),
      });
      assert.equal(result!.rows.length, 0);
      assert.equal(runs.length, 2, `two runs: ${runs}`);
      assert.ok(runs[0]! > 0 && runs[0]! < FULL_DAYS.length * ROWS, `the first run passed rows on before the drift: ${runs}`);
      assert.equal(told.length, 1);
      assert.equal(rows.length, FULL_DAYS.length * ROWS + 3);
      assert.equal(new Set(rows.map((r) => r.eventid)).size, rows.length, 'no row twice');
      assert.deepEqual(
        rows.slice(-3).map((r) => [r.eventid, r.managementevent]),
        [
          ['05-00000', null],
          ['05-00001', null],
          ['05-00002', null],
        ],
      );
    });
  });

  it('a sink that takes the first 1,000 rows gets exactly those, across the run again by name, and the statement counts every row', async () => {
    await withSession({ lake, threads: 1 }, async (session) => {
      const rows: string[] = [];
      const [result] = await session.run('select eventid, managementevent, requestparameters from cloudtrail_logs', {
        takes: 1000,
        columns: () => {},
        rows: (chunk) => void rows.push(...chunk.rows.map((r) => r.eventid as string)),
      });
      assert.equal(result!.rowCount, FULL_DAYS.length * ROWS + 3);
      assert.deepEqual(
        rows,
        [...Array(1000).keys()].map((i) => `01-${String(i).padStart(5, '0')}`),
      );
      const [plain] = await session.run("select eventid from cloudtrail_logs where day = '05'");
      assert.equal(plain!.rowCount, 3);
    });
  });

  it('CSV lines made by DuckDB: the run again by name skips the lines already passed on', async () => {
    await withSession({ lake, threads: 1 }, async (session) => {
      const lines: string[] = [];
      const [result] = await session.run('select eventid, managementevent, requestparameters from cloudtrail_logs', {
        columns: () => {},
        rows: () => assert.fail('the types have CSV lines'),
        lines: { format: 'csv', write: (chunk) => void lines.push(...chunk) },
      });
      assert.equal(result!.rowCount, FULL_DAYS.length * ROWS + 3);
      assert.equal(lines.length, FULL_DAYS.length * ROWS + 3);
      assert.equal(new Set(lines.map((l) => l.split(',', 1)[0])).size, lines.length, 'no line twice');
      assert.deepEqual(lines.slice(-1), ['05-00002,,"{""pad"":""' + 'x'.repeat(300) + '""}"\n']);
      // A timestamp has no line DuckDB writes: written from the value as Athena presents it, still as a line.
      const stamps: string[] = [];
      await session.run("select from_iso8601_timestamp(eventtime) as t, 1.5 as d from cloudtrail_logs where day = '05'", {
        columns: () => {},
        rows: () => assert.fail('lines only'),
        lines: { format: 'jsonl', write: (chunk) => void stamps.push(...chunk) },
      });
      assert.deepEqual(stamps, Array(3).fill('{"t":"2024-05-05 10:00:00.000 UTC","d":1.5}\n'));
    });
  });

  it('interrupted while rows are being read: an error saying so, and the session answers the next query', async () => {
    await withSession({ lake }, async (session) => {
      let seen = 0;
      await assert.rejects(
        session.run('select eventid, requestparameters from cloudtrail_logs', {
          columns: () => {},
          rows: (chunk) => {
            if (seen === 0) session.interrupt();
            seen += chunk.rows.length;
          },
        }),
        (e: Error & { kind?: string }) => e.kind === 'interrupted' && e.message === 'the query was stopped before it finished',
      );
      assert.ok(seen > 0 && seen < FULL_DAYS.length * ROWS, `rows before the interruption: ${seen}`);
      const [count] = await session.run('select count(*) as n from cloudtrail_logs');
      assert.equal(count!.rows[0]!.n, FULL_DAYS.length * ROWS + 3);
    });
  });

  it('interrupted after DuckDB has made the whole result (a small one): still an error, not the rest of the rows', async () => {
    await withSession({ lake }, async (session) => {
      let seen = 0;
      await assert.rejects(
        session.run("select eventid from cloudtrail_logs where day = '05' union all select eventid from cloudtrail_logs where day = '05'", {
          columns: () => {},
          rows: (chunk) => {
            seen += chunk.rows.length;
            session.interrupt();
          },
        }),
        { kind: 'interrupted' },
      );
      assert.equal(seen, 3, 'the first chunk only');
    });
  });

  it("refuses options that would fail later in other words, and gives back a sink's own error as it was", async () => {
    await assert.rejects(openQuerySession({} as QueryOptions), { name: 'TypeError', message: 'lake: the lake folder is required' });
    for (const timeoutMs of [0, -1, NaN]) {
      await assert.rejects(openQuerySession({ lake, timeoutMs }), {
        name: 'RangeError',
        message: /^timeoutMs: expected a number of milliseconds above 0/,
      });
    }
    await assert.rejects(openQuerySession({ lake, threads: -1 }), {
      name: 'RangeError',
      message: /^threads: expected a whole number above 0/,
    });
    await withSession({ lake }, async (session) => {
      const mine = new Error('the disk is full');
      const sinks = [
        { columns: () => {}, rows: () => Promise.reject(mine) },
        { columns: () => {}, rows: () => {}, lines: { format: 'csv' as const, write: () => Promise.reject(mine) } },
        { columns: () => Promise.reject(mine), rows: () => {} },
      ];
      for (const sink of sinks) await assert.rejects(session.run('select eventid from cloudtrail_logs', sink), (e) => e === mine);
    });
  });

  it('takes statements called at once in turn, and close() stops the one running and refuses the rest', async () => {
    await withSession({ lake }, async (session) => {
      const answers = await Promise.all([1, 2, 3, 4].map((n) => session.run(`select ${n} as n`)));
      assert.deepEqual(
        answers.map(([r]) => r!.rows[0]!.n),
        [1, 2, 3, 4],
      );
      const slow = session.run('select count(*) from cloudtrail_logs a, cloudtrail_logs b, cloudtrail_logs c, cloudtrail_logs d');
      const queued = session.run('select 1');
      setTimeout(() => session.close(), 200);
      await assert.rejects(slow, { kind: 'interrupted', message: 'the query was stopped before it finished' });
      await assert.rejects(queued, { kind: 'interrupted', message: 'the session is closed' });
      await assert.rejects(session.run('select 1'), { kind: 'interrupted', message: 'the session is closed' });
    });
  });

  it('the time limit running out while rows are being read: a timeout, not a short answer', async () => {
    await withSession({ lake, timeoutMs: 500 }, async (session) => {
      let seen = 0;
      await assert.rejects(
        session.run('select eventid, requestparameters from cloudtrail_logs', {
          columns: () => {},
          rows: async (chunk) => {
            // A slow reader: the time limit runs out while the query is still streaming.
            if (seen === 0) await new Promise((resolve) => setTimeout(resolve, 1000));
            seen += chunk.rows.length;
          },
        }),
        (e: Error & { kind?: string }) => e.kind === 'timeout' && /time limit of 0.5 s/.test(e.message),
      );
      assert.ok(seen > 0 && seen < FULL_DAYS.length * ROWS, `rows before the time limit: ${seen}`);
    });
  });
});
