/**
 * The manifest: every source object trailscope has looked at, so a second ingest of the
 * same bucket reads nothing again, and an object whose ETag changed replaces its rows.
 * Each transaction appends one JSON-lines segment; the latest line for a URI wins.
 *
 * It also holds folder listings: a local folder whose files all have entries, as of the
 * folder's mtime. A folder's mtime changes when a file is added, removed or renamed in it,
 * so a later ingest that finds the same mtime knows the folder's files without a `stat` each:
 * the cost of looking at a lake's history then follows its folders, not its files.
 */
import { readFile } from 'node:fs/promises';
import type { FolderListing } from '../sources/log-source.js';
import type { LakeLayout } from './lake-layout.js';
import type { Snapshot } from './snapshot.js';

export type { FolderListing };

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

type FolderLine = FolderListing & { readonly transaction: string; readonly at: string };

/**
 * The manifest as read: each URI's latest line, parsed only when its entry is asked for. An
 * ingest of a bucket asks every listed object whether it is already known, and most are:
 * comparing text costs a microsecond where parsing tens of thousands of lines costs a
 * second of a run that has nothing new to do.
 */
export class Manifest {
  readonly #lines = new Map<string, string>();
  readonly #folders = new Map<string, FolderListing>();

  get size(): number {
    return this.#lines.size;
  }

  /** Adds one segment's lines; a later line for the same URI replaces the earlier. */
  addSegment(text: string): void {
    let start = 0;
    while (start < text.length) {
      let end = text.indexOf('\n', start);
      if (end < 0) end = text.length;
      if (end > start) {
        const line = text.slice(start, end);
        if (line.startsWith(FOLDER_PREFIX)) {
          const { folder, mtime, files } = JSON.parse(line) as FolderLine;
          this.#folders.set(folder, { folder, mtime, files });
        } else {
          this.#lines.set(lineUri(line), line);
        }
      }
      start = end + 1;
    }
  }

  entry(uri: string): ManifestEntry | undefined {
    const line = this.#lines.get(uri);
    return line === undefined ? undefined : (JSON.parse(line) as ManifestEntry);
  }

  /** The folder as last listed in full, if it was. */
  folder(uri: string): FolderListing | undefined {
    return this.#folders.get(uri);
  }

  *entries(): IterableIterator<ManifestEntry> {
    for (const line of this.#lines.values()) yield JSON.parse(line) as ManifestEntry;
  }

  /** Objects whose latest entry says they were rejected, below any of `prefixes` (URIs of folders or objects). */
  rejected(prefixes: readonly string[]): ManifestEntry[] {
    const below = (uri: string) => prefixes.some((p) => uri === p || uri.startsWith(p.endsWith('/') ? p : `${p}/`));
    const out: ManifestEntry[] = [];
    for (const [uri, line] of this.#lines) {
      if (line.includes('"status":"rejected"') && below(uri)) out.push(JSON.parse(line) as ManifestEntry);
    }
    return out;
  }

  /** Whether this version of the object is already in the manifest (whatever its status). */
  hasVersion(uri: string, size: number, version: string): boolean {
    const line = this.#lines.get(uri);
    if (line === undefined) return false;
    // The writer puts these three fields first; a line written otherwise is parsed.
    const at = URI_PREFIX.length + uri.length;
    if (
      line.startsWith(URI_PREFIX) &&
      line.startsWith(uri, URI_PREFIX.length) &&
      line.startsWith(`","size":${size},"version":${JSON.stringify(version)},`, at)
    ) {
      return true;
    }
    const entry = JSON.parse(line) as ManifestEntry;
    return entry.size === size && entry.version === version;
  }
}

const URI_PREFIX = '{"uri":"';
const FOLDER_PREFIX = '{"folder":"';

/** The URI of a manifest line, read without parsing the line when it is written as `manifestSegmentText` writes it. */
function lineUri(line: string): string {
  if (line.startsWith(URI_PREFIX)) {
    const end = line.indexOf('"', URI_PREFIX.length);
    const uri = line.slice(URI_PREFIX.length, end);
    if (end > 0 && !uri.includes('\\')) return uri;
  }
  return (JSON.parse(line) as ManifestEntry).uri;
}

export async function loadManifest(layout: LakeLayout, snapshot: Snapshot): Promise<Manifest> {
  const manifest = new Manifest();
  // Decoded in one piece: `readFile(path, 'utf8')` decodes chunk by chunk, several times slower on a large segment.
  for (const segment of snapshot.manifestSegments) manifest.addSegment((await readFile(layout.manifest(segment))).toString('utf8'));
  return manifest;
}

export function manifestSegmentText(
  entries: readonly ManifestEntry[],
  folders: readonly FolderListing[],
  stamp: { readonly transaction: string; readonly at: string },
): string {
  // uri, size and version lead each line (see `Manifest.hasVersion`); folder tells a listing apart.
  const lines = entries.map(({ uri, size, version, ...rest }) => JSON.stringify({ uri, size, version, ...rest }));
  for (const { folder, mtime, files } of folders) lines.push(JSON.stringify({ folder, mtime, files, ...stamp } satisfies FolderLine));
  return lines.join('\n') + (lines.length ? '\n' : '');
}
