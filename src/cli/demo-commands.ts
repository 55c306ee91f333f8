/**
 * `generate` (CloudTrail logs of a believable company, with incidents planted) and `demo`
 * (generate, ingest, and a guided tour of the seed queries). Flags only.
 */
import { Option, type Command } from 'commander';
import { day, lakeOption, positiveInt } from './cli-options.js';

export function addDemoCommands(program: Command): Command {
  program
    .command('generate')
    .description(
      'write realistic CloudTrail logs (an organization trail, with planted incidents and an answers.json) to a folder or s3://bucket/prefix',
    )
    .argument('<out>', 'a folder, or s3://bucket[/prefix]')
    .option('--days <n>', 'days of logs', positiveInt, 30)
    .option('--events-per-day <n>', 'average events a day (weekdays more, weekends less)', positiveInt, 10_000)
    .option('--accounts <n>', 'accounts in the organization', positiveInt, 3)
    .option('--seed <text>', 'the same seed always gives the same bytes', 'trailscope')
    .option('--start <date>', 'first day (YYYY-MM-DD); default: the days before 2026-11-01', day)
    .option('--endpoint-url <url>', 'S3-compatible endpoint for s3:// output (env AWS_ENDPOINT_URL)')
    .option('--profile <name>', 'AWS profile for s3:// output')
    .action(async (out: string, opts) => {
      const { runGenerate } = await import('./demo-command.js');
      process.exitCode = await runGenerate(out, opts);
    });

  program
    .command('demo')
    .description(
      'generate a month of demo CloudTrail logs (once), ingest them, and walk through the seed queries and the planted incidents',
    )
    .addOption(lakeOption())
    .addOption(new Option('--logs <dir>', 'where the demo logs are generated').default('./trailscope-demo-logs'))
    .option('--days <n>', 'days of demo logs', positiveInt, 30)
    .option('--events-per-day <n>', 'average demo events a day', positiveInt, 10_000)
    .action(async (opts) => {
      const { runDemo } = await import('./demo-command.js');
      process.exitCode = await runDemo(opts);
    });
  return program;
}
