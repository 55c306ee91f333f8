/**
 * A lake folder: the committed snapshot, the manifest, and the one way to change them
 * (a transaction that either commits wholly or leaves no trace).
 *
 * @example
 * const lake = await openLake('./trailscope-lake');
 * const files = await lake.readableFiles(); // absolute paths of the table's Parquet files
 */
import { mkdir, opendir, rename, rm, stat } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { failpoint } from './failpoint.js';
import { LakeLayout, newTransactionId } from './lake-layout.js';
import { loadManifest, manifestSegmentText, type FolderListing, type Manifest, type ManifestEntry } from './manifest.js';
import { commitSnapshot, partitionKey, readCurrentSnapshot, type LakeFile, type Snapshot } from './snapshot.js';
import { syncDirectory, writeFileAtomic } from './durable-file.js';
import { acquireWriteLock } from './write-lock.js';

export class Lake {
  readonly layout: LakeLayout;

  constructor(readonly dir: string) {
    this.layout = new LakeLayout(dir);
  }

  snapshot(): Promise<Snapshot> {
    return readCurrentSnapshot(this.layout);
  }

  async manifest(snapshot?: Snapshot): Promise<Manifest> {
    return loadManifest(this.layout, snapshot ?? (await this.snapshot()));
  }

  /**
   * The committed table's files, ready to read. A file whose post-commit move a crash
   * interrupted is still read from staging, so readers never see a partial table.
   */
  async readableFiles(snapshot?: Snapshot): Promise<Array<LakeFile & { absolutePath: string }>> {
    const s = snapshot ?? (await this.snapshot());
    const pending = new Map(s.moves.map((m) => [m.to, m.from]));
    const out: Array<LakeFile & { absolutePath: string }> = [];
    for (const f of s.files) {
      let path = this.layout.resolve(f.path);
      const from = pending.get(f.path);
      if (from && !(await exists(path))) path = this.layout.resolve(from);
      out.push({ ...f, absolutePath: path });
    }
    return out;
  }

  /** Starts the only kind of change a lake has. Holds the write lock until commit or abort. */
  async begin(): Promise<LakeTransaction> {
    await mkdir(this.layout.meta, { recursive: true });
    const release = await acquireWriteLock(this.layout.lock);
    try {
      const base = await this.snapshot();
      await this.#recover(base);
      const { id, staging } = await this.reserveTransaction();
      return new LakeTransaction(this, base, id, staging, release);
    } catch (e) {
      await release();
      throw e;
    }
  }

  /**
   * The id and staging folder of a transaction that `LakeTransaction.commitAndContinue` will
   * start: its writer can stage files while the one before it is still committing. Only for
   * the holder of the write lock; a crash leaves nothing (recovery clears all staging).
   */
  async reserveTransaction(): Promise<ReservedTransaction> {
    const id = newTransactionId();
    const staging = join(this.layout.staging, id);
    await mkdir(staging, { recursive: true });
    return { id, staging };
  }

  /**
   * Brings the folder in line with the committed snapshot after a crash: finishes the moves
   * it owes, then deletes every data file, manifest segment, snapshot and staging folder
   * that it does not name.
   */
  async #recover(s: Snapshot): Promise<void> {
    await finishMoves(this.layout, s);
    const live = new Set(s.files.map((f) => f.path));
    for await (const path of walkFiles(this.layout.data)) {
      const rel = relative(this.dir, path).split(sep).join('/');
      if (!live.has(rel)) await rm(path, { force: true });
    }
    await rm(this.layout.staging, { recursive: true, force: true });
    const segments = new Set(s.manifestSegments);
    for await (const path of walkFiles(this.layout.manifests)) {
      const id = path.slice(path.lastIndexOf(sep) + 1).replace(/\.jsonl$/, '');
      if (!segments.has(id)) await rm(path, { force: true });
    }
    for await (const path of walkFiles(this.layout.snapshots)) {
      if (!path.endsWith(`${sep}${s.id}.json`)) await rm(path, { force: true });
    }
  }
}

export async function openLake(dir: string): Promise<Lake> {
  return new Lake(dir);
}

export interface ReservedTransaction {
  readonly id: string;
  readonly staging: string;
}

