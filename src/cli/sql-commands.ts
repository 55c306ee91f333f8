/**
 * The SQL commands of the CLI: `query` (Athena SQL on the lake, or an interactive shell) and
 * `relationalize` (a typed view of one API's events). Flags only; each command's module is
 * imported when it runs, so `trailscope --help` stays instant.
 *
 * @example
 * addSqlCommands(new Command('trailscope'));
 */
import { InvalidArgumentError, Option, type Command } from 'commander';
import { lakeOption, memorySize } from './cli-options.js';

function seconds(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('expected a number of seconds, e.g. 300');
  return n;
}

export function addSqlCommands(program: Command): Command {
  program
    .command('query')
    .description('run Athena SQL on the lake (table cloudtrail_logs); with no SQL on a terminal, open an interactive shell')
    .argument('[sql]', 'the SQL; several statements may be separated by ;')
    .addOption(lakeOption())
    .option('-f, --file <file>', 'read the SQL from a file')
    .addOption(
      new Option('--format <format>', 'output format (default: table on a terminal, csv otherwise)').choices([
        'table',
        'csv',
        'json',
        'jsonl',
      ]),
    )
    .option('--stats', 'after each statement, print what it read (partitions, files, bytes, rows) and its time on stderr')
    .option('--timeout <seconds>', 'time limit of each statement', seconds, 300)
    .option('--memory-limit <size>', 'memory the engine may use, e.g. 4GB (default: half of the machine)', memorySize)
    .option('-i, --interactive', 'open the shell even when stdin is not a terminal')
    .action(async (sql: string | undefined, opts) => {
      const { runQuery } = await import('./query-command.js');
      process.exitCode = await runQuery(sql, opts);
    });

  program
    .command('relationalize')
    .description(
      "create a view of one API's events with a typed column per key of requestparameters/responseelements (e.g. requestparameters.groupid)",
    )
    .requiredOption('--event-source <source>', 'e.g. ec2.amazonaws.com')
    .requiredOption('--event-name <name>', 'e.g. AuthorizeSecurityGroupIngress')
    .option('--name <view>', 'name of the view (default: cloudtrail_<service>_<eventname>)')
    .addOption(lakeOption())
    .action(async (opts) => {
      const { runRelationalize } = await import('./query-command.js');
      process.exitCode = await runRelationalize(opts);
    });

  return program;
}
