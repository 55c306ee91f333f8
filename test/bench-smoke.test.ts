/**
 * `npm run bench` at size XS, once, so the bench cannot rot between the runs that matter.
 * Asserts that it finishes and that every section of both outputs holds numbers; never how
 * fast anything was (timings are for `npm run bench` on a quiet machine, not for tests).
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import type { BenchResults } from '../bench/bench-results.js';
import { compareResults } from '../bench/compare-results.js';
import { tempDir } from './support/log-files.js';

const REPO = fileURLToPath(new URL('..', import.meta.url));
const TIMEOUT_MS = 5 * 60_000;

/** Runs the bench as `npm run bench` does; on timeout kills its whole process group. */
function runBench(args: readonly string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'bench/run.ts', ...args], {
      cwd: REPO,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output = (output + c.toString()).slice(-100_000)));
    child.stderr.on('data', (c: Buffer) => (output = (output + c.toString()).slice(-100_000)));
    const timer = setTimeout(() => process.kill(-child.pid!, 'SIGKILL'), TIMEOUT_MS - 10_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

const positive = (n: unknown, what: string) =>
  assert.ok(typeof n === 'number' && n > 0 && Number.isFinite(n), `${what} is a positive number (got ${n})`);

describe('npm run bench -- --size XS --runs 1 --many-accounts 4', () => {
  it(
    'measures ingest, baselines, floor, an incremental day, every query, a large log file and an organization of many accounts, and writes them all',
    { timeout: TIMEOUT_MS },
    async (t) => {
      const out = await tempDir(t, 'trailscope-bench-out-');
      const data = await tempDir(t, 'trailscope-bench-data-');
      const run = await runBench([
        '--size',
        'XS',
        '--runs',
        '1',
        '--big-file-mb',
        '3',
        '--many-accounts',
        '4',
        '--out',
        out,
        '--data-dir',
        data,
      ]);
      assert.equal(run.code, 0, `the bench exits 0; its output:\n${run.output}`);

      const results = JSON.parse(await readFile(join(out, 'benchmarks.json'), 'utf8')) as BenchResults;
      positive(results.machine.cores, 'machine.cores');
      assert.equal(results.sizes.length, 1);
      const xs = results.sizes[0]!;
      assert.equal(xs.size, 'XS');
      positive(xs.data.events, 'data.events');
      positive(xs.ingest.seconds.median, 'ingest.seconds');
      positive(xs.ingest.eventsPerSecond.median, 'ingest.eventsPerSecond');
      positive(xs.ingest.peakRssMiB.median, 'ingest.peakRssMiB');
      assert.equal(xs.ingest.events, xs.data.events, 'ingest added every generated event');
      assert.equal(xs.baseline.outcome, 'ok');
      if (xs.baseline.outcome === 'ok') assert.equal(xs.baseline.rows, xs.data.events, 'the DuckDB baseline wrote every event');
      positive(xs.floor.gunzipSeconds.median, 'floor.gunzipSeconds');
      positive(xs.floor.parseSeconds.median, 'floor.parseSeconds');
      assert.equal(xs.incremental.outcome, 'ok', JSON.stringify(xs.incremental));
      if (xs.incremental.outcome === 'ok') positive(xs.incremental.ratio.median, 'incremental.ratio');
      assert.ok(xs.queries.length >= 13, 'every query of the set ran');
      for (const q of xs.queries) {
        assert.equal(q.ours.outcome, 'ok', `${q.id} on the lake: ${JSON.stringify(q.ours)}`);
        assert.equal(q.baseline.outcome, 'ok', `${q.id} on the raw files: ${JSON.stringify(q.baseline)}`);
        assert.match(q.rowsCheck, /^(match|same count)$/, `${q.id}: the lake and the raw files give the same rows`);
        if (q.ours.outcome === 'ok') {
          positive(q.ours.warmSeconds.median, `${q.id} warm`);
          positive(q.ours.coldSeconds.median, `${q.id} cold`);
        }
      }
      assert.equal(results.bigFile.outcome, 'ok');
      if (results.bigFile.outcome === 'ok') assert.equal(results.bigFile.ingest.outcome, 'ok');
      const many = results.manyAccounts;
      assert.equal(many?.outcome, 'ok', JSON.stringify(many));
      if (many?.outcome === 'ok') {
        assert.equal(many.accounts, 4);
        positive(many.events, 'manyAccounts.events');
        positive(many.seconds, 'manyAccounts.seconds');
        // An organization trail logs each account in several regions: more partitions than accounts × days.
        assert.ok(many.partitions > many.accounts * many.days, `${many.partitions} partitions`);
      }
      assert.equal(results.targets.length, 9);
      for (const target of results.targets) assert.match(target.status, /^(met|missed|not measured)$/);

      const markdown = await readFile(join(out, 'BENCHMARKS.md'), 'utf8');
      for (const heading of [
        '## Targets',
        '## Data',
        '## Ingest',
        '### Against the baseline and the floor',
        '## Incremental ingest',
        '## Queries on XS',
        '## Memory',
        '## One large log file',
        '## An organization of many accounts',
        '## How it is measured',
      ]) {
        assert.ok(markdown.includes(`\n${heading}\n`), `BENCHMARKS.md has "${heading}"`);
      }
      assert.match(markdown, /Machine: \d+ cores/);
      assert.match(markdown, /\n\| XS \| 1 \| [\d.]+ m?s \| [\d,.]+ \|/, 'the ingest table has figures');
      assert.match(markdown, /\n\| activity-count \| 000 \| 1 \| [\d.]+ m?s \| [\d.]+ m?s \|/, 'the query table has figures');

      const compared = compareResults(results, results);
      assert.ok(compared.length > 20);
      for (const f of compared) if (f.ratio !== undefined) assert.equal(f.ratio, 1, f.id);
    },
  );
});