/** The changes one transaction makes, handed to `commit`. */
export interface LakeChanges {
  /** New Parquet files, written below the transaction's staging folder (lake-relative `to` paths are derived from them). */
  readonly added: ReadonlyArray<Omit<LakeFile, 'path'> & { stagedPath: string }>;
  /** Partitions whose old files the added ones replace (their old files are dropped). */
  readonly replacedPartitions: ReadonlySet<string>;
  readonly manifest: readonly ManifestEntry[];
  /** Folders whose every file has an entry by the end of this transaction (see `FolderListing`). */
  readonly folders?: readonly FolderListing[];
}

export class LakeTransaction {
  #done = false;

  constructor(
    readonly lake: Lake,
    readonly base: Snapshot,
    readonly id: string,
    /** Absolute path of this transaction's private folder. */
    readonly staging: string,
    private readonly release: () => Promise<void>,
  ) {}

  /**
   * Makes the changes visible at once. Before the CURRENT pointer is renamed nothing of
   * this transaction is visible; after it, everything is.
   */
  async commit(changes: LakeChanges): Promise<Snapshot> {
    const committed = await this.#commit(changes);
    await this.release();
    return committed;
  }

  /**
   * Commits, then starts the reserved transaction on the committed snapshot without letting
   * go of the write lock, so a long ingest stages its next batch while this one commits.
   */
  async commitAndContinue(changes: LakeChanges, next: ReservedTransaction): Promise<LakeTransaction> {
    const committed = await this.#commit(changes);
    return new LakeTransaction(this.lake, committed, next.id, next.staging, this.release);
  }

  /** Ends this transaction with no change and starts the reserved one, keeping the write lock. */
  async continueAs(next: ReservedTransaction): Promise<LakeTransaction> {
    this.#done = true;
    await rm(this.staging, { recursive: true, force: true });
    return new LakeTransaction(this.lake, this.base, next.id, next.staging, this.release);
  }

  async #commit(changes: LakeChanges): Promise<Snapshot> {
    const { layout } = this.lake;
    const kept = this.base.files.filter((f) => !changes.replacedPartitions.has(partitionKey(f.partition)));
    const moves: Array<{ from: string; to: string }> = [];
    const added: LakeFile[] = changes.added.map(({ stagedPath, ...file }, i) => {
      const to = `data/${partitionKey(file.partition)}/${this.id}-${i}.parquet`;
      moves.push({ from: relative(this.lake.dir, stagedPath).split(sep).join('/'), to });
      return { ...file, path: to };
    });
    const segments = [...this.base.manifestSegments];
    const folders = changes.folders ?? [];
    if (changes.manifest.length || folders.length) {
      const stamp = { transaction: this.id, at: new Date().toISOString() };
      await writeFileAtomic(layout.manifest(this.id), manifestSegmentText(changes.manifest, folders, stamp));
      segments.push(this.id);
    }
    failpoint('before-snapshot');
    const next: Snapshot = {
      id: this.id,
      parent: this.base.id || null,
      committedAt: new Date().toISOString(),
      files: [...kept, ...added],
      manifestSegments: segments,
      moves,
    };
    await commitSnapshot(layout, next, () => failpoint('before-commit'));
    failpoint('after-commit');
    await finishMoves(layout, next);
    failpoint('after-moves');
    await this.#finish(next);
    return next;
  }

  /** Leaves the lake as it was. */
  async abort(): Promise<void> {
    if (this.#done) return;
    this.#done = true;
    await rm(this.staging, { recursive: true, force: true });
    await this.release();
  }

  async #finish(committed: Snapshot): Promise<void> {
    const { layout } = this.lake;
    const live = new Set(committed.files.map((f) => f.path));
    for (const f of this.base.files) if (!live.has(f.path)) await rm(layout.resolve(f.path), { force: true });
    if (this.base.id) await rm(layout.snapshot(this.base.id), { force: true });
    await rm(this.staging, { recursive: true, force: true });
    this.#done = true;
  }
}

async function finishMoves(layout: LakeLayout, s: Snapshot): Promise<void> {
  const dirs = new Set<string>();
  for (const m of s.moves) {
    const from = layout.resolve(m.from);
    const to = layout.resolve(m.to);
    if (!(await exists(from))) continue;
    await mkdir(dirname(to), { recursive: true });
    await rename(from, to);
    dirs.add(dirname(to));
    failpoint('during-moves');
  }
  for (const d of dirs) await syncDirectory(d);
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

async function* walkFiles(dir: string): AsyncGenerator<string> {
  let handle;
  try {
    handle = await opendir(dir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw e;
  }
  for await (const entry of handle) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* walkFiles(path);
    else yield path;
  }
}
