/**
 * The guided tour `trailscope demo` prints: the queries the product was born from (the
 * seeds' Athena audit queries, with the demo's dates), then where each planted incident
 * shows up. Every query is plain Athena SQL over `cloudtrail_logs`, printed with its answer,
 * so a reader can paste it into `trailscope query` (or Athena) and get the same.
 */
import type { IncidentAnswers } from './incidents.js';

export interface TourStop {
  readonly title: string;
  /** Why someone asks this, in one line. */
  readonly why: string;
  readonly sql: string;
  /** Rows to print at most (the count is always printed). */
  readonly show: number;
}

function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
}

/** The day the tour looks at: the middle of the generated range, where the incidents are. */
export function tourDay(answers: Pick<IncidentAnswers, 'start' | 'days'>): string {
  return addDays(answers.start, Math.floor(answers.days / 2));
}

/**
 * The seed queries, as written in the seeds but for the demo's dates (and, for the Route 53
 * one, the demo company's domain instead of www.mydomain.com).
 */
export function seedStops(answers: Pick<IncidentAnswers, 'start' | 'days'>, domain: string | null): TourStop[] {
  const day = tourDay(answers);
  const next = addDays(day, 1);
  const previous = addDays(day, -1);
  const [year, month] = day.split('-');
  const stops: TourStop[] = [
    {
      title: `How much happened on ${day}`,
      why: 'activity count for one day (seed 000)',
      sql: `select count(*) as activity_count
from cloudtrail_logs
where eventtime >= '${day}T00:00:00Z' and eventtime < '${next}T00:00:00Z';`,
      show: 1,
    },
    {
      title: 'What happened, in order',
      why: 'the activity list of that day (seed 000)',
      sql: `select eventname, useridentity.username, sourceIPAddress, eventtime
from cloudtrail_logs
where eventtime >= '${day}T00:00:00Z' and eventtime < '${next}T00:00:00Z'
order by eventtime asc;`,
      show: 5,
    },
    {
      title: 'Who signed in to the console',
      why: 'ConsoleLogin list (seed 000)',
      sql: `select useridentity.username, sourceIpAddress, eventtime, additionaleventdata
from cloudtrail_logs
where eventname = 'ConsoleLogin'
and eventtime >= '${previous}T00:00:00Z'
and eventtime < '${next}T00:00:00Z';`,
      show: 5,
    },
    {
      title: 'Who touched a security group',
      why: 'security-group audit (seed 000)',
      sql: `select eventname, useridentity.username, sourceIPAddress, eventtime, requestparameters
from cloudtrail_logs
where requestparameters like '%sg-%'
and eventtime >= '${day}T00:00:00Z'
and eventtime < '${next}T00:00:00Z'
and eventname <> 'StartQueryExecution'
order by eventtime asc;`,
      show: 5,
    },
    {
      title: 'The ten most frequent errors',
      why: 'error audit (seed 000)',
      sql: `select count (*) as TotalEvents, eventname, errorcode, errormessage
from cloudtrail_logs
where errorcode is not null
and eventtime >= '${answers.start}T00:00:00Z'
group by eventname, errorcode, errormessage
order by TotalEvents desc
limit 10;`,
      show: 10,
    },
    {
      title: 'Where the API calls come from, by identity type',
      why: 'source IPs by useridentity.type, the QuickSight chart of seed 002',
      sql: `select sourceipaddress, useridentity.type, count(*) as calls
from cloudtrail_logs
group by sourceipaddress, useridentity.type
order by calls desc
limit 10;`,
      show: 10,
    },
  ];
  if (domain) {
    stops.push({
      title: `Who created DNS records for ${domain}`,
      why: 'Route 53 search with json_extract (seed 003)',
      sql: `SELECT useridentity,
       useragent,
       useridentity.username,
       useridentity.accountid,
       useridentity.sessioncontext.attributes.creationdate,
       json_extract(requestparameters,'$.changeBatch.changes[0].resourceRecordSet.name') AS domainName,
       json_extract(requestparameters,'$.changeBatch.changes[0].resourceRecordSet.type') AS recordType,
       json_extract(requestparameters,'$.changeBatch.changes[0].resourceRecordSet.resourceRecords') AS resourceRecords
FROM cloudtrail_logs
WHERE (eventsource = 'route53.amazonaws.com'
      AND eventname = 'ChangeResourceRecordSets'
      AND json_extract_scalar(requestparameters,'$.changeBatch.changes[0].action') = 'CREATE'
      AND json_extract_scalar(requestparameters,'$.changeBatch.changes[0].resourceRecordSet.name') = '${domain.replaceAll("'", "''")}'
      AND year = '${year}' AND region = 'us-east-1' AND month = '${month}'
      )`,
      show: 3,
    });
  }
  return stops;
}

/** Finds a record name the demo company created in Route 53, for the seed-003 query. */
export const CREATED_DNS_NAME_SQL = `select json_extract_scalar(requestparameters, '$.changeBatch.changes[0].resourceRecordSet.name') as name
from cloudtrail_logs
where eventname = 'ChangeResourceRecordSets'
  and json_extract_scalar(requestparameters, '$.changeBatch.changes[0].action') = 'CREATE'
  and json_extract_scalar(requestparameters, '$.changeBatch.changes[0].resourceRecordSet.name') like 'www.%'
limit 1`;
