/**
 * Cold queries run the real command (`bin/trailscope.js` imports `dist/`), so dist/ must be
 * the code under test: when any source file is newer than its build output, `npm run build`.
 */
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { REPO_ROOT, spawnAndWait } from './child-process.js';

async function mtime(path: string): Promise<number | undefined> {
  try {
    return (await stat(path)).mtimeMs;
  } catch {
    return undefined;
  }
}

async function staleSources(): Promise<string[]> {
  const src = join(REPO_ROOT, 'src');
  const stale: string[] = [];
  for (const name of await readdir(src, { recursive: true })) {
    if (!name.endsWith('.ts') || name.endsWith('.d.ts')) continue;
    const built = await mtime(join(REPO_ROOT, 'dist', name.replace(/\.ts$/, '.js')));
    const source = (await mtime(join(src, name)))!;
    if (built === undefined || built < source) stale.push(name);
  }
  return stale;
}

/** Builds when needed; a failed build is reported and the run goes on (cold queries will say if the CLI is broken). */
export async function ensureCliBuilt(log: (line: string) => void): Promise<void> {
  const stale = await staleSources();
  if (stale.length === 0) return;
  log(`dist/ is older than ${stale.length} source files (${stale.slice(0, 3).join(', ')}${stale.length > 3 ? ', …' : ''}): npm run build`);
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const built = await spawnAndWait(npm, ['run', 'build']);
  if (built.code !== 0)
    log(`WARNING: npm run build failed (exit ${built.code}); cold queries use whatever dist/ holds:\n${built.output.slice(-2000)}`);
}
