/**
 * The `trailscope` command: parses flags, calls the library, prints. No logic of its own.
 * Each command's module is imported only when that command runs, so `--help` is instant.
 */
import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { accountIds, day, lakeOption, memorySize, positiveInt, regionNames } from './cli-options.js';
import { addDemoCommands } from './demo-commands.js';
import { CliError, EXIT } from './cli-error.js';
import { addSqlCommands } from './sql-commands.js';

export function buildProgram(): Command {
  const program = new Command('trailscope')
    .description('CloudTrail analytics on one machine: ingest CloudTrail logs into a Parquet lake, query them with Athena SQL.')
    .version(packageVersion(), '-V, --version', 'print the version')
    .option('--debug', 'print stack traces of errors')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();

  program
    .command('ingest')
    .description('read CloudTrail log files into the lake (incremental: files already ingested are not read again)')
    .argument('<source...>', 'a folder, a log file, s3://bucket[/prefix], or - for stdin')
    .addOption(lakeOption())
    .option('--since <date>', 'only log files delivered on or after this day (YYYY-MM-DD)', day)
    .option('--until <date>', 'only log files delivered on or before this day (YYYY-MM-DD)', day)
    .option('--account <id>', 'only these accounts (repeat or comma-separate)', accountIds)
    .option('--region <region>', 'only these CloudTrail regions (repeat or comma-separate)', regionNames)
    .option('--profile <name>', 'AWS profile for s3:// sources')
    .option('--bucket-region <region>', 'region of the S3 bucket (default: AWS_REGION, or found by redirect)')
    .option('--endpoint-url <url>', 'S3-compatible endpoint (env AWS_ENDPOINT_URL)')
    .option('--concurrency <n>', 'objects fetched at once', positiveInt)
    .option('--workers <n>', 'parser threads (0: parse on the main thread)', positiveInt)
    .option('--batch-mb <n>', 'MB of rows gathered before each commit to the lake', positiveInt)
    .option('--memory-limit <size>', 'memory DuckDB may use while merging, e.g. 2GB (default 512MB)', memorySize)
    .option('--recheck', 'stat every local file again, also in folders unchanged since the last run (to catch files rewritten in place)')
    .action(async (sources: string[], opts) => {
      const { runIngest } = await import('./ingest-command.js');
      process.exitCode = await runIngest(sources, opts);
    });

  addSqlCommands(program);
  addDemoCommands(program);

  return program;
}

/** The installed package's version (src/cli and dist/cli are both two folders below it). */
function packageVersion(): string {
  return (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
}

/** Runs the CLI; resolves to the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  // `trailscope query ... | head`: the reader leaving early is not an error.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(EXIT.ok);
    throw e;
  });
  // The AWS SDK prints nine lines on every s3:// run under Node 20 about its own future
  // releases; the lock file pins the SDK this was tested with. A user who sets it keeps it.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const program = buildProgram();
  const debug = argv.includes('--debug');
  try {
    await program.parseAsync(argv as string[]);
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.ok;
  } catch (e) {
    if (e instanceof CommanderError) {
      // --help and --version end here too, with exit code 0.
      return e.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (e instanceof CliError) {
      process.stderr.write(`trailscope: ${e.message}\n`);
      if (debug) process.stderr.write(`${e.stack}\n`);
      return e.exitCode;
    }
    process.stderr.write(`trailscope: ${(e as Error).message ?? e}\n`);
    if (debug) process.stderr.write(`${(e as Error).stack}\n`);
    else process.stderr.write('(run again with --debug for details)\n');
    return EXIT.usage;
  }
}
