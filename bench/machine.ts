/** What the figures were measured on, printed with them: a number means little without it. */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { availableParallelism, cpus, release, totalmem, type } from 'node:os';
import { join } from 'node:path';
import { version as duckdbVersion } from '@duckdb/node-api';
import type { MachineInfo } from './bench-results.js';
import { REPO_ROOT } from './child-process.js';

export function describeMachine(): MachineInfo {
  const nodeApi = JSON.parse(readFileSync(join(REPO_ROOT, 'node_modules', '@duckdb', 'node-api', 'package.json'), 'utf8')) as {
    version: string;
  };
  return {
    cores: availableParallelism(),
    cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
    memoryBytes: totalmem(),
    os: `${type()} ${release()}`,
    node: process.version,
    duckdb: duckdbVersion(),
    duckdbNodeApi: nodeApi.version,
    commit: gitCommit(),
    date: new Date().toISOString(),
  };
}

/** The commit measured, with `+dirty` when the checkout has changes (they are measured too). */
function gitCommit(): string | null {
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: REPO_ROOT, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'src'], { cwd: REPO_ROOT, encoding: 'utf8' }).trim() !== '';
    return dirty ? `${head}+dirty` : head;
  } catch {
    return null;
  }
}
