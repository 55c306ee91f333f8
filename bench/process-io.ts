/**
 * Bytes a process read through read()/pread() (Linux `/proc/self/io` `rchar`), page-cache
 * hits included: an engine-neutral "data scanned" for a query, the same measure for the
 * lake's Parquet files and for DuckDB over raw `.json.gz` files. `null` where there is no /proc.
 */
import { readFileSync } from 'node:fs';

export function bytesReadSoFar(): number | null {
  try {
    const m = /^rchar:\s*(\d+)/m.exec(readFileSync('/proc/self/io', 'utf8'));
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}
