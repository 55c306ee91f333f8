/**
 * The names SQL can read. Every table is a view of the same lake: `cloudtrail_logs` (Athena's
 * CloudTrail table), `cloudtrail_flat` (every struct leaf a column, as Glue's relationalize
 * names them), tables registered by `CREATE EXTERNAL TABLE` (the lake limited to what their
 * LOCATION names), and API views made by `trailscope relationalize`. Registered names are
 * kept in `_trailscope/tables.json`, so they outlive the session that made them.
 *
 * Names are case-insensitive, as in Athena; `default.` (or none) is the default schema.
 */
import { readFile, stat } from 'node:fs/promises';
import type { Lake } from '../lake/lake.js';
import { writeFileAtomic } from '../lake/durable-file.js';
import type { LakeScope } from './cloudtrail-location.js';

/** A column of an API view: a key of `requestparameters`/`responseelements`, typed. */
export interface ApiColumn {
  /** `requestparameters.groupid`: Glue's relationalize name (dotted, lower-case). */
  readonly name: string;
  readonly source: 'requestparameters' | 'responseelements';
  /** Keys from the JSON root, as the records spell them. */
  readonly path: readonly string[];
  readonly type: 'VARCHAR' | 'BIGINT' | 'DOUBLE' | 'BOOLEAN' | 'JSON';
}

export type TableShape =
  | {
      readonly kind: 'logs';
      /**
       * A partition column the DDL declared as a projected date (Athena's `timestamp` of
       * `yyyy/MM/dd` in the AWS guide's CloudTrail table), made from the lake's year, month, day.
       */
      readonly dayColumn?: { readonly name: string; readonly separator: string };
    }
  | { readonly kind: 'flat' }
  | { readonly kind: 'api'; readonly eventSource: string; readonly eventName: string; readonly columns: readonly ApiColumn[] };

export interface LakeTable {
  readonly schema: string;
  readonly name: string;
  readonly shape: TableShape;
  readonly scope: LakeScope;
  /** The LOCATION of the DDL that registered it. */
  readonly location?: string;
  readonly builtIn?: boolean;
  readonly createdAt?: string;
}

export const DEFAULT_SCHEMA = 'default';
export const LOGS_TABLE = 'cloudtrail_logs';
export const FLAT_TABLE = 'cloudtrail_flat';

const BUILT_IN: readonly LakeTable[] = [
  { schema: DEFAULT_SCHEMA, name: LOGS_TABLE, shape: { kind: 'logs' }, scope: {}, builtIn: true },
  { schema: DEFAULT_SCHEMA, name: FLAT_TABLE, shape: { kind: 'flat' }, scope: {}, builtIn: true },
];

/** Schema names that mean the default one (`main` is DuckDB's, `awsdatacatalog` Athena's catalog). */
function normalSchema(schema: string | undefined): string {
  const s = (schema ?? '').toLowerCase();
  return s === '' || s === 'main' || s === 'awsdatacatalog' ? DEFAULT_SCHEMA : s;
}

export function qualifiedName(table: Pick<LakeTable, 'schema' | 'name'>): string {
  return table.schema === DEFAULT_SCHEMA ? table.name : `${table.schema}.${table.name}`;
}

interface TablesFile {
  readonly version: 1;
  readonly tables: LakeTable[];
}

export class TableCatalog {
  private constructor(
    private readonly path: string,
    private registered: LakeTable[],
    /** The file's mtime and size when it was read ('' for no file), so another process's DDL is seen. */
    private version: string,
  ) {}

  static async load(lake: Lake): Promise<TableCatalog> {
    const version = await fileVersion(lake.layout.tables);
    return new TableCatalog(lake.layout.tables, await readTables(lake.layout.tables), version);
  }

  /** Reads the list again if another process (another shell, a CLI run) changed it since. */
  async refresh(): Promise<void> {
    const version = await fileVersion(this.path);
    if (version === this.version) return;
    this.registered = await readTables(this.path);
    this.version = version;
  }

  /** Registered tables first: a DDL may re-define `cloudtrail_logs` for one account. */
  tables(): LakeTable[] {
    const seen = new Set(this.registered.map((t) => key(t.schema, t.name)));
    return [...this.registered, ...BUILT_IN.filter((t) => !seen.has(key(t.schema, t.name)))];
  }

  resolve(schema: string | undefined, name: string): LakeTable | undefined {
    const k = key(normalSchema(schema), name);
    return this.tables().find((t) => key(t.schema, t.name) === k);
  }

  isRegistered(schema: string | undefined, name: string): boolean {
    const k = key(normalSchema(schema), name);
    return this.registered.some((t) => key(t.schema, t.name) === k);
  }

  /** Adds or replaces a table and saves the list. */
  async register(table: Omit<LakeTable, 'schema'> & { schema?: string }): Promise<LakeTable> {
    const entry: LakeTable = {
      ...table,
      schema: normalSchema(table.schema),
      name: table.name.toLowerCase(),
      createdAt: new Date().toISOString(),
    };
    const k = key(entry.schema, entry.name);
    this.registered = [...(await readTables(this.path)).filter((t) => key(t.schema, t.name) !== k), entry];
    await this.save();
    return entry;
  }

  /** Forgets a registered table; built-in names come back into view. */
  async drop(schema: string | undefined, name: string): Promise<boolean> {
    const k = key(normalSchema(schema), name);
    const before = await readTables(this.path);
    this.registered = before.filter((t) => key(t.schema, t.name) !== k);
    if (this.registered.length === before.length) return false;
    await this.save();
    return true;
  }

  private async save(): Promise<void> {
    const file: TablesFile = { version: 1, tables: this.registered };
    await writeFileAtomic(this.path, JSON.stringify(file, null, 2) + '\n');
    this.version = await fileVersion(this.path);
  }
}

function key(schema: string, name: string): string {
  return `${schema.toLowerCase()}.${name.toLowerCase()}`;
}

async function fileVersion(path: string): Promise<string> {
  const info = await stat(path).catch(() => undefined);
  return info ? `${info.mtimeMs}:${info.size}` : '';
}

async function readTables(path: string): Promise<LakeTable[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
  const file = JSON.parse(text) as Partial<TablesFile>;
  return Array.isArray(file.tables) ? file.tables : [];
}
