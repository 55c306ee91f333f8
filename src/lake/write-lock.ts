/**
 * One writer at a time per lake. The lock file holds the writer's pid; a lock left by a
 * process that no longer exists (killed) is taken over.
 */
import { mkdir, open, readFile, rm } from 'node:fs/promises';
import { dirname } from 'node:path';

export class LakeBusyError extends Error {
  override readonly name = 'LakeBusyError';
  constructor(
    readonly pid: number,
    lockPath: string,
  ) {
    super(`another trailscope process (pid ${pid}) is writing to this lake; wait for it to finish, or remove ${lockPath} if it is gone`);
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export async function acquireWriteLock(path: string): Promise<() => Promise<void>> {
  await mkdir(dirname(path), { recursive: true });
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const handle = await open(path, 'wx');
      await handle.writeFile(String(process.pid));
      await handle.close();
      return async () => {
        await rm(path, { force: true });
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const pid = Number((await readFile(path, 'utf8').catch(() => '')).trim());
      if (pid && pid !== process.pid && alive(pid)) throw new LakeBusyError(pid, path);
      await rm(path, { force: true });
    }
  }
  throw new Error(`could not take the write lock ${path}`);
}
