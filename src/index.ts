/**
 * trailscope as a library: the same functions the CLI calls.
 *
 * @example
 * import { ingest, query } from 'trailscope';
 * await ingest({ lake: './lake', sources: ['s3://my-trail-bucket/AWSLogs/'], filter: { since: '2024-01-01' } });
 * const { rows } = await query({ lake: './lake' }, "select eventname, count(*) n from cloudtrail_logs group by 1 order by 2 desc limit 10");
 */
export { ingest } from './ingest/ingest.js';
export type { IngestOptions, IngestSummary, IngestProgress } from './ingest/ingest.js';
export { query, queryStatements, openQuerySession, relationalizeApi, SqlError } from './sql/query.js';
export type {
  QueryOptions,
  StatementResult,
  StatementKind,
  ScanStats,
  TableScan,
  Counted,
  SqlErrorKind,
  LakeSession,
  ApiView,
  ApiViewRequest,
} from './sql/query.js';
export { generateCloudTrail, FolderSink } from './demo/generate.js';
export type { GenerateOptions, GenerateSummary, IncidentAnswers, Incident, LogFileSink } from './demo/generate.js';
export type { QueryResult, JsonRow, JsonValue, RowSink, LineSink, StreamedResult } from './engine/duckdb-engine.js';
export type { LineFormat } from './engine/result-lines-query.js';
export { openLake } from './lake/lake.js';
export type { Lake } from './lake/lake.js';
export type { CloudTrailRecord } from './cloudtrail/record.js';
export type { LogSource, SourceObject, KeyFilter } from './sources/log-source.js';
export { parseLogFileKey } from './cloudtrail/log-file-key.js';
export type { LogFileKey } from './cloudtrail/log-file-key.js';
