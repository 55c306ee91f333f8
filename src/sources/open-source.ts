/**
 * A source from what the user typed: `s3://bucket/prefix`, `-` for stdin, or a path.
 */
import { stat } from 'node:fs/promises';
import { LocalSource } from './local-source.js';
import type { LogSource } from './log-source.js';
import type { S3Options } from './s3-source.js';
import { StdinSource } from './stdin-source.js';

export class SourceNotFoundError extends Error {
  override readonly name = 'SourceNotFoundError';
}

export async function openSource(spec: string, s3: S3Options = {}): Promise<LogSource> {
  if (spec.startsWith('s3://')) {
    // The AWS SDK is loaded only when a bucket is named: local ingests and queries start faster.
    const { S3Source } = await import('./s3-source.js');
    return new S3Source(spec, s3);
  }
  if (spec === '-') return new StdinSource();
  try {
    await stat(spec);
  } catch {
    throw new SourceNotFoundError(
      `${spec}: no such file or folder (give a folder of log files, a log file, s3://bucket/prefix, or - for stdin)`,
    );
  }
  return new LocalSource(spec);
}
