/**
 * Kill `trailscope ingest` with SIGKILL at every step of a commit, and at moments chosen
 * by a timer, and check that the lake holds every source file wholly or not at all, and
 * that the next ingest finishes the job.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { query } from '../src/sql/query.js';
import { runCli } from './support/cli.js';
import { record, tempDir, writeLogFile } from './support/log-files.js';

const FAILPOINTS = ['before-merge', 'before-snapshot', 'before-commit', 'after-commit', 'during-moves', 'after-moves'];

/** Per log file URI suffix, how many records it holds. */
let expected: Map<string, number>;
let logs: string;
let total = 0;

async function filesInLake(lake: string): Promise<Map<string, number>> {
  // Killed before it made the lake: nothing to show (a query would say there is no lake).
  if (!existsSync(join(lake, '_trailscope'))) return new Map();
  const rows = (
    await query({ lake }, `select "$path" as path, count(*) as n, count(distinct eventid) as d from cloudtrail_logs group by 1`)
  ).rows;
  const out = new Map<string, number>();
  for (const r of rows) {
    assert.equal(r.n, r.d, `no event twice (${String(r.path)})`);
    out.set(String(r.path).slice(String(r.path).indexOf('/AWSLogs/') + 1), Number(r.n));
  }
  return out;
}

/** Every file the lake shows, it shows whole; and nothing that is not a committed file sits in data/. */
async function assertWholeOrAbsent(lake: string) {
  for (const [file, n] of await filesInLake(lake)) assert.equal(n, expected.get(file), `${file} is in the lake whole`);
  const listed = new Set((await query({ lake }, `select distinct "$path" as p from cloudtrail_logs`)).rows.map((r) => String(r.p)));
  assert.ok(listed.size <= expected.size);
}

async function assertComplete(lake: string) {
  const files = await filesInLake(lake);
  assert.equal(files.size, expected.size);
  assert.equal(
    [...files.values()].reduce((a, b) => a + b, 0),
    total,
  );
  const data = await listFiles(join(lake, 'data'));
  assert.ok(
    data.every((f) => f.endsWith('.parquet')),
    `only committed Parquet files in data/: ${data.join(', ')}`,
  );
}

async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (e.isFile()) out.push(relative(dir, join(e.parentPath ?? (e as unknown as { path: string }).path, e.name)));
  }
  return out;
}

describe('a killed ingest', () => {
  let dir: string;
  after(() => rm(dir, { recursive: true, force: true }));
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'trailscope-crash-'));
    logs = join(dir, 'logs');
    expected = new Map();
    let minute = 0;
    for (const date of ['2024-01-01', '2024-01-02', '2024-01-03']) {
      for (const region of ['us-east-1', 'us-west-2']) {
        for (let i = 0; i < 6; i++) {
          const records = Array.from({ length: 40 }, (_, k) =>
            record({
              eventTime: `${date}T${String(i + 3).padStart(2, '0')}:${String(k).padStart(2, '0')}:00Z`,
              awsRegion: region,
              requestParameters: { pad: 'p'.repeat(300) },
            }),
          );
          const key = await writeLogFile(logs, { region, date, records, minute: ++minute });
          expected.set(key, records.length);
          total += records.length;
        }
      }
    }
  });

  for (const point of FAILPOINTS) {
    it(`leaves whole files or none when killed at ${point}, and the next run completes`, async (t) => {
      const lake = join(await tempDir(t), 'lake');
      const killed = await runCli(['ingest', logs, '--lake', lake, '--batch-mb', '1'], { env: { TRAILSCOPE_FAILPOINT: point } });
      assert.equal(killed.signal, 'SIGKILL', `the failpoint was reached: ${killed.stderr}`);
      await assertWholeOrAbsent(lake);
      const resumed = await runCli(['ingest', logs, '--lake', lake, '--batch-mb', '1']);
      assert.equal(resumed.code, 0, resumed.stderr);
      await assertComplete(lake);
    });
  }

  it('survives being killed at timer-chosen moments, again and again', async (t) => {
    const lake = join(await tempDir(t), 'lake');
    for (const ms of [150, 400, 700, 1000, 1300, 1700]) {
      await runCli(['ingest', logs, '--lake', lake, '--batch-mb', '1'], { killAfterMs: ms });
      await assertWholeOrAbsent(lake);
    }
    const last = await runCli(['ingest', logs, '--lake', lake, '--batch-mb', '1']);
    assert.equal(last.code, 0, last.stderr);
    await assertComplete(lake);
    const again = await runCli(['ingest', logs, '--lake', lake]);
    assert.match(again.stdout, /0 ingested/);
  });
});
