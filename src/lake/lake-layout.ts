/**
 * Where things live in a lake folder.
 *
 * ```
 * <lake>/data/account=…/region=…/year=…/month=…/day=…/<tx>-<n>.parquet   the table (Athena/Trino read this folder)
 * <lake>/_trailscope/CURRENT                                              the id of the committed snapshot
 * <lake>/_trailscope/snapshots/<tx>.json                                  which data files and manifest segments make the table
 * <lake>/_trailscope/manifest/<tx>.jsonl                                   one line per source object read by transaction <tx>
 * <lake>/_trailscope/staging/<tx>/                                        work in progress; never read
 * <lake>/_trailscope/tables.json                                          table names registered by CREATE EXTERNAL TABLE
 * ```
 * Hive and Athena skip folders starting with `_`, so the metadata never shows up as data.
 */
import { join } from 'node:path';

export class LakeLayout {
  constructor(readonly root: string) {}
  get data() {
    return join(this.root, 'data');
  }
  get meta() {
    return join(this.root, '_trailscope');
  }
  get current() {
    return join(this.meta, 'CURRENT');
  }
  get snapshots() {
    return join(this.meta, 'snapshots');
  }
  snapshot(id: string) {
    return join(this.snapshots, `${id}.json`);
  }
  get manifests() {
    return join(this.meta, 'manifest');
  }
  manifest(id: string) {
    return join(this.manifests, `${id}.jsonl`);
  }
  get staging() {
    return join(this.meta, 'staging');
  }
  get lock() {
    return join(this.meta, 'write.lock');
  }
  get tables() {
    return join(this.meta, 'tables.json');
  }
  /** A lake-relative path (as stored in snapshots) made absolute. */
  resolve(relativePath: string) {
    return join(this.root, relativePath);
  }
}

/** Transaction ids sort by time, so snapshots and manifest segments list in commit order. */
export function newTransactionId(now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:.]/g, '').replace('T', 'T').slice(0, 18);
  return `${stamp}-${process.pid.toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}
