/**
 * trailscope as users run it: the built JavaScript in dist/ (what `bin/trailscope.js` and
 * the package's `main` load), not the TypeScript sources through tsx. Measured children load
 * the product from here, so ingest, warm queries and the cold CLI all time the same code.
 * Types come from the sources; `ensureCliBuilt` keeps dist/ in step with them.
 */
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { REPO_ROOT } from './child-process.js';

type Library = typeof import('../src/index.js');
type SqlQuery = typeof import('../src/sql/query.js');

const built = (path: string) => pathToFileURL(join(REPO_ROOT, 'dist', path)).href;

export async function builtLibrary(): Promise<Library> {
  return (await import(built('index.js'))) as Library;
}

export async function builtSqlQuery(): Promise<SqlQuery> {
  return (await import(built('sql/query.js'))) as SqlQuery;
}
