/**
 * `trailscope relationalize`: a typed view of one API's events, so a dashboard can group by
 * what was asked (`requestparameters.groupid`) without writing JSON paths. The keys are
 * inferred from every event of that API in the lake (DuckDB's `json_group_structure`), and
 * the view is registered in the lake's catalog like any table.
 *
 * @example
 * const view = await relationalizeApi(session, { eventSource: 'ec2.amazonaws.com', eventName: 'AuthorizeSecurityGroupIngress' });
 * // view.table.name === 'cloudtrail_ec2_authorizesecuritygroupingress'; view.columns[0].name === 'requestparameters.groupid'
 */
import { sqlString } from '../engine/duckdb-engine.js';
import { scanSql } from './lake-scan.js';
import type { LakeSession } from './lake-session.js';
import { apiViewName, columnsFromStructure } from './relationalize.js';
import { SqlError } from './sql-error.js';
import { FLAT_TABLE, LOGS_TABLE, type ApiColumn, type LakeTable } from './table-catalog.js';

export interface ApiViewRequest {
  readonly eventSource: string;
  readonly eventName: string;
  /** The view's name; default `cloudtrail_<service>_<eventname>`. */
  readonly name?: string;
}

export interface ApiView {
  readonly table: LakeTable;
  readonly columns: readonly ApiColumn[];
  /** Events of the API the keys were inferred from. */
  readonly events: number;
}

export async function relationalizeApi(session: LakeSession, request: ApiViewRequest): Promise<ApiView> {
  const name = request.name ?? apiViewName(request.eventSource, request.eventName);
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new SqlError(`'${name}' cannot name a view: use letters, digits and _`, 'syntax');
  // A view of one API under the lake's own name would hide every other event from every query.
  if ([LOGS_TABLE, FLAT_TABLE].includes(name.toLowerCase())) {
    throw new SqlError(`'${name}' is the name of the lake's own table: give the view another name`, 'forbidden');
  }
  const logs = session.catalog.resolve(undefined, LOGS_TABLE)!;
  const files = await session.lake.readableFiles();
  const scan = scanSql({ ...logs, shape: { kind: 'logs' }, scope: {} }, files);
  const where = `eventsource = ${sqlString(request.eventSource)} AND eventname = ${sqlString(request.eventName)}`;
  const inferred = await session.internalQuery(`
    SELECT count(*) AS events,
           CAST(json_group_structure(json(requestparameters)) AS VARCHAR) AS request,
           CAST(json_group_structure(json(responseelements)) AS VARCHAR) AS response
    FROM (${scan}) WHERE ${where}`);
  const row = inferred.rows[0]!;
  const events = Number(row.events);
  if (events === 0) {
    const known = await session.internalQuery(`
      SELECT eventsource, eventname, count(*) AS n FROM (${scan})
      WHERE eventsource = ${sqlString(request.eventSource)} OR lower(eventname) = lower(${sqlString(request.eventName)})
      GROUP BY ALL ORDER BY n DESC LIMIT 5`);
    const hints = known.rows.map((r) => `${String(r.eventsource)} ${String(r.eventname)} (${String(r.n)})`);
    throw new SqlError(
      `the lake has no ${request.eventSource} ${request.eventName} events${hints.length ? `; APIs it has nearby: ${hints.join(', ')}` : ''}`,
      'not-found',
    );
  }
  const parse = (v: unknown) => (typeof v === 'string' ? (JSON.parse(v) as unknown) : null);
  const columns = [
    ...columnsFromStructure('requestparameters', parse(row.request)),
    ...columnsFromStructure('responseelements', parse(row.response)),
  ];
  const table = await session.catalog.register({
    name,
    shape: { kind: 'api', eventSource: request.eventSource, eventName: request.eventName, columns },
    scope: {},
  });
  return { table, columns, events };
}
