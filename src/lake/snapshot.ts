/**
 * A snapshot is the whole table at one commit: the data files and the manifest segments.
 * `CURRENT` names the committed one; writing `CURRENT` is the commit. Files a snapshot
 * lists under `moves` were written to staging and are renamed into `data/` right after
 * the commit; whoever opens the lake next finishes any move a crash interrupted.
 */
import { readFile } from 'node:fs/promises';
import type { PartitionColumn } from '../cloudtrail/athena-table.js';
import { writeFileAtomic } from './durable-file.js';
import type { LakeLayout } from './lake-layout.js';

export type PartitionValues = Record<PartitionColumn, string>;

/** One Parquet file of the table, with what pruning needs to know without opening it. */
export interface LakeFile {
  /** Relative to the lake folder, with `/`. */
  readonly path: string;
  readonly partition: PartitionValues;
  readonly rows: number;
  readonly bytes: number;
  readonly minEventTime: string | null;
  readonly maxEventTime: string | null;
}

export interface Snapshot {
  readonly id: string;
  readonly parent: string | null;
  readonly committedAt: string;
  readonly files: readonly LakeFile[];
  /** Manifest segment ids, oldest first; later entries for a URI override earlier ones. */
  readonly manifestSegments: readonly string[];
  /** Staging → data renames still owed by this commit (lake-relative paths). */
  readonly moves: ReadonlyArray<{ readonly from: string; readonly to: string }>;
}

export const EMPTY_SNAPSHOT: Snapshot = { id: '', parent: null, committedAt: '', files: [], manifestSegments: [], moves: [] };

export function partitionKey(p: PartitionValues): string {
  return `account=${p.account}/region=${p.region}/year=${p.year}/month=${p.month}/day=${p.day}`;
}

/** The values of a partition key `account=…/region=…/year=…/month=…/day=…`. */
export function partitionValues(key: string): PartitionValues {
  return Object.fromEntries(key.split('/').map((part) => part.split('=', 2) as [string, string])) as PartitionValues;
}

export async function readCurrentSnapshot(layout: LakeLayout): Promise<Snapshot> {
  let id: string;
  try {
    id = (await readFile(layout.current, 'utf8')).trim();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return EMPTY_SNAPSHOT;
    throw e;
  }
  return JSON.parse(await readFile(layout.snapshot(id), 'utf8')) as Snapshot;
}

/** Writes the snapshot, then points CURRENT at it. After this returns the transaction is durable. */
export async function commitSnapshot(layout: LakeLayout, snapshot: Snapshot, beforeCommit: () => void = () => {}): Promise<void> {
  await writeFileAtomic(layout.snapshot(snapshot.id), JSON.stringify(snapshot));
  beforeCommit();
  await writeFileAtomic(layout.current, `${snapshot.id}\n`);
}
