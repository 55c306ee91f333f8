/**
 * Query figures on one lake: warm (one process, lake opened once, median of `runs`), cold
 * (the real CLI in a new process each time, wall clock: what a user waits for), and the
 * same question asked of DuckDB over the raw files, once, with a timeout.
 */
import { join } from 'node:path';
import type { Outcome, QueryFigures, RowsCheck } from './bench-results.js';
import { REPO_ROOT, runChild, runChildToEnd, spawnAndWait } from './child-process.js';
import type { DiscoverRequest, DiscoverValue } from './children/discover-child.js';
import type { RawQueryRequest, RawQueryValue } from './children/raw-query-child.js';
import type { WarmQueryRequest, WarmQueryValue } from './children/warm-query-child.js';
import { measured } from './measured.js';
import { pickWeekday, type BenchQuery, type QueryParameters } from './query-set.js';

export interface QueryContext {
  readonly lake: string;
  readonly fileList: string;
  readonly runs: number;
  /** Seconds before a baseline query is stopped; undefined skips the baseline. */
  readonly baselineTimeoutSeconds: number | undefined;
  /** DuckDB threads of the baseline; undefined: DuckDB's default. */
  readonly baselineThreads: number | undefined;
  readonly log: (line: string) => void;
}

const ms = (s: number) => `${(s * 1000).toFixed(s < 0.1 ? 1 : 0)} ms`;
/** Longer than any of our queries should ever take: a hang, not a slow query. */
const OURS_TIMEOUT_SECONDS = 600;

/** The values the queries ask about, picked from the lake's data (see discover-child.ts). */
export async function discoverParameters(lake: string, days: readonly string[]): Promise<QueryParameters> {
  const found = (await runChildToEnd<DiscoverRequest, DiscoverValue>('discover-child', { lake }, { timeoutSeconds: 600 })).value;
  return {
    firstDay: days[0]!,
    lastDay: days[days.length - 1]!,
    day: pickWeekday(days),
    principalArn: found.principalArn ?? 'arn:aws:iam::000000000000:user/none-found',
    route53Name: found.route53Name ?? 'none-found.example.com.',
    bucketName: found.bucketName ?? 'none-found',
  };
}

export async function measureQueries(ctx: QueryContext, queries: readonly BenchQuery[]): Promise<QueryFigures[]> {
  const ours = new Map<string, QueryFigures['ours']>();
  for (const q of queries) {
    const o = await measureOurs(ctx, q);
    ours.set(q.id, o);
    ctx.log(
      `  ${q.id}: ` +
        (o.outcome === 'ok'
          ? `${o.rows} rows, warm ${ms(o.warmSeconds.median)}, cold ${ms(o.coldSeconds.median)}`
          : `FAILED ${o.outcome === 'failed' ? o.error.split('\n')[0] : o.outcome}`),
    );
  }
  const baselines = ctx.baselineTimeoutSeconds === undefined ? undefined : await measureBaselines(ctx, queries, ctx.baselineTimeoutSeconds);
  return queries.map((q) => {
    const o = ours.get(q.id)!;
    const baseline = baselines?.get(q.id) ?? skipped;
    const rowsCheck = checkRows(o, baseline, q.rowsDetermined ?? true);
    if (baselines) {
      ctx.log(
        `  ${q.id} on raw files: ` +
          (baseline.outcome === 'ok'
            ? `${ms(baseline.seconds)}, ${baseline.rows} rows`
            : baseline.outcome === 'timeout'
              ? `> ${baseline.timeoutSeconds} s (stopped)`
              : `${baseline.outcome}${baseline.outcome === 'failed' ? `: ${baseline.error.split('\n')[0]}` : ''}`),
      );
    }
    if (rowsCheck === 'count differs' || rowsCheck === 'same count, other values') {
      ctx.log(`  !!! ROWS DIFFER for ${q.id}: trailscope and DuckDB-on-raw-files disagree (${rowsCheck}); a bug somewhere`);
    }
    return {
      id: q.id,
      title: q.title,
      ...(q.seed ? { seed: q.seed } : {}),
      athena: q.athena,
      duckdb: q.duckdb,
      ours: o,
      baseline,
      rowsCheck,
    };
  });
}

const skipped = { outcome: 'skipped', why: '--skip-baseline' } as const;

async function measureOurs(ctx: QueryContext, q: BenchQuery): Promise<QueryFigures['ours']> {
  const warm = await runChildToEnd<WarmQueryRequest, WarmQueryValue>(
    'warm-query-child',
    { lake: ctx.lake, sql: q.athena, runs: ctx.runs },
    { timeoutSeconds: OURS_TIMEOUT_SECONDS },
  );
  const w = warm.value;
  if (!w.ok) return { outcome: 'failed', error: w.error };
  const cold: number[] = [];
  for (let i = 0; i < ctx.runs; i++) {
    const cli = [join(REPO_ROOT, 'bin', 'trailscope.js'), 'query', '--lake', ctx.lake, '--format', 'csv', q.athena];
    const run = await spawnAndWait(process.execPath, cli, { timeoutSeconds: OURS_TIMEOUT_SECONDS });
    if (run.timedOut) return { outcome: 'timeout', timeoutSeconds: OURS_TIMEOUT_SECONDS };
    if (run.code !== 0) return { outcome: 'failed', error: `trailscope query exited ${run.code}: ${run.output.slice(-2000)}` };
    cold.push(run.seconds);
  }
  return {
    outcome: 'ok',
    rows: w.rows,
    warmSeconds: measured(w.seconds.length ? w.seconds : [w.firstSeconds]),
    coldSeconds: measured(cold),
    firstSeconds: w.firstSeconds,
    loadSeconds: w.loadSeconds,
    openSeconds: w.openSeconds,
    readBytes: w.readBytes,
    scannedBytes: w.scannedBytes,
    peakRssMiB: warm.maxRssKiB / 1024,
    digest: w.digest,
  };
}

/** Every query once over the raw files, in one child that interrupts each at the timeout. */
async function measureBaselines(
  ctx: QueryContext,
  queries: readonly BenchQuery[],
  timeoutSeconds: number,
): Promise<Map<string, QueryFigures['baseline']>> {
  const out = new Map<string, QueryFigures['baseline']>();
  try {
    const run = await runChild<RawQueryRequest, RawQueryValue>(
      'raw-query-child',
      {
        fileList: ctx.fileList,
        queries: queries.map((q) => ({ id: q.id, sql: q.duckdb })),
        timeoutSeconds,
        ...(ctx.baselineThreads ? { threads: ctx.baselineThreads } : {}),
      },
      // Interrupting a query is prompt; the margin covers creating the view and a slow interrupt.
      { timeoutSeconds: queries.length * (timeoutSeconds + 30) + 60 },
    );
    if (run.kind === 'timeout') throw new Error('the baseline queries did not stop at their timeouts');
    for (const [id, result] of Object.entries(run.value)) out.set(id, result);
  } catch (e) {
    for (const q of queries) if (!out.has(q.id)) out.set(q.id, { outcome: 'failed', error: (e as Error).message.slice(0, 2000) });
  }
  return out;
}

function checkRows(
  ours: Outcome<{ rows: number; digest: string }>,
  baseline: Outcome<{ rows: number; digest: string }>,
  determined: boolean,
): RowsCheck {
  if (ours.outcome !== 'ok' || baseline.outcome !== 'ok') return 'not compared';
  if (ours.rows !== baseline.rows) return 'count differs';
  if (!determined) return 'same count';
  return ours.digest === baseline.digest ? 'match' : 'same count, other values';
}
