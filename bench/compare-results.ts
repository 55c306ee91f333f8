/**
 * `--compare old.json`: every figure of this run next to the same figure of an earlier run.
 * Figures are matched by a stable id (`M.ingest.seconds`, `M.query.top-errors.warm`), so a
 * run with other sizes or a new query still compares what both have.
 */
import { readFile } from 'node:fs/promises';
import type { BenchResults } from './bench-results.js';
import { bytesText, numberText, secondsText } from './figure-text.js';
import type { Measured } from './measured.js';

export interface FlatFigure {
  readonly id: string;
  readonly value: number;
  readonly text: string;
}

export interface ComparedFigure {
  readonly id: string;
  readonly newText: string;
  readonly oldText?: string;
  /** new / old of the medians. */
  readonly ratio?: number;
}

const one = (v: number): Measured => ({ median: v, min: v, max: v, values: [v] });

/** Every headline figure of a run, by id. */
export function flattenFigures(r: BenchResults): FlatFigure[] {
  const out: FlatFigure[] = [];
  const secs = (id: string, m: Measured) => out.push({ id, value: m.median, text: secondsText(m) });
  const num = (id: string, m: Measured, unit: string) => out.push({ id, value: m.median, text: numberText(m, unit) });
  for (const s of r.sizes) {
    const p = s.size;
    secs(`${p}.ingest.seconds`, s.ingest.seconds);
    num(`${p}.ingest.events-per-second`, s.ingest.eventsPerSecond, 'events/s');
    num(`${p}.ingest.mb-per-second`, s.ingest.mbPerSecond, 'MB/s');
    num(`${p}.ingest.peak-rss`, s.ingest.peakRssMiB, 'MiB');
    secs(`${p}.ingest.merge`, s.ingest.timings.merge);
    if (s.baseline.outcome === 'ok') secs(`${p}.baseline.duckdb-copy`, one(s.baseline.seconds));
    secs(`${p}.floor.gunzip`, s.floor.gunzipSeconds);
    secs(`${p}.floor.gunzip-parse`, s.floor.parseSeconds);
    if (s.incremental.outcome === 'ok') {
      secs(`${p}.incremental.into-lake`, s.incremental.intoLakeSeconds);
      secs(`${p}.incremental.alone`, s.incremental.aloneSeconds);
    }
    for (const q of s.queries) {
      if (q.ours.outcome === 'ok') {
        secs(`${p}.query.${q.id}.warm`, q.ours.warmSeconds);
        secs(`${p}.query.${q.id}.cold`, q.ours.coldSeconds);
        num(`${p}.query.${q.id}.peak-rss`, one(q.ours.peakRssMiB), 'MiB');
        if (q.ours.readBytes !== null)
          out.push({ id: `${p}.query.${q.id}.bytes-read`, value: q.ours.readBytes, text: bytesText(q.ours.readBytes) });
      }
      if (q.baseline.outcome === 'ok') secs(`${p}.query.${q.id}.raw`, one(q.baseline.seconds));
    }
  }
  if (r.bigFile.outcome === 'ok' && r.bigFile.ingest.outcome === 'ok') {
    secs('big-file.seconds', one(r.bigFile.ingest.seconds));
    num('big-file.peak-rss', one(r.bigFile.ingest.peakRssMiB), 'MiB');
  }
  if (r.manyAccounts?.outcome === 'ok') {
    secs('many-accounts.seconds', one(r.manyAccounts.seconds));
    num('many-accounts.events-per-second', one(r.manyAccounts.eventsPerSecond), 'events/s');
    num('many-accounts.peak-rss', one(r.manyAccounts.peakRssMiB), 'MiB');
  }
  return out;
}

export async function readResults(file: string): Promise<BenchResults> {
  const parsed = JSON.parse(await readFile(file, 'utf8')) as Partial<BenchResults>;
  if (!Array.isArray(parsed.sizes) || !parsed.machine) throw new Error(`${file} is not a benchmarks.json written by npm run bench`);
  return parsed as BenchResults;
}

export function compareResults(now: BenchResults, old: BenchResults): ComparedFigure[] {
  const before = new Map(flattenFigures(old).map((f) => [f.id, f] as const));
  return flattenFigures(now).map((f) => {
    const o = before.get(f.id);
    return o
      ? { id: f.id, newText: f.text, oldText: o.text, ...(o.value > 0 ? { ratio: f.value / o.value } : {}) }
      : { id: f.id, newText: f.text };
  });
}

export function comparisonText(file: string, figures: readonly ComparedFigure[]): string {
  const width = Math.max(...figures.map((f) => f.id.length), 6);
  const lines = figures.map(
    (f) =>
      `${f.id.padEnd(width)}  ${f.newText.padEnd(28)}  ${(f.oldText ?? '–').padEnd(28)}  ${f.ratio === undefined ? '–' : f.ratio.toFixed(2)}`,
  );
  return [
    `compared with ${file} (new / old):`,
    `${'figure'.padEnd(width)}  ${'new'.padEnd(28)}  ${'old'.padEnd(28)}  ratio`,
    ...lines,
  ].join('\n');
}
