import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ingest } from '../src/ingest/ingest.js';
import { openQuerySession, query, SqlError, type LakeSession } from '../src/sql/query.js';
import { record, writeLogFile } from './support/log-files.js';

/**
 * User SQL reads the lake and nothing else: each kind of statement that would write, read
 * other files, open databases, load code or change the engine gets a clear refusal, and the
 * lake's folder is byte for byte the same afterwards. Queries also stop at a time limit and
 * a memory limit, with a message that names the flag to raise.
 */

let dir = '';
let lake = '';
let session: LakeSession;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'trailscope-safety-'));
  await writeLogFile(join(dir, 'logs'), { records: [record(), record({ eventName: 'ConsoleLogin' })] });
  lake = join(dir, 'lake');
  await ingest({ lake, sources: [join(dir, 'logs')] });
  session = await openQuerySession({ lake });
});
after(async () => {
  session.close();
  await rm(dir, { recursive: true, force: true });
});

/** A digest of every file below the lake (names and contents). */
async function lakeDigest(): Promise<string> {
  const hash = createHash('sha256');
  const entries = (await readdir(lake, { recursive: true, withFileTypes: true })).filter((e) => e.isFile());
  for (const e of entries.map((e) => join(e.parentPath, e.name)).sort()) {
    hash.update(e);
    hash.update(await readFile(e));
  }
  return hash.digest('hex');
}

async function refused(sql: string, kind: SqlError['kind'], message: RegExp): Promise<void> {
  await assert.rejects(session.run(sql), (e: unknown) => {
    assert.ok(e instanceof SqlError, `${sql}: ${String(e)}`);
    assert.equal(e.kind, kind, `${sql}: ${e.message}`);
    assert.match(e.message, message, sql);
    return true;
  });
}

describe('statements user SQL may not run', () => {
  it('refuses each with a reason and what to do instead, and leaves the lake untouched', async () => {
    const before = await lakeDigest();
    const inside = (name: string) => `'${join(lake, name)}'`;
    const cases: Array<[string, RegExp]> = [
      [
        `COPY (SELECT * FROM cloudtrail_logs) TO ${inside('data/out.parquet')} (FORMAT parquet)`,
        /^line 1:1: COPY is not allowed: SQL here reads the lake and writes no files \(save results with --format csv > file\.csv\)/,
      ],
      [`COPY cloudtrail_logs FROM ${inside('x.csv')}`, /COPY is not allowed/],
      [`EXPORT DATABASE ${inside('export')}`, /EXPORT is not allowed/],
      [`ATTACH ${inside('_trailscope/x.db')} AS x`, /ATTACH is not allowed: SQL here reads this lake only/],
      [`DETACH x`, /DETACH is not allowed/],
      [`USE x`, /USE is not allowed/],
      [`INSTALL httpfs`, /INSTALL is not allowed: no extension can be installed or loaded at run time/],
      [`LOAD json`, /LOAD is not allowed/],
      [`FORCE INSTALL httpfs`, /FORCE is not allowed/],
      [
        `SET enable_external_access = true`,
        /SET is not allowed: engine settings are fixed; use the command flags instead \(--timeout, --memory-limit\)/,
      ],
      [`RESET memory_limit`, /RESET is not allowed/],
      [`PRAGMA enable_profiling`, /PRAGMA is not allowed/],
      [
        `INSERT INTO cloudtrail_logs SELECT * FROM cloudtrail_logs`,
        /INSERT is not allowed: the lake is read-only to SQL \(add data with `trailscope ingest`\)/,
      ],
      [`UPDATE cloudtrail_logs SET eventname = 'x'`, /UPDATE is not allowed/],
      [`DELETE FROM cloudtrail_logs`, /DELETE is not allowed/],
      [`CREATE TABLE t AS SELECT * FROM cloudtrail_logs`, /CREATE is not allowed: the DDL allowed is CREATE EXTERNAL TABLE/],
      [`CREATE OR REPLACE VIEW cloudtrail_logs AS SELECT 1`, /CREATE is not allowed/],
      [`CREATE MACRO json_extract_scalar(a, b) AS 1`, /CREATE is not allowed/],
      [`DROP VIEW cloudtrail_flat`, /DROP is not allowed/],
      [`ALTER TABLE cloudtrail_logs RENAME TO x`, /ALTER is not allowed/],
      [`CHECKPOINT`, /CHECKPOINT is not allowed/],
      [`CALL pragma_version()`, /CALL is not allowed/],
      [`BEGIN TRANSACTION`, /BEGIN is not allowed/],
    ];
    for (const [sql, message] of cases) await refused(sql, 'forbidden', message);
    assert.equal(await lakeDigest(), before);
  });

  it('refuses DROP TABLE of the lake itself', async () => {
    await refused(`DROP TABLE cloudtrail_logs`, 'forbidden', /cloudtrail_logs is the lake itself and cannot be dropped/);
  });

  it('runs the statements before a refused one, and none after it', async () => {
    const results: unknown[] = [];
    await assert.rejects(async () => {
      for await (const r of session.execute(`select 1 as a; copy (select 1) to '/tmp/never.csv'; select 2 as b`)) results.push(r);
    }, /^SqlError: line 1:16: COPY is not allowed/);
    assert.equal(results.length, 1);
  });
});

