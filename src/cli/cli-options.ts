/** Flags and flag parsers that several commands share, so they read and fail the same way. */
import { InvalidArgumentError, Option } from 'commander';
import { isAccountId, isDay, isRegionName } from '../sources/log-source.js';

export function defaultLake(): string {
  return process.env.TRAILSCOPE_LAKE || './trailscope-lake';
}

/** `--lake DIR`, on every command that reads or writes the lake. */
export function lakeOption(): Option {
  return new Option('--lake <dir>', 'the lake folder (env TRAILSCOPE_LAKE)').default(
    defaultLake(),
    '$TRAILSCOPE_LAKE or ./trailscope-lake',
  );
}

export function day(value: string): string {
  if (!isDay(value)) throw new InvalidArgumentError('expected a date as YYYY-MM-DD');
  return value;
}

export function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('expected a whole number');
  return n;
}

/** A DuckDB memory size, e.g. `512MB`, `4GB`. */
export function memorySize(value: string): string {
  if (!/^\d+(\.\d+)?\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)$/i.test(value)) throw new InvalidArgumentError('expected a size such as 512MB or 4GB');
  return value.replace(/\s+/g, '');
}

/** A repeatable flag that also takes comma-separated values. */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, ...value.split(',').filter(Boolean)];
}

/** `--account`: AWS account IDs, twelve digits each (a wrong one would match nothing, silently). */
export function accountIds(value: string, previous: string[] = []): string[] {
  const ids = collect(value, previous);
  const bad = ids.find((id) => !isAccountId(id));
  if (bad !== undefined) throw new InvalidArgumentError(`expected 12-digit AWS account IDs, got '${bad}'`);
  return ids;
}

/** `--region`: region names as CloudTrail writes them, in lower case (`US-EAST-1` is `us-east-1`). */
export function regionNames(value: string, previous: string[] = []): string[] {
  const regions = collect(value.toLowerCase(), previous);
  const bad = regions.find((r) => !isRegionName(r));
  if (bad !== undefined) throw new InvalidArgumentError(`expected AWS regions such as us-east-1, got '${bad}'`);
  return regions;
}
