/** `trailscope query`: SQL in, rows out. */
import { readFile } from 'node:fs/promises';
import { query } from '../sql/query.js';
import { CliError, EXIT } from './cli-error.js';
import { formatResult, type ResultFormat } from './result-format.js';

export interface QueryFlags {
  lake: string;
  file?: string;
  format?: ResultFormat;
}

export async function runQuery(sql: string | undefined, flags: QueryFlags): Promise<number> {
  const text = flags.file ? await readFile(flags.file, 'utf8') : sql;
  if (!text?.trim())
    throw new CliError('give the SQL as an argument or with --file (e.g. trailscope query "select count(*) from cloudtrail_logs")');
  const format = flags.format ?? (process.stdout.isTTY ? 'table' : 'csv');
  let result;
  try {
    result = await query({ lake: flags.lake }, text);
  } catch (e) {
    throw new CliError((e as Error).message, EXIT.queryFailed);
  }
  process.stdout.write(formatResult(result, format));
  return EXIT.ok;
}
