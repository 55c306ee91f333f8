/**
 * The questions the bench asks: the seed queries (seeds 000 and 003, their literal dates moved
 * into the generated data's range and their Route 53 name to one the generator writes, their
 * shape kept) and the extra ones. Each has trailscope's Athena SQL and the same
 * question in DuckDB's own SQL for the raw-files baseline, side by side, so a reader can
 * check that both ask the same thing.
 */
import { addDays } from './log-data.js';

export interface QueryParameters {
  readonly firstDay: string;
  readonly lastDay: string;
  /** The day the one-day seed queries look at: a weekday, where people are at work. */
  readonly day: string;
  readonly principalArn: string;
  readonly route53Name: string;
  readonly bucketName: string;
}

export interface BenchQuery {
  readonly id: string;
  readonly title: string;
  /** The seed the query comes from, or undefined for the issue's own queries. */
  readonly seed?: '000' | '003';
  /** Athena SQL, run by trailscope on the lake. */
  readonly athena: string;
  /** DuckDB SQL over the view of raw files (`raw-logs-sql.ts`). */
  readonly duckdb: string;
  /** False when the query's rows are not determined (LIMIT through ties): only counts can be compared. */
  readonly rowsDetermined?: false;
}

const sql = (text: string) => text.replace(/\s+/g, ' ').trim();
const lit = (text: string) => `'${text.replaceAll("'", "''")}'`;

/** The first weekday at or after the middle of `days` (or before it, for short ranges). */
export function pickWeekday(days: readonly string[]): string {
  const weekday = (d: string) => ![0, 6].includes(new Date(`${d}T00:00:00Z`).getUTCDay());
  const mid = Math.floor(days.length / 2);
  const after = days.slice(mid).find(weekday);
  return after ?? [...days.slice(0, mid)].reverse().find(weekday) ?? days[mid]!;
}

