/** Child: one `ingest()` through the library API, as a user's program would call it (the built package). */
import { builtLibrary } from '../built-product.js';
import { childMain } from './child-main.js';

export interface IngestRequest {
  readonly lake: string;
  readonly sources: readonly string[];
  readonly filter?: { readonly since?: string; readonly until?: string };
  /** Parser threads; the product's default (one per core) when absent. */
  readonly workers?: number;
}

export interface IngestValue {
  readonly seconds: number;
  readonly events: number;
  readonly duplicates: number;
  readonly filesSeen: number;
  readonly filesIngested: number;
  readonly filesUnchanged: number;
  readonly filesRejected: number;
  readonly rejectedRecords: number;
  readonly bytes: number;
  readonly uncompressedBytes: number;
  readonly transactions: number;
  readonly timings: { readonly list: number; readonly read: number; readonly merge: number };
}

childMain<IngestRequest, IngestValue>(async (r) => {
  const { ingest } = await builtLibrary();
  const started = performance.now();
  const s = await ingest({
    lake: r.lake,
    sources: [...r.sources],
    ...(r.filter ? { filter: r.filter } : {}),
    ...(r.workers !== undefined ? { workers: r.workers } : {}),
  });
  return {
    seconds: (performance.now() - started) / 1000,
    events: s.events,
    duplicates: s.duplicates,
    filesSeen: s.files.seen,
    filesIngested: s.files.ingested,
    filesUnchanged: s.files.unchanged,
    filesRejected: s.files.rejected,
    rejectedRecords: s.rejectedRecords,
    bytes: s.bytes,
    uncompressedBytes: s.uncompressedBytes,
    transactions: s.transactions,
    timings: s.timings,
  };
});
