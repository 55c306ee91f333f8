/** Worker thread entry: parses log files off the main thread so both cores gunzip and parse. */
import { parentPort } from 'node:worker_threads';
import { readLogFileOutcome, type LogFileJob } from './log-file-outcome.js';

parentPort!.on('message', (message: { ids: number[]; jobs: LogFileJob[] }) => {
  parentPort!.postMessage({ ids: message.ids, outcomes: message.jobs.map(readLogFileOutcome) });
});
