/**
 * `npm run bench -- [flags]`: flags in, a normalised options object out, with errors that
 * say which flag is wrong and what it takes.
 */
import { resolve } from 'node:path';
import { BENCH_SIZES, defaultDataRoot, type BenchSize } from './log-data.js';

export interface BenchOptions {
  readonly sizes: readonly BenchSize[];
  /** Warm and cold runs of each query. */
  readonly runs: number;
  /** Runs of each ingest measurement; undefined: per size (see `ingestRunsFor`). */
  readonly ingestRuns: number | undefined;
  readonly compare: string | undefined;
  readonly outDir: string;
  readonly skipBaseline: boolean;
  readonly dataRoot: string;
  /** Where lakes and scratch files go during the run (removed at the end). */
  readonly workDir: string | undefined;
  readonly bigFileBytes: number;
  /** Accounts of the organization-trail ingest (`manyAccountsSpec`); 0: not run. */
  readonly manyAccounts: number;
  readonly queryBaselineTimeoutSeconds: number;
  readonly ingestBaselineTimeoutSeconds: number;
  /** DuckDB threads of the baselines; undefined: DuckDB's default (one per core). */
  readonly baselineThreads: number | undefined;
}

export const USAGE = `usage: npm run bench -- [flags]

  --size XS|S|M|L        data sizes (repeat or comma-separate; default S,M)
                         XS 2 days × 2,500 events/day, S 10 × 10,000, M 30 × 33,000, L 30 × 333,000
  --runs N               warm and cold runs of each query (default 5)
  --ingest-runs N        runs of each ingest measurement (default: 3, 1 for L, at most --runs)
  --compare OLD.json     print every figure next to the one in OLD.json, with the ratio
  --out DIR              where BENCHMARKS.md and benchmarks.json are written (default docs/)
  --skip-baseline        do not run the DuckDB baselines (they take minutes on M)
  --baseline-threads N   DuckDB threads of the baselines (default 1, its fastest on many small
                         files; 0: DuckDB's default, one per core, slower and far hungrier)
  --data-dir DIR         cache of generated logs (default \${XDG_CACHE_HOME:-~/.cache}/trailscope-bench)
  --work-dir DIR         lakes and scratch files during the run (default: a temporary folder)
  --big-file-mb N        size of the single-log-file test, uncompressed MB (default 200)
  --many-accounts N      accounts (1-50) of the organization-trail ingest: 3 days × 20,000
                         events/day, a partition per account, region and day (default 40; 0: skip)
  --query-timeout S      seconds before a baseline query is stopped (default 180)
  --ingest-timeout S     seconds before the baseline ingest is stopped (default 3600)
`;

export class BenchUsageError extends Error {
  override readonly name = 'BenchUsageError';
}

export function parseBenchArgs(argv: readonly string[], repoRoot: string): BenchOptions {
  const sizes: BenchSize[] = [];
  let runs = 5;
  let ingestRuns: number | undefined;
  let compare: string | undefined;
  let outDir = resolve(repoRoot, 'docs');
  let skipBaseline = false;
  let dataRoot = defaultDataRoot();
  let workDir: string | undefined;
  let bigFileMb = 200;
  let manyAccounts = 40;
  let queryTimeout = 180;
  let ingestTimeout = 3600;
  let baselineThreads: number | undefined = 1;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [flag, inline] =
      arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined || (inline === undefined && v.startsWith('--'))) throw new BenchUsageError(`${flag} needs a value`);
      return v;
    };
    const count = (min: number): number => {
      const v = value();
      const n = Number(v);
      if (!Number.isInteger(n) || n < min) throw new BenchUsageError(`${flag} takes a whole number of at least ${min}, not '${v}'`);
      return n;
    };
    switch (flag) {
      case '--size':
        for (const s of value().split(',').filter(Boolean)) {
          const size = s.toUpperCase() as BenchSize;
          if (!BENCH_SIZES.includes(size)) throw new BenchUsageError(`--size takes ${BENCH_SIZES.join(', ')}, not '${s}'`);
          if (!sizes.includes(size)) sizes.push(size);
        }
        break;
      case '--runs':
        runs = count(1);
        break;
      case '--ingest-runs':
        ingestRuns = count(1);
        break;
      case '--compare':
        compare = resolve(value());
        break;
      case '--out':
        outDir = resolve(value());
        break;
      case '--skip-baseline':
        skipBaseline = true;
        break;
      case '--data-dir':
        dataRoot = resolve(value());
        break;
      case '--work-dir':
        workDir = resolve(value());
        break;
      case '--big-file-mb':
        bigFileMb = count(0);
        break;
      case '--many-accounts':
        manyAccounts = count(0);
        if (manyAccounts > 50) throw new BenchUsageError(`--many-accounts takes 0 to 50 (the generator's most), not ${manyAccounts}`);
        break;
      case '--query-timeout':
        queryTimeout = count(1);
        break;
      case '--ingest-timeout':
        ingestTimeout = count(1);
        break;
      case '--baseline-threads': {
        const n = count(0);
        baselineThreads = n === 0 ? undefined : n;
        break;
      }
      case '--help':
      case '-h':
        throw new BenchUsageError('');
      default:
        throw new BenchUsageError(`unknown flag '${arg}'`);
    }
  }
  const order = (s: BenchSize) => BENCH_SIZES.indexOf(s);
  return {
    sizes: sizes.length ? sizes.sort((a, b) => order(a) - order(b)) : ['S', 'M'],
    runs,
    ingestRuns,
    compare,
    outDir,
    skipBaseline,
    dataRoot,
    workDir,
    bigFileBytes: bigFileMb * 1e6,
    manyAccounts,
    queryBaselineTimeoutSeconds: queryTimeout,
    ingestBaselineTimeoutSeconds: ingestTimeout,
    baselineThreads,
  };
}

/** Ingest runs for a size: L takes minutes per run, so once; others three times (never more than --runs). */
export function ingestRunsFor(options: BenchOptions, size: BenchSize): number {
  return options.ingestRuns ?? Math.min(options.runs, size === 'L' ? 1 : 3);
}
