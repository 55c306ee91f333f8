/** Flags and flag parsers that several commands share, so they read and fail the same way. */
import { InvalidArgumentError, Option } from 'commander';

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
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`))) {
    throw new InvalidArgumentError('expected a date as YYYY-MM-DD');
  }
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