export function benchQueries(p: QueryParameters): BenchQuery[] {
  const from = `${p.day}T00:00:00Z`;
  const to = `${addDays(p.day, 1)}T00:00:00Z`;
  const [year, month] = p.firstDay.split('-') as [string, string];
  const lastMonth = p.lastDay.slice(5, 7);
  const nextMonth = String(Number(lastMonth) + 1).padStart(2, '0');
  const rangeFrom = `${p.firstDay}T00:00:00Z`;
  const rangeTo = `${addDays(p.lastDay, 1)}T00:00:00Z`;
  const change = '$.changeBatch.changes[0]';
  const same = (id: string, title: string, seed: BenchQuery['seed'], text: string, extra: Partial<BenchQuery> = {}): BenchQuery => ({
    id,
    title,
    ...(seed ? { seed } : {}),
    athena: sql(text),
    duckdb: sql(text),
    ...extra,
  });
  return [
    same(
      'activity-count',
      "a day's activity count",
      '000',
      `select count(*) as activity_count from cloudtrail_logs where eventtime >= '${from}' and eventtime < '${to}'`,
    ),
    same(
      'activity-list',
      "a day's activity list",
      '000',
      `select eventname, useridentity.username, sourceIPAddress, eventtime from cloudtrail_logs
       where eventtime >= '${from}' and eventtime < '${to}' order by eventtime asc`,
    ),
    same(
      'console-logins',
      "a day's console sign-ins",
      '000',
      `select useridentity.username, sourceIpAddress, eventtime, additionaleventdata from cloudtrail_logs
       where eventname = 'ConsoleLogin' and eventtime >= '${from}' and eventtime < '${to}'`,
    ),
    same(
      'security-groups',
      'security-group audit of a day',
      '000',
      `select eventname, useridentity.username, sourceIPAddress, eventtime, requestparameters from cloudtrail_logs
       where requestparameters like '%sg-%' and eventtime >= '${from}' and eventtime < '${to}'
       and eventname <> 'StartQueryExecution' order by eventtime asc`,
    ),
    same(
      'top-errors',
      "the month's top 10 errors",
      '000',
      `select count (*) as TotalEvents, eventname, errorcode, errormessage from cloudtrail_logs
       where errorcode is not null and eventtime >= '${year}-${month}-01T00:00:00Z'
       group by eventname, errorcode, errormessage order by TotalEvents desc limit 10`,
      { rowsDetermined: false },
    ),
    same(
      'elb-by-eventtime',
      'ELB events by eventtime range (SELECT *)',
      '003',
      `SELECT * FROM "default"."cloudtrail_logs" WHERE eventsource = 'elasticloadbalancing.amazonaws.com'
       AND eventtime > '${rangeFrom}' AND eventtime < '${rangeTo}'`,
    ),
    {
      id: 'elb-by-partition',
      title: 'ELB events by year/month partitions (SELECT *)',
      seed: '003',
      athena: sql(`SELECT * FROM "default"."cloudtrail_logs" WHERE eventsource = 'elasticloadbalancing.amazonaws.com'
                   AND year = '${year}' AND month < '${nextMonth}'`),
      duckdb: sql(`SELECT * FROM cloudtrail_logs WHERE eventsource = 'elasticloadbalancing.amazonaws.com'
                   AND year = '${year}' AND month < '${nextMonth}'`),
    },
    {
      id: 'route53-create',
      title: 'who created a Route 53 record (json_extract)',
      seed: '003',
      athena: sql(`SELECT useridentity, useragent, useridentity.username, useridentity.accountid,
          useridentity.sessioncontext.attributes.creationdate,
          json_extract(requestparameters,'${change}.resourceRecordSet.name') AS domainName,
          json_extract(requestparameters,'${change}.resourceRecordSet.type') AS recordType,
          json_extract(requestparameters,'${change}.resourceRecordSet.resourceRecords') AS resourceRecords
        FROM cloudtrail_logs
        WHERE (eventsource = 'route53.amazonaws.com' AND eventname = 'ChangeResourceRecordSets'
          AND json_extract_scalar(requestparameters,'${change}.action') = 'CREATE'
          AND json_extract_scalar(requestparameters,'${change}.resourceRecordSet.name') = ${lit(p.route53Name)}
          AND year = '${year}' AND region = 'us-east-1' AND month = '${month}')`),
      duckdb: sql(`SELECT useridentity, useragent, useridentity.username, useridentity.accountid,
          useridentity.sessioncontext.attributes.creationdate,
          json_extract(requestparameters,'${change}.resourceRecordSet.name') AS domainName,
          json_extract(requestparameters,'${change}.resourceRecordSet.type') AS recordType,
          json_extract(requestparameters,'${change}.resourceRecordSet.resourceRecords') AS resourceRecords
        FROM cloudtrail_logs
        WHERE (eventsource = 'route53.amazonaws.com' AND eventname = 'ChangeResourceRecordSets'
          AND json_extract_string(requestparameters,'${change}.action') = 'CREATE'
          AND json_extract_string(requestparameters,'${change}.resourceRecordSet.name') = ${lit(p.route53Name)}
          AND year = '${year}' AND region = 'us-east-1' AND month = '${month}')`),
    },
    same(
      'one-hour',
      'a one-hour eventtime window',
      undefined,
      `select eventtime, eventsource, eventname, useridentity.arn, sourceipaddress from cloudtrail_logs
       where eventtime >= '${p.day}T14:00:00Z' and eventtime < '${p.day}T15:00:00Z' order by eventtime`,
    ),
    same(
      'principal-timeline',
      "a principal's timeline over every day",
      undefined,
      `select eventtime, eventsource, eventname, sourceipaddress, errorcode from cloudtrail_logs
       where useridentity.arn = ${lit(p.principalArn)} and eventtime >= '${rangeFrom}' and eventtime < '${rangeTo}'
       order by eventtime`,
    ),
    {
      id: 'distinct-ips-per-day',
      title: 'approx_distinct(sourceipaddress) per day',
      athena: sql(`select substr(eventtime, 1, 10) as event_day, approx_distinct(sourceipaddress) as source_ips
                   from cloudtrail_logs group by 1 order by 1`),
      duckdb: sql(`select substr(eventtime, 1, 10) as event_day, count(distinct sourceipaddress) as source_ips
                   from cloudtrail_logs group by 1 order by 1`),
    },
    same(
      'resources-unnest',
      'events per resource type (UNNEST(resources))',
      undefined,
      `select r.type, count(*) as events from cloudtrail_logs cross join unnest(resources) as u(r)
       group by 1 order by 2 desc, 1`,
    ),
    {
      id: 'json-filter',
      title: "a bucket's events (json_extract_scalar filter)",
      athena: sql(`select eventname, count(*) as events from cloudtrail_logs
                   where json_extract_scalar(requestparameters, '$.bucketName') = ${lit(p.bucketName)}
                   group by 1 order by 2 desc, 1`),
      duckdb: sql(`select eventname, count(*) as events from cloudtrail_logs
                   where json_extract_string(requestparameters, '$.bucketName') = ${lit(p.bucketName)}
                   group by 1 order by 2 desc, 1`),
    },
  ];
}
