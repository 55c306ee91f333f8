/**
 * Runs one measurement in its own Node process, so the peak RSS a child reports is that
 * measurement's alone (a process's maxRSS never goes down, so two measurements in one
 * process would report the larger of both).
 *
 * Protocol: `node --import tsx bench/children/<name>.ts <request.json> <result.json>`; the
 * child writes its result (see `child-main.ts`) and exits 0. Its stdout and stderr are kept
 * and shown only when it fails, so the bench's own output stays a readable log.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** What every child reports besides its own value: resources of the whole process, all its threads. */
export interface ChildReport<T> {
  readonly value: T;
  /** `process.resourceUsage().maxRSS` at the end: peak resident set of the process, KiB. */
  readonly maxRssKiB: number;
  readonly userCpuSeconds: number;
  readonly systemCpuSeconds: number;
}

export type ChildOutcome<T> =
  ({ readonly kind: 'ok'; readonly wallSeconds: number } & ChildReport<T>) | { readonly kind: 'timeout'; readonly timeoutSeconds: number };

export const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));

/** The names of the scripts in bench/children/. */
export type ChildName =
  | 'generate-child'
  | 'ingest-child'
  | 'duckdb-copy-child'
  | 'floor-child'
  | 'warm-query-child'
  | 'discover-child'
  | 'raw-query-child'
  | 'big-log-file-child';

export interface ChildOptions {
  /** Kill the child (SIGKILL) after this many seconds and report a timeout. */
  readonly timeoutSeconds?: number;
  /** Echo the child's output as it comes (long jobs such as generating L). */
  readonly echo?: boolean;
}

export class ChildFailed extends Error {
  override readonly name = 'ChildFailed';
  constructor(
    readonly child: ChildName,
    readonly exitCode: number | null,
    readonly output: string,
  ) {
    const cause = output.split('\n').find((line) => /error/i.test(line)) ?? output.trim().split('\n').pop() ?? '';
    super(`${child} failed (exit ${exitCode}): ${cause.trim()}\n${output.slice(-4000)}`);
  }
}

export async function runChild<Request, Value>(
  name: ChildName,
  request: Request,
  options: ChildOptions = {},
): Promise<ChildOutcome<Value>> {
  const dir = await mkdtemp(join(tmpdir(), 'trailscope-bench-child-'));
  try {
    const requestPath = join(dir, 'request.json');
    const resultPath = join(dir, 'result.json');
    await writeFile(requestPath, JSON.stringify(request));
    const script = join(REPO_ROOT, 'bench', 'children', `${name}.ts`);
    const { code, output, timedOut, seconds } = await spawnAndWait(
      process.execPath,
      ['--import', 'tsx', script, requestPath, resultPath],
      options,
    );
    if (timedOut) return { kind: 'timeout', timeoutSeconds: options.timeoutSeconds! };
    if (code !== 0) throw new ChildFailed(name, code, output);
    const report = JSON.parse(await readFile(resultPath, 'utf8')) as ChildReport<Value>;
    return { kind: 'ok', wallSeconds: seconds, ...report };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Like `runChild`, for children that must finish: a timeout is an error. */
export async function runChildToEnd<Request, Value>(name: ChildName, request: Request, options: ChildOptions = {}) {
  const outcome = await runChild<Request, Value>(name, request, options);
  if (outcome.kind === 'timeout') throw new ChildFailed(name, null, `timed out after ${outcome.timeoutSeconds} s`);
  return outcome;
}

export interface SpawnResult {
  readonly code: number | null;
  readonly output: string;
  readonly timedOut: boolean;
  /** Wall-clock seconds from spawn to exit. */
  readonly seconds: number;
}

/** Spawns a command, keeps its output (last 64 KiB), and kills it after the timeout. */
export function spawnAndWait(
  command: string,
  args: readonly string[],
  options: ChildOptions & { readonly cwd?: string; readonly env?: NodeJS.ProcessEnv } = {},
): Promise<SpawnResult> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, args, {
      cwd: options.cwd ?? REPO_ROOT,
      env: options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const keep = (chunk: Buffer) => {
      if (options.echo) process.stderr.write(chunk);
      output = (output + chunk.toString()).slice(-65536);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    let timedOut = false;
    const timer =
      options.timeoutSeconds === undefined
        ? undefined
        : setTimeout(() => {
            timedOut = true;
            child.kill('SIGKILL');
          }, options.timeoutSeconds * 1000);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output, timedOut, seconds: (performance.now() - started) / 1000 });
    });
  });
}
