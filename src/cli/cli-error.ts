/**
 * An error meant for the person at the terminal: printed without a stack (unless
 * `--debug`), with the exit code that tells scripts what happened.
 */
export class CliError extends Error {
  override readonly name = 'CliError';
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

/** Exit codes, as the README documents them. */
export const EXIT = {
  ok: 0,
  /** Usage or configuration error: the message says what to do. */
  usage: 1,
  /** A query failed (bad SQL, a forbidden statement, a limit hit). */
  queryFailed: 2,
  /** Ingest finished but some files (or records) were rejected; the good ones are in the lake. */
  someRejected: 3,
} as const;
