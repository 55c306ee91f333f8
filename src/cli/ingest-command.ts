/** `trailscope ingest`: flags in, summary out. */
import type { IngestOptions, IngestProgress, IngestSummary } from '../ingest/ingest.js';
import { ingest } from '../ingest/ingest.js';
import type { S3SourceError } from '../sources/s3-client.js';
import { CliError, EXIT } from './cli-error.js';
import { ProgressLine, formatBytes, formatCount, formatDuration } from './progress-line.js';

export interface IngestFlags {
  lake: string;
  since?: string;
  until?: string;
  account?: string[];
  region?: string[];
  profile?: string;
  bucketRegion?: string;
  endpointUrl?: string;
  concurrency?: number;
  workers?: number;
  batchMb?: number;
  memoryLimit?: string;
  recheck?: boolean;
}

export function progressText(p: IngestProgress): string {
  if (p.phase === 'listing') return 'listing log files…';
  const rate = p.elapsedSeconds > 0 ? p.events / p.elapsedSeconds : 0;
  const fileRate = p.elapsedSeconds > 0 ? p.filesDone / p.elapsedSeconds : 0;
  const eta = fileRate > 0 ? (p.filesTotal - p.filesDone) / fileRate : Infinity;
  const phase = p.phase === 'merging' ? ' · writing Parquet' : '';
  return `${formatCount(p.filesDone)}/${formatCount(p.filesTotal)} files · ${formatCount(p.events)} events · ${formatBytes(p.bytes)} · ${formatCount(rate)} events/s · ETA ${formatDuration(eta)}${phase}`;
}

/** Files named one per line in a summary before the rest are counted. */
const LISTED = 20;

export function summaryText(s: IngestSummary): string {
  const lines: string[] = [];
  const f = s.files;
  lines.push(
    `files: ${formatCount(f.ingested)} ingested, ${formatCount(f.skipped)} skipped, ${formatCount(f.rejected)} rejected, ${formatCount(f.unchanged)} unchanged (already in the lake)` +
      (s.unreadFiles.length ? `, ${formatCount(s.unreadFiles.length)} not read (read again on the next run)` : '') +
      (f.replaced ? `, ${formatCount(f.replaced)} replaced (changed since last ingest)` : ''),
  );
  lines.push(
    `events: ${formatCount(s.events)} added` +
      (s.duplicates ? `, ${formatCount(s.duplicates)} duplicates dropped` : '') +
      (s.rejectedRecords ? `, ${formatCount(s.rejectedRecords)} bad records rejected` : ''),
  );
  lines.push(
    `read ${formatBytes(s.bytes)} (${formatBytes(s.uncompressedBytes)} of JSON) in ${formatDuration(s.seconds)}: ${formatCount(s.eventsPerSecond)} events/s`,
  );
  for (const [why, n] of Object.entries(s.skippedReasons)) {
    const examples = s.skippedExamples[why];
    lines.push(`skipped ${formatCount(n)}: ${why}${examples ? ` (${examples.join(', ')}${n > examples.length ? ', …' : ''})` : ''}`);
  }
  if (s.unfilteredFiles)
    lines.push(
      `note: --since/--until/--account/--region could not be applied to ${formatCount(s.unfilteredFiles)} files, whose names are not CloudTrail's (<account>_CloudTrail_<region>_<yyyymmddThhmmZ>_….json.gz): all their records were read`,
    );
  if (s.withoutEventTime)
    lines.push(`note: ${formatCount(s.withoutEventTime)} records had no eventTime; they are in their log file's day, or in year=unknown`);
  const unknown = Object.entries(s.unknownFields);
  if (unknown.length) {
    lines.push(
      `note: fields with no column were kept in the raw column: ${unknown
        .sort((a, b) => b[1] - a[1])
        .slice(0, 8)
        .map(([k, n]) => `${k} (${formatCount(n)})`)
        .join(', ')}${unknown.length > 8 ? `, and ${unknown.length - 8} more` : ''}`,
    );
  }
  // Thousands of lines (a bucket that failed mid-run) would hide the summary: the first few, and a count.
  const few = <T>(list: readonly T[], line: (item: T) => string, rest: (n: number) => string) => {
    for (const item of list.slice(0, LISTED)) lines.push(line(item));
    if (list.length > LISTED) lines.push(rest(list.length - LISTED));
  };
  few(
    s.unreadFiles,
    (r) => `not read ${r.uri}: ${r.reason}; it is read again on the next run.`,
    (n) => `not read: ${formatCount(n)} more files, read again on the next run.`,
  );
  few(
    s.rejectedFiles,
    (r) => `rejected ${r.uri}: ${r.reason}; none of its records were kept. Fix or re-deliver the file, then run ingest again.`,
    (n) => `rejected: ${formatCount(n)} more files (each with its reason in the lake's manifest).`,
  );
  if (s.stillRejectedFiles.length) {
    const named = s.stillRejectedFiles.slice(0, 5).map((r) => `${r.uri} (${r.reason})`);
    lines.push(
      `note: ${formatCount(s.stillRejectedFiles.length)} files rejected by an earlier run are unchanged, so still not in the lake: ${named.join(', ')}${s.stillRejectedFiles.length > 5 ? ', …' : ''}. A file is read again when it changes.`,
    );
  }
  for (const r of s.filesWithRejectedRecords) {
    lines.push(`partly rejected ${r.uri}: ${formatCount(r.rejectedRecords)} records (${r.reason}); its other records were kept.`);
  }
  return lines.join('\n') + '\n';
}

export async function runIngest(sources: string[], flags: IngestFlags): Promise<number> {
  // ingest() refuses it too, in the library's words; here in the flags' own.
  if (flags.since && flags.until && flags.since > flags.until) {
    throw new CliError(`--since ${flags.since} is after --until ${flags.until}: no day is in between`);
  }
  const progress = new ProgressLine();
  const options: IngestOptions = {
    lake: flags.lake,
    sources,
    filter: { since: flags.since, until: flags.until, accounts: flags.account, regions: flags.region },
    s3: { profile: flags.profile, region: flags.bucketRegion, endpointUrl: flags.endpointUrl, concurrency: flags.concurrency },
    ...(flags.workers !== undefined ? { workers: flags.workers } : {}),
    ...(flags.concurrency !== undefined ? { fetchConcurrency: flags.concurrency } : {}),
    ...(flags.batchMb ? { batchBytes: flags.batchMb * 1024 * 1024 } : {}),
    ...(flags.memoryLimit ? { memoryLimit: flags.memoryLimit } : {}),
    ...(flags.recheck ? { recheck: true } : {}),
    onProgress: (p) => progress.update(progressText(p), p.phase !== 'reading'),
  };
  let summary: IngestSummary;
  try {
    summary = await ingest(options);
  } catch (e) {
    // The SDK's words do not name the profile it was given. (Known by name: importing the
    // class would load the AWS SDK into every run, also those that never touch S3.)
    const s3 = e as Partial<S3SourceError>;
    if (s3.name === 'S3SourceError' && s3.code === 'CredentialsProviderError' && flags.profile) {
      throw new CliError(
        `the AWS profile '${flags.profile}' gave no credentials: check that ~/.aws/config or ~/.aws/credentials has it, or run aws sso login --profile ${flags.profile} (${s3.uri})`,
      );
    }
    throw e;
  } finally {
    progress.clear();
  }
  process.stdout.write(summaryText(summary));
  return summary.files.rejected || summary.rejectedRecords || summary.unreadFiles.length ? EXIT.someRejected : EXIT.ok;
}
