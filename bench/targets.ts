/**
 * The targets for this 2-core machine, judged from a run's figures. A target names
 * the size it is about (M, L); when that size was not run, it is judged on the largest size
 * that was, and says so, so a quick S run still shows which way things point.
 */
import type { BenchResults, SizeResults, TargetResult, TargetStatus } from './bench-results.js';
import type { BenchSize } from './log-data.js';

type Judged = Omit<TargetResult, 'id' | 'target' | 'size'>;

interface TargetSpec {
  readonly id: string;
  readonly target: string;
  readonly size: BenchSize | null;
  readonly judge: (size: SizeResults | undefined, results: Omit<BenchResults, 'targets'>) => Judged;
  /** Judged on its own size only: a smaller size's figure says nothing about it. */
  readonly ownSizeOnly?: boolean;
}

const notMeasured = (why: string): Judged => ({ measured: '–', status: 'not measured', note: why });
const status = (met: boolean): TargetStatus => (met ? 'met' : 'missed');
const x = (n: number) => `${n >= 10 ? n.toFixed(0) : n.toFixed(1)}×`;
const msText = (s: number) => `${(s * 1000).toFixed(0)} ms`;
const seedQueries = (s: SizeResults) => s.queries.filter((q) => q.seed);

/**
 * Seed queries against a bound: the worst one, and which miss it (a target judged on its
 * slowest query alone hides whether one query or all of them are the problem). Undefined when
 * a seed query has no figure.
 */
function seedTally(
  s: SizeResults,
  pick: (q: SizeResults['queries'][number]) => number | undefined,
  meets: (v: number) => boolean,
  worse: 'max' | 'min',
) {
  const values = seedQueries(s).map((q) => ({ id: q.id, v: pick(q) }));
  if (values.length === 0 || values.some((v) => v.v === undefined || Number.isNaN(v.v))) return undefined;
  const worst = values.reduce((a, b) => ((worse === 'max' ? b.v! > a.v! : b.v! < a.v!) ? b : a));
  const missing = values.filter((v) => !meets(v.v!)).map((v) => v.id);
  const note = missing.length ? `${values.length - missing.length} of ${values.length} met; missed by ${missing.join(', ')}` : undefined;
  return { worst: { id: worst.id, v: worst.v! }, status: status(missing.length === 0), ...(note ? { note } : {}) };
}

/** The targets are for two cores: a larger machine is judged as if it had two. */
const coresUsed = (r: Omit<BenchResults, 'targets'>) => Math.max(1, Math.min(2, r.machine.cores));

/** The one-thread gunzip + parse floor, shared over the cores ingest may use. */
const twoCoreFloor = (s: SizeResults, r: Omit<BenchResults, 'targets'>) => s.floor.parseSeconds.median / coresUsed(r);

/** Judges every seed query's median `figure` against `bound` seconds. */
function seedTimeJudge(figure: 'warmSeconds' | 'coldSeconds', bound: number): TargetSpec['judge'] {
  return (s) => {
    const pick = (q: SizeResults['queries'][number]) => (q.ours.outcome === 'ok' ? q.ours[figure].median : undefined);
    const tally = s && seedTally(s, pick, (v) => v < bound, 'max');
    if (!tally) return notMeasured('a seed query did not run');
    const { worst, ...judged } = tally;
    return { measured: `slowest ${msText(worst.v)} (${worst.id})`, ...judged };
  };
}