describe('files user SQL may not read', () => {
  it('refuses table functions that read files, even inside the lake', async () => {
    const inside = join(lake, '_trailscope', 'CURRENT');
    for (const fn of [
      `read_csv('/etc/passwd')`,
      `read_csv_auto('${inside}')`,
      `read_text('${inside}')`,
      `read_blob('${inside}')`,
      `read_json('${inside}')`,
      `read_parquet('${lake}/data/**/*.parquet')`,
      `parquet_metadata('${lake}/data/**/*.parquet')`,
      `glob('${lake}/**')`,
      `query('select 1')`,
      `duckdb_settings()`,
    ]) {
      await refused(
        `select * from ${fn}`,
        'forbidden',
        /^line 1:15: table function \w+\(\) is not allowed: SQL here reads the lake's tables only \(cloudtrail_logs, cloudtrail_flat\)/,
      );
    }
  });

  it('takes a quoted file name in FROM for a table name, which does not exist', async () => {
    await refused(`select * from '/etc/passwd'`, 'not-found', /table \/etc\/passwd does not exist/);
    await refused(`select * from '${lake}/_trailscope/CURRENT'`, 'not-found', /does not exist/);
  });

  it('allows the table functions that read nothing: unnest, range, generate_series', async () => {
    const [r] = await session.run(`select count(*) as n from range(3) cross join generate_series(1, 2) cross join unnest([1, 2]) as u(x)`);
    assert.deepEqual(r!.rows, [{ n: 12 }]);
  });

  it("locks the engine itself to the lake's folder, so even trailscope's own SQL cannot read elsewhere or unlock it", async () => {
    await assert.rejects(session.internalQuery(`select * from read_csv('/etc/passwd')`), /Permission Error|disabled|not allowed/i);
    await assert.rejects(session.internalQuery(`SET enable_external_access = true`), /lock|configuration/i);
  });
});

describe('limits', () => {
  it('stops a query at the time limit and says which flag raises it', async () => {
    await assert.rejects(
      query({ lake, timeoutMs: 200 }, `select count(*) from range(1000000000000) t(i) where hash(i) % 7 = 3`),
      (e: unknown) => {
        assert.ok(e instanceof SqlError);
        assert.equal(e.kind, 'timeout');
        assert.match(e.message, /^the query ran longer than the time limit of 0\.2 s and was stopped: narrow it .* or raise --timeout$/);
        return true;
      },
    );
  });

  it('stops a query at the memory limit and says which flag raises it', async () => {
    await assert.rejects(
      query({ lake, memoryLimit: '64MB' }, `select string_agg(repeat('x', 1000), ',') from range(2000000)`),
      (e: unknown) => {
        assert.ok(e instanceof SqlError);
        assert.equal(e.kind, 'memory');
        assert.match(e.message, /^the query needed more memory than the limit of 64MB: .* or raise --memory-limit/);
        return true;
      },
    );
  });

  it('says so when the memory limit itself is not a size', async () => {
    await assert.rejects(query({ lake, memoryLimit: 'lots' }, 'select 1'), /cannot start the query engine: .*--memory-limit/);
  });
});
