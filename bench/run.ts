/**
 * `npm run bench`: trailscope's speed as numbers we watch. For each data size it measures
 * ingest (against a hand-written DuckDB baseline and the gunzip/parse floor), an incremental
 * day, and the seed and issue queries (warm, cold, and DuckDB over the raw files), then one
 * large log file; it prints the report and writes docs/BENCHMARKS.md and docs/benchmarks.json.
 * Flags: see `USAGE` in bench-options.ts.
 *
 * @example
 * npm run bench -- --size XS --runs 1 --out /tmp/bench   # a quick look (the smoke test runs this)
 * npm run bench -- --size M --compare docs/benchmarks.json
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as prettier from 'prettier';
import {
  RESULTS_VERSION,
  type BenchResults,
  type BigFileFigures,
  type ManyAccountsFigures,
  type Outcome,
  type SizeResults,
} from './bench-results.js';
import { BenchUsageError, USAGE, ingestRunsFor, parseBenchArgs, type BenchOptions } from './bench-options.js';
import { REPO_ROOT } from './child-process.js';
import { ensureCliBuilt } from './cli-build.js';
import { compareResults, comparisonText, readResults } from './compare-results.js';
import { ensureLogData, listLogFiles, warmPageCache, type BenchSize } from './log-data.js';
import { describeMachine } from './machine.js';
import { markdownReport } from './markdown-report.js';
import {
  measureBaselineIngest,
  measureBigLogFile,
  measureFloor,
  measureIncremental,
  measureIngest,
  measureManyAccounts,
} from './measure-ingest.js';
import { discoverParameters, measureQueries } from './measure-queries.js';
import { benchQueries } from './query-set.js';
import { judgeTargets } from './targets.js';

const started = performance.now();
/** Progress on stderr, each line with the time since the start (mm:ss), so slow steps stand out. */
const log = (line: string) => {
  const s = Math.floor((performance.now() - started) / 1000);
  process.stderr.write(`${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')} ${line}\n`);
};

export async function main(argv: readonly string[]): Promise<number> {
  let options: BenchOptions;
  try {
    options = parseBenchArgs(argv, REPO_ROOT);
  } catch (e) {
    if (!(e instanceof BenchUsageError)) throw e;
    if (e.message) log(`bench: ${e.message}`);
    process.stderr.write(USAGE);
    return e.message ? 1 : 0;
  }
  const old = options.compare ? await readResults(options.compare) : undefined;
  const machine = describeMachine();
  log(`trailscope bench: sizes ${options.sizes.join(', ')}; ${machine.cores} cores; Node ${machine.node}; DuckDB ${machine.duckdb}`);
  await ensureCliBuilt(log);
  const workDir = options.workDir ?? (await mkdtemp(join(tmpdir(), 'trailscope-bench-')));
  await mkdir(workDir, { recursive: true });
  try {
    const sizes: SizeResults[] = [];
    let firstFileList: string | undefined;
    for (const size of options.sizes) {
      const { results, fileList } = await benchSize(size, options, workDir);
      sizes.push(results);
      firstFileList ??= fileList;
    }
    let bigFile: Outcome<BigFileFigures> = { outcome: 'skipped', why: '--big-file-mb 0' };
    if (options.bigFileBytes > 0 && firstFileList) {
      log(`[one large log file]`);
      bigFile = await measureBigLogFile(firstFileList, workDir, options.bigFileBytes, log);
    }
    let manyAccounts: Outcome<ManyAccountsFigures> = { outcome: 'skipped', why: '--many-accounts 0' };
    if (options.manyAccounts > 0) {
      log(`[an organization of ${options.manyAccounts} accounts]`);
      manyAccounts = await measureManyAccounts(options.manyAccounts, options.dataRoot, workDir, log);
    }
    const partial: Omit<BenchResults, 'targets'> = {
      version: RESULTS_VERSION,
      machine,
      command: ['npm run bench', ...(argv.length ? ['--', ...argv] : [])].join(' '),
      runs: options.runs,
      baselineThreads: options.baselineThreads ?? null,
      sizes,
      bigFile,
      manyAccounts,
    };
    const results: BenchResults = { ...partial, targets: judgeTargets(partial) };
    const compared = old && options.compare ? { file: shownPath(options.compare), figures: compareResults(results, old) } : undefined;
    const markdown = markdownReport(results, compared);
    await writeOutputs(options.outDir, results, markdown);
    process.stdout.write(markdown);
    if (compared) process.stdout.write(`\n${comparisonText(compared.file, compared.figures)}\n`);
    log(`wrote ${join(options.outDir, 'BENCHMARKS.md')} and ${join(options.outDir, 'benchmarks.json')}`);
    return 0;
  } finally {
    if (!options.workDir) await rm(workDir, { recursive: true, force: true });
  }
}

