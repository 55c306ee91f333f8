/**
 * The manifest: every source object trailscope has looked at, so a second ingest of the
 * same bucket reads nothing again, and an object whose ETag changed replaces its rows.
 * Each transaction appends one JSON-lines segment; the latest line for a URI wins.
 */
import { readFile } from 'node:fs/promises';
import type { LakeLayout } from './lake-layout.js';
import type { Snapshot } from './snapshot.js';

export type ManifestStatus = 'ingested' | 'skipped' | 'rejected';

export interface ManifestEntry {
  readonly uri: string;
  readonly size: number;
  /** ETag or mtime: when it changes, the object is read again and its rows replaced. */
  readonly version: string;
  readonly status: ManifestStatus;
  /** Why it was skipped or rejected, or what was wrong with some of its records. */
  readonly reason?: string;
  readonly records: number;
  readonly rejectedRecords: number;
  /** Partition keys holding this object's rows, so replacing it touches only those. */
  readonly partitions: readonly string[];
  readonly transaction: string;
  readonly at: string;
}

export async function loadManifest(layout: LakeLayout, snapshot: Snapshot): Promise<Map<string, ManifestEntry>> {
  const entries = new Map<string, ManifestEntry>();
  for (const segment of snapshot.manifestSegments) {
    const text = await readFile(layout.manifest(segment), 'utf8');
    for (const line of text.split('\n')) {
      if (!line) continue;
      const entry = JSON.parse(line) as ManifestEntry;
      entries.set(entry.uri, entry);
    }
  }
  return entries;
}

export function manifestSegmentText(entries: readonly ManifestEntry[]): string {
  return entries.map((e) => JSON.stringify(e)).join('\n') + (entries.length ? '\n' : '');
}
