/**
 * The child side of `child-process.ts`: reads the request, runs the measurement, and writes
 * its value with the process's peak RSS and CPU time, read at the very end so they cover
 * everything the measurement did on every thread (parser workers and DuckDB's threads are
 * threads of this one process).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import type { ChildReport } from '../child-process.js';

/** How often a child checks that the bench that started it is still there. */
const PARENT_CHECK_MS = 1000;

export function childMain<Request, Value>(measure: (request: Request) => Promise<Value>): void {
  // A bench killed (Ctrl-C, a test's timeout) must not leave a measurement running for an hour.
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) process.exit(1);
  }, PARENT_CHECK_MS).unref();
  const [requestPath, resultPath] = process.argv.slice(2);
  if (!requestPath || !resultPath) {
    process.stderr.write('usage: node --import tsx bench/children/<name>.ts <request.json> <result.json>\n');
    process.exit(1);
  }
  const request = JSON.parse(readFileSync(requestPath, 'utf8')) as Request;
  measure(request).then(
    (value) => {
      const usage = process.resourceUsage();
      const report: ChildReport<Value> = {
        value,
        maxRssKiB: usage.maxRSS,
        userCpuSeconds: usage.userCPUTime / 1e6,
        systemCpuSeconds: usage.systemCPUTime / 1e6,
      };
      writeFileSync(resultPath, JSON.stringify(report));
      // Worker threads or DuckDB handles left open must not keep a finished measurement alive.
      process.exit(0);
    },
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exit(1);
    },
  );
}