async function benchSize(size: BenchSize, options: BenchOptions, workDir: string): Promise<{ results: SizeResults; fileList: string }> {
  log(`[${size}] data`);
  const data = await ensureLogData(size, options.dataRoot, log);
  const files = await listLogFiles(data.logsDir);
  log(`  ${data.events.toLocaleString('en-US')} events in ${files.length.toLocaleString('en-US')} log files (${data.logsDir})`);
  await warmPageCache(files, log);
  const fileList = join(workDir, `${size}-log-files.json`);
  await writeFile(fileList, JSON.stringify(files));
  const ctx = { data, fileList, workDir, runs: ingestRunsFor(options, size), log };

  log(`[${size}] ingest`);
  const ours = await measureIngest(ctx);
  const baseline = options.skipBaseline
    ? ({ outcome: 'skipped', why: '--skip-baseline' } as const)
    : await measureBaselineIngest(ctx, options.ingestBaselineTimeoutSeconds, options.baselineThreads);
  const floor = await measureFloor(ctx);

  log(`[${size}] incremental day`);
  const incremental =
    size === 'L'
      ? ({ outcome: 'skipped', why: 'L: a second near-full ingest of L would double the run; M shows the behaviour' } as const)
      : await measureIncremental(ctx);

  log(`[${size}] queries`);
  const parameters = await discoverParameters(ours.lake, data.days);
  const queries = await measureQueries(
    {
      lake: ours.lake,
      fileList,
      runs: options.runs,
      baselineTimeoutSeconds: options.skipBaseline ? undefined : options.queryBaselineTimeoutSeconds,
      baselineThreads: options.baselineThreads,
      log,
    },
    benchQueries(parameters),
  );
  await rm(ours.lake, { recursive: true, force: true });
  return {
    fileList,
    results: {
      size,
      data: {
        days: data.days.length,
        firstDay: data.days[0]!,
        lastDay: data.days[data.days.length - 1]!,
        events: data.events,
        logFiles: data.logFiles,
        digestFiles: data.digestFiles,
        bytes: floor.bytes,
        uncompressedBytes: floor.uncompressedBytes,
      },
      ingest: ours.figures,
      baseline,
      floor,
      incremental,
      parameters,
      queries,
    },
  };
}

/** A path as the report shows it: relative inside the repository, absolute outside. */
function shownPath(path: string): string {
  const inRepo = relative(REPO_ROOT, path);
  return inRepo && !inRepo.startsWith('..') ? inRepo : path;
}

/** BENCHMARKS.md and benchmarks.json; the JSON formatted as the repo's Prettier would (it is checked in). */
async function writeOutputs(outDir: string, results: BenchResults, markdown: string): Promise<void> {
  await mkdir(outDir, { recursive: true });
  const jsonPath = join(outDir, 'benchmarks.json');
  // The repo's settings wherever the run writes: an --out outside the repo is copied into docs/.
  const config = (await prettier.resolveConfig(join(REPO_ROOT, 'docs', 'benchmarks.json'))) ?? {};
  await writeFile(jsonPath, await prettier.format(JSON.stringify(results), { ...config, parser: 'json' }));
  await writeFile(join(outDir, 'BENCHMARKS.md'), markdown);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await main(process.argv.slice(2));
}
