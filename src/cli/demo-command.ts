/** `trailscope generate` and `trailscope demo`: flags in, logs, lake and a guided tour out. */
import { access, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CREATED_DNS_NAME_SQL, seedStops, type TourStop } from '../demo/guided-tour.js';
import { FolderSink, generateCloudTrail, type GenerateSummary, type IncidentAnswers, type LogFileSink } from '../demo/generate.js';
import { ingest } from '../ingest/ingest.js';
import { openQuerySession } from '../sql/query.js';
import { CliError, EXIT } from './cli-error.js';
import { progressText, summaryText } from './ingest-command.js';
import { ProgressLine, formatBytes, formatCount, formatDuration } from './progress-line.js';
import { formatResult } from './result-format.js';

export interface GenerateFlags {
  days: number;
  eventsPerDay: number;
  accounts: number;
  seed: string;
  start?: string;
  endpointUrl?: string;
  profile?: string;
}

async function generateInto(out: string, flags: GenerateFlags, progress: ProgressLine): Promise<GenerateSummary> {
  let sink: LogFileSink;
  if (out.startsWith('s3://')) {
    const { S3Sink } = await import('../sources/s3-sink.js');
    sink = new S3Sink(out, { endpointUrl: flags.endpointUrl, profile: flags.profile });
  } else {
    sink = new FolderSink(out);
  }
  const started = performance.now();
  const summary = await generateCloudTrail(
    {
      days: flags.days,
      eventsPerDay: flags.eventsPerDay,
      accounts: flags.accounts,
      seed: flags.seed,
      ...(flags.start ? { start: flags.start } : {}),
      onProgress: (p) => {
        const s = (performance.now() - started) / 1000;
        progress.update(
          `generating: ${formatCount(p.files)} files · ${formatCount(p.events)} events · ${formatBytes(p.bytes)} · ${formatCount(p.events / s)} events/s`,
        );
      },
    },
    sink,
  );
  const answers = `${JSON.stringify(summary.answers, null, 2)}\n`;
  await sink.write('answers.json', new TextEncoder().encode(answers));
  await sink.close?.();
  progress.clear();
  return summary;
}

function generatedText(out: string, s: GenerateSummary): string {
  return (
    `wrote ${formatCount(s.files)} log files and ${formatCount(s.digestFiles)} digest files (${formatCount(s.events)} events, ${formatBytes(s.bytes)}) to ${out} ` +
    `in ${formatDuration(s.seconds)}: ${formatCount(s.events / Math.max(s.seconds, 1e-3))} events/s\n` +
    `planted incidents: ${s.answers.incidents.map((i) => i.id).join(', ')} (see ${out.replace(/\/$/, '')}/answers.json)\n`
  );
}

export async function runGenerate(out: string, flags: GenerateFlags): Promise<number> {
  const summary = await generateInto(out, flags, new ProgressLine());
  process.stdout.write(generatedText(out, summary));
  return EXIT.ok;
}

export interface DemoFlags {
  lake: string;
  logs: string;
  days: number;
  eventsPerDay: number;
}

const DEMO_SEED = 'trailscope';

async function readAnswers(logs: string): Promise<IncidentAnswers | undefined> {
  try {
    await access(join(logs, 'answers.json'));
  } catch {
    return undefined;
  }
  return JSON.parse(await readFile(join(logs, 'answers.json'), 'utf8')) as IncidentAnswers;
}

function indent(text: string, by = '  '): string {
  return text
    .trimEnd()
    .split('\n')
    .map((l) => by + l)
    .join('\n');
}

export async function runDemo(flags: DemoFlags): Promise<number> {
  const out = process.stdout;
  const progress = new ProgressLine();
  let answers = await readAnswers(flags.logs);
  if (answers && (answers.days !== flags.days || answers.seed !== DEMO_SEED)) {
    // Generating over them would mix two demos in the logs and in the lake, and the tour's answers would be wrong.
    throw new CliError(
      `${flags.logs} holds the logs of another demo (${answers.days} days, seed ${answers.seed}): give other --logs and --lake folders for ${flags.days} days, or remove both`,
    );
  }
  if (answers) {
    out.write(`Using the demo logs already in ${flags.logs}.\n`);
  } else {
    out.write(`Generating ${flags.days} days of CloudTrail logs for a demo company into ${flags.logs}…\n`);
    const generated = await generateInto(
      flags.logs,
      { days: flags.days, eventsPerDay: flags.eventsPerDay, accounts: 3, seed: DEMO_SEED },
      progress,
    );
    out.write(generatedText(flags.logs, generated));
    answers = generated.answers;
  }

  out.write(`\nIngesting them into the lake ${flags.lake}…\n`);
  const summary = await ingest({
    lake: flags.lake,
    sources: [flags.logs],
    onProgress: (p) => progress.update(progressText(p), p.phase !== 'reading'),
  });
  progress.clear();
  out.write(summaryText(summary));

  const session = await openQuerySession({ lake: flags.lake });
  try {
    const show = async (stop: TourStop) => {
      const [result] = (await session.run(stop.sql)).slice(-1);
      const rows = result!.rows;
      out.write(`\n== ${stop.title} (${stop.why})\n${indent(stop.sql)}\n`);
      const shown = { ...result!, rows: rows.slice(0, stop.show) };
      out.write(indent(formatResult(shown, 'table', { maxCell: 40 })) + '\n');
      out.write(
        `  ${formatCount(rows.length)} row${rows.length === 1 ? '' : 's'}${rows.length > stop.show ? ` (first ${stop.show} shown)` : ''} in ${result!.elapsedMs.toFixed(0)} ms\n`,
      );
      return rows.length;
    };

    out.write(`\nThe seed queries, as written for Athena, on the demo's dates:\n`);
    const domain = (await session.run(CREATED_DNS_NAME_SQL)).at(-1)!.rows[0]?.name;
    for (const stop of seedStops(answers, typeof domain === 'string' ? domain : null)) await show(stop);

    out.write(`\nThe incidents planted in the demo, and the SQL that finds each:\n`);
    let found = 0;
    for (const incident of answers.incidents) {
      const rows = await show({ title: incident.title, why: incident.description, sql: incident.sql, show: 3 });
      out.write(`  planted: ${incident.eventIds.length} events; this query finds ${rows}\n`);
      if (rows === incident.eventIds.length) found++;
    }
    out.write(
      `\n${found} of ${answers.incidents.length} incidents found exactly.\n` +
        `Next: npx trailscope query --lake ${flags.lake} "select eventname, count(*) as n from cloudtrail_logs group by 1 order by 2 desc limit 10"\n`,
    );
  } finally {
    session.close();
  }
  return EXIT.ok;
}
