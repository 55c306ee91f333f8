/**
 * How the bench judges the targets, on the committed M run with figures set to known
 * values: which seed queries miss a bound, and when the ingest goal lies under the floor.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { describe, it } from 'node:test';
import type { BenchResults, SizeResults } from '../bench/bench-results.js';
import { once } from '../bench/measured.js';
import { judgeTargets } from '../bench/targets.js';

type Run = Omit<BenchResults, 'targets'>;

/** A fresh copy each time: the tests change figures in place (`Object.assign` past `readonly`). */
async function committedRun(): Promise<Run> {
  const { targets: _targets, ...run } = JSON.parse(
    await readFile(new URL('../docs/benchmarks.json', import.meta.url), 'utf8'),
  ) as BenchResults;
  return run;
}

const sizeM = (run: Run) => run.sizes.find((s) => s.size === 'M')!;
const judged = (run: Run, id: string) => judgeTargets(run).find((t) => t.id === id)!;

/** Every seed query's warm median, cold median and raw baseline set to `warm`, `cold`, `raw` seconds. */
function setSeedQueries(s: SizeResults, figures: (id: string) => { warm: number; cold: number; raw: number }) {
  for (const q of s.queries) {
    if (!q.seed) continue;
    const f = figures(q.id);
    assert.equal(q.ours.outcome, 'ok');
    assert.equal(q.baseline.outcome, 'ok');
    if (q.ours.outcome !== 'ok' || q.baseline.outcome !== 'ok') continue;
    Object.assign(q.ours, { warmSeconds: once(f.warm), coldSeconds: once(f.cold) });
    Object.assign(q.baseline, { seconds: f.raw });
  }
}

describe('bench targets', () => {
  it('names the seed queries that miss each query target, and counts those that meet it', async () => {
    const run = await committedRun();
    const seeds = sizeM(run)
      .queries.filter((q) => q.seed)
      .map((q) => q.id);
    assert.ok(seeds.length >= 3, 'the committed run has seed queries');
    const [slow, slower] = seeds;
    setSeedQueries(sizeM(run), (id) =>
      id === slow
        ? { warm: 0.5, cold: 0.9, raw: 20 }
        : id === slower
          ? { warm: 0.7, cold: 0.3, raw: 10 }
          : { warm: 0.05, cold: 0.2, raw: 20 },
    );
    const warm = judged(run, 'seed-warm');
    assert.equal(warm.status, 'missed');
    assert.equal(warm.measured, `slowest 700 ms (${slower})`);
    assert.equal(warm.note, `${seeds.length - 2} of ${seeds.length} met; missed by ${slow}, ${slower}`);
    const cold = judged(run, 'seed-cold');
    assert.equal(cold.measured, `slowest 900 ms (${slow})`);
    assert.equal(cold.note, `${seeds.length - 1} of ${seeds.length} met; missed by ${slow}`);
    // 20 / 0.9 = 22×, 10 / 0.3 = 33×, the others 100×.
    const raw = judged(run, 'seed-vs-raw');
    assert.equal(raw.measured, `least 22× (${slow})`);
    assert.equal(raw.note, `${seeds.length - 2} of ${seeds.length} met; missed by ${slow}, ${slower}`);
  });

  it('says nothing more when every seed query meets a target', async () => {
    const run = await committedRun();
    setSeedQueries(sizeM(run), () => ({ warm: 0.05, cold: 0.2, raw: 20 }));
    for (const id of ['seed-warm', 'seed-cold', 'seed-vs-raw']) {
      const t = judged(run, id);
      assert.equal(t.status, 'met', id);
      assert.equal(t.note, undefined, id);
    }
  });

  it('says when 5× the DuckDB baseline is below the gunzip + parse floor', async () => {
    const run = await committedRun();
    const m = sizeM(run);
    Object.assign(run.machine, { cores: 2 });
    Object.assign(m.ingest, { seconds: once(15) });
    Object.assign(m.floor, { parseSeconds: once(16) }); // 8 s on two cores
    const baseline = { outcome: 'ok', seconds: 25, rows: m.ingest.events, threads: 1, peakRssMiB: 700 } as const;
    Object.assign(m, { baseline });
    const out = judged(run, 'ingest-vs-duckdb');
    assert.equal(out.status, 'missed');
    assert.equal(out.measured, '1.7×');
    assert.equal(out.note, '5× would be 5.0 s, under the 8.0 s gunzip + parse floor on 2 cores: out of reach here');
    assert.equal(judged(run, 'ingest-vs-floor').measured, '1.9×');

    // A baseline slow enough that 5× lies above the floor: missed, and nothing to excuse it.
    Object.assign(m, { baseline: { ...baseline, seconds: 60 } });
    const reachable = judged(run, 'ingest-vs-duckdb');
    assert.equal(reachable.status, 'missed');
    assert.equal(reachable.note, undefined);
  });
});