const TARGETS: readonly TargetSpec[] = [
  {
    id: 'ingest-vs-duckdb',
    target: 'ingest ≥ 5× faster than DuckDB read_json + COPY',
    size: 'M',
    judge: (s, r) => {
      if (!s || s.baseline.outcome === 'skipped' || s.baseline.outcome === 'failed') return notMeasured('baseline not run');
      const ours = s.ingest.seconds.median;
      if (s.baseline.outcome === 'timeout') {
        const lower = s.baseline.timeoutSeconds / ours;
        return { measured: `> ${x(lower)}`, status: lower >= 5 ? 'met' : 'not measured' };
      }
      const speedup = s.baseline.seconds / ours;
      // Every design reads, gunzips and parses every file: a goal below that floor is out of reach on this data and machine.
      const goal = s.baseline.seconds / 5;
      const floor = twoCoreFloor(s, r);
      const note =
        speedup < 5 && goal < floor
          ? `5× would be ${goal.toFixed(1)} s, under the ${floor.toFixed(1)} s gunzip + parse floor on ${coresUsed(r)} cores: out of reach here`
          : undefined;
      return { measured: x(speedup), status: status(speedup >= 5), ...(note ? { note } : {}) };
    },
  },
  {
    id: 'ingest-vs-floor',
    target: 'ingest within 2× of the gunzip + parse floor on both cores',
    size: 'M',
    judge: (s, r) => {
      if (!s) return notMeasured('no size run');
      const ratio = s.ingest.seconds.median / twoCoreFloor(s, r);
      return { measured: x(ratio), status: status(ratio <= 2) };
    },
  },
  {
    id: 'ingest-rate',
    target: 'ingest ≥ 50,000 events/s',
    size: 'M',
    judge: (s) => {
      if (!s) return notMeasured('no size run');
      const rate = s.ingest.eventsPerSecond.median;
      return { measured: `${Math.round(rate).toLocaleString('en-US')} events/s`, status: status(rate >= 50_000) };
    },
  },
  {
    id: 'seed-warm',
    target: 'seed queries warm median < 100 ms',
    size: 'M',
    judge: seedTimeJudge('warmSeconds', 0.1),
  },
  {
    id: 'seed-cold',
    target: 'seed queries cold (new process) < 500 ms',
    size: 'M',
    judge: seedTimeJudge('coldSeconds', 0.5),
  },
  {
    id: 'seed-vs-raw',
    target: 'seed queries ≥ 50× faster than DuckDB over the raw files (cold vs raw)',
    size: 'M',
    judge: (s) => {
      if (!s) return notMeasured('no size run');
      const ratio = (q: SizeResults['queries'][number]) => {
        if (q.ours.outcome !== 'ok') return undefined;
        if (q.baseline.outcome === 'ok') return q.baseline.seconds / q.ours.coldSeconds.median;
        if (q.baseline.outcome === 'timeout') return q.baseline.timeoutSeconds / q.ours.coldSeconds.median;
        return undefined;
      };
      const tally = seedTally(s, ratio, (v) => v >= 50, 'min');
      if (!tally) return notMeasured('baseline not run for every seed query');
      const { worst, ...judged } = tally;
      const bound = s.queries.find((q) => q.id === worst.id)!.baseline.outcome === 'timeout' ? '> ' : '';
      return { measured: `least ${bound}${x(worst.v)} (${worst.id})`, ...judged };
    },
  },
  {
    id: 'ingest-L-rss',
    target: 'peak RSS < 1 GiB ingesting L',
    size: 'L',
    // Memory follows the largest partition's rows, ten times M's in L.
    ownSizeOnly: true,
    judge: (s) => {
      if (!s) return notMeasured('run with --size L');
      const rss = s.ingest.peakRssMiB.max;
      return { measured: `${rss.toFixed(0)} MiB`, status: status(rss < 1024) };
    },
  },
  {
    id: 'big-file',
    target: 'a 200 MB log file ingests without running out of memory',
    size: null,
    judge: (_s, r) => {
      if (r.bigFile.outcome !== 'ok') return notMeasured(r.bigFile.outcome === 'skipped' ? r.bigFile.why : r.bigFile.outcome);
      const b = r.bigFile;
      const mb = `${(b.bytes / 1e6).toFixed(0)} MB`;
      if (b.ingest.outcome !== 'ok') return { measured: `${mb}: ${b.ingest.outcome}`, status: 'missed' };
      const met = b.bytes >= 200e6;
      return {
        measured: `${mb} in ${b.ingest.seconds.toFixed(1)} s, peak RSS ${b.ingest.peakRssMiB.toFixed(0)} MiB`,
        status: met ? 'met' : 'not measured',
        ...(met ? {} : { note: 'file smaller than 200 MB (--big-file-mb)' }),
      };
    },
  },
  {
    id: 'incremental',
    target: 'a new day into the lake < 2× that day alone into an empty lake',
    size: 'M',
    judge: (s) => {
      if (!s || s.incremental.outcome !== 'ok') return notMeasured('incremental not run');
      const ratio = s.incremental.ratio.median;
      return { measured: x(ratio), status: status(ratio < 2) };
    },
  },
];

export function judgeTargets(results: Omit<BenchResults, 'targets'>): TargetResult[] {
  const bySize = new Map(results.sizes.map((s) => [s.size, s] as const));
  const largest = results.sizes[results.sizes.length - 1];
  return TARGETS.map((t) => {
    let size = t.size ? bySize.get(t.size) : largest;
    let note: string | undefined;
    if (t.size && !size && largest && !t.ownSizeOnly) {
      size = largest;
      note = `judged on ${largest.size}; the target is for ${t.size}`;
    }
    const judged = t.judge(size, results);
    const notes = [note, judged.note].filter(Boolean).join('; ');
    return {
      id: t.id,
      target: t.target,
      size: t.size ? (size?.size ?? null) : null,
      measured: judged.measured,
      status: judged.status,
      ...(notes ? { note: notes } : {}),
    };
  });
}
